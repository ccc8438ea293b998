import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi, VALID_STRATEGY } from '../../helpers/api.js';

describe('reference API: signals', () => {
  let api: TestApi;
  let strategyId: number;
  let customId: number;
  const send = (id: number, body: unknown, token: string | null = null) =>
    api.call('POST', `/api/v1/signals/webhook/${id}`, { body, token });
  before(async () => {
    api = await startTestApi({
      seed: {
        users: [{ username: 'testuser', password: 'testpass123', email: 't@example.com' }],
        strategies: 0,
        signals: 0,
      },
    });
    strategyId = (await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY })).body.id;
    customId = (
      await api.call('POST', '/api/v1/strategies/', {
        body: { ...VALID_STRATEGY, signal_thresholds: { strong: 0.95, weak: 0.1 } },
      })
    ).body.id;
  });
  after(() => api.close());

  it('webhook needs no token and answers 200 {status, signal_id, strength_level}', async () => {
    const response = await send(strategyId, {
      pair: 'BTC/USDT',
      action: 'buy',
      current_rate: 45000.5,
      indicators: { signal_strength: 0.9, rsi: 40, macd: 1 },
      metadata: { exchange: 'binance' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'success');
    assert.equal(typeof response.body.signal_id, 'number');
    assert.equal(response.body.strength_level, 'strong');
    const detail = await api.call('GET', `/api/v1/signals/${response.body.signal_id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.metadata, null); // dropped, as by the real backend
    assert.deepEqual(detail.body.indicators, { signal_strength: 0.9, rsi: 40, macd: 1 });
  });

  it('applies the strength rule at its boundaries with default thresholds', async () => {
    const cases: Array<[number | undefined, string]> = [
      [0.8, 'strong'],
      [0.7999, 'medium'],
      [0.6, 'medium'],
      [0.5999, 'weak'],
      [0.4, 'weak'],
      [0.3999, 'ignore'],
      [undefined, 'weak'],
      [1.5, 'strong'],
      [-1, 'ignore'],
    ];
    for (const [strength, level] of cases) {
      const indicators = strength === undefined ? {} : { signal_strength: strength };
      const response = await send(strategyId, { pair: 'ETH/USDT', current_rate: 2500, indicators });
      assert.equal(response.body.strength_level, level, `strength ${String(strength)}`);
    }
    const noIndicators = await send(strategyId, { pair: 'ETH/USDT', current_rate: 2500 });
    assert.equal(noIndicators.body.strength_level, 'weak');
  });

  it('uses per-strategy thresholds, each key falling back to its default', async () => {
    // thresholds {strong: 0.95, weak: 0.1}; medium falls back to 0.6
    const cases: Array<[number, string]> = [
      [0.95, 'strong'],
      [0.9, 'medium'],
      [0.6, 'medium'],
      [0.59, 'weak'],
      [0.1, 'weak'],
      [0.09, 'ignore'],
    ];
    for (const [strength, level] of cases) {
      assert.equal(
        (
          await send(customId, {
            pair: 'BNB/USDT',
            current_rate: 300,
            indicators: { signal_strength: strength },
          })
        ).body.strength_level,
        level,
        String(strength),
      );
    }
  });

  it(
    'webhook: 404 for an unknown strategy, 422 for bad bodies and ids, ' + 'accepts deleted strategies',
    async () => {
      assert.deepEqual((await send(99999, { pair: 'BTC/USDT', current_rate: 1 })).body, {
        detail: 'Strategy not found',
      });
      const bad: unknown[] = [
        {},
        { pair: 'BTC/USDT' },
        { current_rate: 1 },
        { pair: 'BTC/USDT', current_rate: 1, indicators: null },
        { pair: 'BTC/USDT', current_rate: 1, indicators: { signal_strength: 'high' } },
        { pair: 'BTC/USDT', current_rate: 'x' },
        [1],
        'null',
      ];
      for (const body of bad) assert.equal((await send(strategyId, body)).status, 422, JSON.stringify(body));
      const form = await api.call('POST', `/api/v1/signals/webhook/${strategyId}`, {
        form: { pair: 'BTC/USDT' },
        token: null,
      });
      assert.equal(form.status, 422);
      assert.equal((await send(Number.NaN, { pair: 'BTC/USDT', current_rate: 1 })).status, 422);
      const { body: strategy } = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
      await api.call('DELETE', `/api/v1/strategies/${strategy.id}`);
      assert.equal((await send(strategy.id, { pair: 'BTC/USDT', current_rate: 1 })).status, 200);
    },
  );

  it('requires a token on every signals route except the webhook', async () => {
    for (const path of [
      '/api/v1/signals/',
      '/api/v1/signals/1',
      '/api/v1/signals/statistics/summary',
      '/api/v1/signals/statistics/trend',
    ]) {
      assert.equal((await api.call('GET', path, { token: null })).status, 401, path);
    }
  });

  it('lists wrapped, newest first, and filters by every parameter', async () => {
    await send(customId, {
      pair: 'XRP/USDT',
      action: 'sell',
      current_rate: 0.5,
      indicators: { signal_strength: 0.99 },
    });
    const all = await api.call('GET', '/api/v1/signals/?limit=1000');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.body), ['total', 'skip', 'limit', 'signals']);
    const rows: any[] = all.body.signals;
    assert.deepEqual(Object.keys(rows[0]).sort(), [
      'action',
      'created_at',
      'current_rate',
      'id',
      'pair',
      'profit_ratio',
      'signal_strength',
      'strategy_id',
      'strength_level',
    ]);
    const ids = rows.map((s) => s.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    const check = async (query: string, pred: (signal: any) => boolean) => {
      const response = await api.call('GET', `/api/v1/signals/?limit=1000&${query}`);
      assert.equal(response.status, 200, query);
      assert.ok(response.body.signals.length > 0, `${query} found nothing`);
      assert.equal(response.body.signals.length, rows.filter(pred).length, query);
      assert.ok(response.body.signals.every(pred), query);
    };
    await check(`strategy_id=${customId}`, (s) => s.strategy_id === customId);
    await check('pair=XRP/USDT', (s) => s.pair === 'XRP/USDT');
    await check('pair=BTC%2FUSDT', (s) => s.pair === 'BTC/USDT');
    await check('action=sell', (s) => s.action === 'sell');
    await check('strength_level=ignore', (s) => s.strength_level === 'ignore');
    await check('hours=1', () => true);
    await check(
      `pair=BNB/USDT&strength_level=weak&strategy_id=${customId}`,
      (s) => s.pair === 'BNB/USDT' && s.strength_level === 'weak' && s.strategy_id === customId,
    );
    // Zero and empty values are ignored; unknown parameters (start_date) do not filter.
    await check('strategy_id=0&pair=&hours=0&start_date=2020-01-01', () => true);
    const page = await api.call('GET', '/api/v1/signals/?skip=2&limit=3');
    assert.deepEqual(
      page.body.signals.map((s: any) => s.id),
      ids.slice(2, 5),
    );
    assert.equal(page.body.total, 3);
    assert.equal((await api.call('GET', '/api/v1/signals/?strategy_id=x')).status, 422);
    assert.equal((await api.call('GET', '/api/v1/signals/?hours=1.5')).status, 422);
  });

  it("detail: 404 unknown, 422 non-integer (including the Locust suite's /signals/statistics)", async () => {
    assert.deepEqual((await api.call('GET', '/api/v1/signals/99999')).body, { detail: 'Signal not found' });
    const stats = await api.call('GET', '/api/v1/signals/statistics');
    assert.equal(stats.status, 422);
    assert.deepEqual(stats.body.detail[0].loc, ['path', 'signal_id']);
  });

  it('statistics/summary counts by action and level in the window', async () => {
    const summary = await api.call('GET', '/api/v1/signals/statistics/summary');
    assert.equal(summary.status, 200);
    const all = (await api.call('GET', '/api/v1/signals/?limit=1000')).body.signals as any[];
    assert.equal(summary.body.period_hours, 24);
    assert.equal(summary.body.total_signals, all.length);
    assert.equal(summary.body.buy_signals, all.filter((s) => s.action === 'buy').length);
    assert.equal(summary.body.sell_signals, all.filter((s) => s.action === 'sell').length);
    assert.equal(summary.body.strong_signals, all.filter((s) => s.strength_level === 'strong').length);
    assert.equal(summary.body.weak_signals, all.filter((s) => s.strength_level === 'weak').length);
    assert.equal(summary.body.strategy_id, null);
    const avg = all.reduce((a, s) => a + s.signal_strength, 0) / all.length;
    assert.equal(summary.body.average_strength, Math.round(avg * 1000) / 1000);
    const one = await api.call('GET', `/api/v1/signals/statistics/summary?strategy_id=${customId}&hours=48`);
    assert.equal(one.body.strategy_id, customId);
    assert.equal(one.body.period_hours, 48);
    assert.equal(one.body.total_signals, all.filter((s) => s.strategy_id === customId).length);
  });

  it('statistics/trend buckets the window; unknown group_by gives no points', async () => {
    const trend = await api.call('GET', '/api/v1/signals/statistics/trend?group_by=pair');
    assert.equal(trend.status, 200);
    assert.equal(trend.body.interval_minutes, 60);
    assert.equal(trend.body.data_points.length, 24);
    const total = trend.body.data_points.reduce((a: number, p: any) => a + p.total_signals, 0);
    assert.equal(total, (await api.call('GET', '/api/v1/signals/statistics/summary')).body.total_signals);
    assert.deepEqual(
      (await api.call('GET', '/api/v1/signals/statistics/trend?group_by=nope')).body.data_points,
      [],
    );
  });
});
