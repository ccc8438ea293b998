import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi, VALID_STRATEGY } from '../../helpers/api.js';

const INJECTIONS = [
  '1 OR 1=1',
  '1; DROP TABLE signals;--',
  "' OR '1'='1",
  "BTC/USDT' OR 1=1 --",
  '%27%20OR%201%3D1',
  '1) UNION SELECT * FROM users--',
];

describe('reference API: bad input is harmless', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({
      seed: {
        users: [{ username: 'testuser', password: 'testpass123', email: 't@example.com' }],
        strategies: 10,
        signals: 40,
      },
    });
  });
  after(() => api.close());

  async function snapshot() {
    const strategies = await api.call('GET', '/api/v1/strategies/?limit=10000');
    const signals = await api.call('GET', '/api/v1/signals/?limit=10000');
    return JSON.stringify([strategies.body.strategies, signals.body.signals]);
  }

  it('SQL injection strings in every filter and path id answer 200 or 422 and change no data', async () => {
    const before = await snapshot();
    const paths: Array<[string, string]> = [];
    for (const raw of INJECTIONS) {
      const encoded = encodeURIComponent(raw);
      for (const param of ['skip', 'limit', 'status'])
        paths.push(['GET', `/api/v1/strategies/?${param}=${encoded}`]);
      for (const param of ['skip', 'limit', 'strategy_id', 'pair', 'action', 'strength_level', 'hours'])
        paths.push(['GET', `/api/v1/signals/?${param}=${encoded}`]);
      for (const param of ['hours', 'strategy_id'])
        paths.push(['GET', `/api/v1/signals/statistics/summary?${param}=${encoded}`]);
      paths.push(
        ['GET', `/api/v1/strategies/${encoded}`],
        ['GET', `/api/v1/strategies/${encoded}/logs`],
        ['PUT', `/api/v1/strategies/${encoded}`],
        ['DELETE', `/api/v1/strategies/${encoded}`],
        ['POST', `/api/v1/strategies/${encoded}/start`],
        ['POST', `/api/v1/strategies/${encoded}/stop`],
        ['GET', `/api/v1/signals/${encoded}`],
        ['POST', `/api/v1/signals/webhook/${encoded}`],
      );
    }
    for (const [method, path] of paths) {
      const response = await api.call(method, path, {
        body:
          method === 'GET' || method === 'DELETE'
            ? undefined
            : { description: 'x', pair: 'BTC/USDT', current_rate: 1 },
      });
      assert.ok([200, 422].includes(response.status), `${method} ${path} answered ${response.status}`);
      // A string filter compares exactly, so an injection string matches nothing.
      if (response.status === 200 && /\?(pair|status|action|strength_level)=/.test(path))
        assert.equal(response.body.total, 0, `${path} matched rows`);
    }
    assert.equal(await snapshot(), before);
    const login = await api.call('POST', '/api/v1/auth/token', {
      form: { username: "testuser' --", password: "' OR '1'='1" },
      token: null,
    });
    assert.equal(login.status, 401);
  });

  it('stores exactly 50 signals from 50 concurrent webhooks', async () => {
    const { body: strategy } = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        api.call('POST', `/api/v1/signals/webhook/${strategy.id}`, {
          body: {
            pair: 'BTC/USDT',
            action: 'buy',
            current_rate: 40000 + index,
            indicators: { signal_strength: 0.7 },
          },
          token: null,
        }),
      ),
    );
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(new Set(results.map((r) => r.body.signal_id)).size, 50);
    const stored = await api.call('GET', `/api/v1/signals/?strategy_id=${strategy.id}&limit=1000`);
    assert.equal(stored.body.signals.length, 50);
  });

  it('refuses a 1 MiB body with 413, with or without a content-length', async () => {
    const big = JSON.stringify({ ...VALID_STRATEGY, description: 'x'.repeat(1 << 20) });
    const response = await api.call('POST', '/api/v1/strategies/', { body: big });
    assert.equal(response.status, 413);
    const stream = new ReadableStream({
      start(ctrl) {
        ctrl.enqueue(new TextEncoder().encode(big));
        ctrl.close();
      },
    });
    const chunked = await fetch(`${api.url}/api/v1/signals/webhook/1`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit);
    assert.equal(chunked.status, 413);
    // the server still answers afterwards
    assert.equal((await api.call('GET', '/health')).status, 200);
  });
});
