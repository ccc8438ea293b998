import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApi, type TestApi, VALID_STRATEGY } from '../../helpers/api.js';

async function waitForStatus(api: TestApi, id: number, status: string): Promise<any> {
  // A deadline, not a count of polls: on a busy machine each poll takes longer.
  for (const end = Date.now() + 10_000; Date.now() < end; ) {
    const response = await api.call('GET', `/api/v1/strategies/${id}`);
    if (response.body.status === status) return response.body;
    await sleep(20);
  }
  throw new Error(`strategy ${id} never reached ${status}`);
}

const OPTIONS = {
  // Long enough that a request right after start still sees `starting` on a busy machine (300 ms was not:
  // the event loop can stall that long under load); the tests wait for `running` by polling.
  startDelayMs: 1000,
  stopDelayMs: 1000,
  seed: {
    users: [{ username: 'testuser', password: 'testpass123', email: 't@example.com' }],
    strategies: 30,
    signals: 0,
  },
};

describe('reference API: strategies', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(OPTIONS);
  });
  after(() => api.close());

  it('lists wrapped, newest first, with skip/limit and total = page length', async () => {
    const response = await api.call('GET', '/api/v1/strategies/');
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(response.body), ['total', 'skip', 'limit', 'strategies']);
    assert.equal(response.body.skip, 0);
    assert.equal(response.body.limit, 100);
    assert.equal(response.body.total, response.body.strategies.length);
    assert.deepEqual(Object.keys(response.body.strategies[0]).sort(), [
      'created_at',
      'exchange',
      'id',
      'name',
      'port',
      'process_id',
      'started_at',
      'status',
      'strategy_class',
    ]);
    const ids = response.body.strategies.map((s: any) => s.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a: number, b: number) => b - a),
    );
    const page = await api.call('GET', '/api/v1/strategies/?skip=5&limit=10');
    assert.equal(page.body.total, 10);
    assert.deepEqual(
      page.body.strategies.map((s: any) => s.id),
      ids.slice(5, 15),
    );
    const beyond = await api.call('GET', '/api/v1/strategies/?skip=1000&limit=10');
    assert.equal(beyond.body.total, 0);
    assert.deepEqual(beyond.body.strategies, []);
  });

  it('validates query integers with 422', async () => {
    for (const query of ['skip=x', 'limit=1.5', 'limit=-1', 'skip=-3']) {
      const response = await api.call('GET', `/api/v1/strategies/?${query}`);
      assert.equal(response.status, 422, query);
      assert.ok(Array.isArray(response.body.detail), query);
    }
  });

  it(
    'redirects with 307 when the trailing slash is missing on collections or present on items, ' +
      'keeping method and query',
    async () => {
      const list = await api.call('GET', '/api/v1/strategies?limit=2');
      assert.equal(list.status, 307);
      assert.match(list.headers.get('location')!, /\/api\/v1\/strategies\/\?limit=2$/);
      const create = await api.call('POST', '/api/v1/strategies', { body: VALID_STRATEGY });
      assert.equal(create.status, 307);
      const item = await api.call('GET', '/api/v1/strategies/1/');
      assert.equal(item.status, 307);
      assert.match(item.headers.get('location')!, /\/api\/v1\/strategies\/1$/);
      const signals = await api.call('GET', '/api/v1/signals');
      assert.equal(signals.status, 307);
    },
  );

  it('requires a token on every strategies route (deliberate difference)', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/api/v1/strategies/'],
      ['GET', '/api/v1/strategies/overview'],
      ['GET', '/api/v1/strategies/1'],
      ['POST', '/api/v1/strategies/'],
      ['PUT', '/api/v1/strategies/1'],
      ['DELETE', '/api/v1/strategies/1'],
      ['POST', '/api/v1/strategies/1/start'],
      ['POST', '/api/v1/strategies/1/stop'],
      ['GET', '/api/v1/strategies/1/logs'],
    ];
    for (const [method, path] of routes) {
      const response = await api.call(method, path, {
        token: null,
        body: method === 'GET' || method === 'DELETE' ? undefined : {},
      });
      assert.equal(response.status, 401, `${method} ${path}`);
    }
  });

  it('overview has summary, capacity and every active strategy', async () => {
    const response = await api.call('GET', '/api/v1/strategies/overview');
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(response.body.summary).sort(), [
      'available_slots',
      'capacity_utilization',
      'running_strategies',
      'stopped_strategies',
      'total_strategies',
    ]);
    assert.equal(response.body.capacity.max_strategies, 1000);
    assert.equal(response.body.capacity.port_range, '8081-9080');
    assert.equal(response.body.capacity.architecture, 'multi_instance_reverse_proxy');
    assert.equal(response.body.strategies.length, response.body.summary.total_strategies);
  });

  it('detail returns the bare object; 404 for unknown, 422 for non-integer ids', async () => {
    const response = await api.call('GET', '/api/v1/strategies/1');
    assert.equal(response.status, 200);
    assert.equal(response.body.id, 1);
    assert.ok(Array.isArray(response.body.pair_whitelist));
    assert.equal(typeof response.body.signal_thresholds, 'object');
    assert.equal(response.body.is_active, true);
    assert.deepEqual((await api.call('GET', '/api/v1/strategies/99999')).body, {
      detail: 'Strategy not found',
    });
    const bad = await api.call('GET', '/api/v1/strategies/abc');
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.detail[0].loc, ['path', 'strategy_id']);
  });

  it('creates with the six required keys (200), refuses missing keys with 422 naming each', async () => {
    const created = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
    assert.equal(created.status, 200);
    assert.equal(created.body.status, 'stopped');
    assert.equal(created.body.message, 'Strategy created successfully');
    const detail = await api.call('GET', `/api/v1/strategies/${created.body.id}`);
    assert.equal(detail.body.version, 'v1.0');
    assert.equal(detail.body.max_open_trades, 3);
    assert.equal(detail.body.dry_run, true);
    for (const key of Object.keys(VALID_STRATEGY)) {
      const body: Record<string, unknown> = { ...VALID_STRATEGY };
      delete body[key];
      const miss = await api.call('POST', '/api/v1/strategies/', { body });
      assert.equal(miss.status, 422, key);
      assert.deepEqual(miss.body.detail[0].loc, ['body', key]);
    }
    // The Locust suite's body: only name, description and a nested config.
    const locust = await api.call('POST', '/api/v1/strategies/', {
      body: { name: 'Perf Test Strategy 1', description: 'x', config: { pair: 'BTC/USDT' } },
    });
    assert.equal(locust.status, 422);
    assert.equal((await api.call('POST', '/api/v1/strategies/', { body: [1, 2] })).status, 422);
    assert.equal(
      (await api.call('POST', '/api/v1/strategies/', { body: { ...VALID_STRATEGY, signal_thresholds: 'x' } }))
        .status,
      422,
    );
    assert.equal(
      (await api.call('POST', '/api/v1/strategies/', { body: { ...VALID_STRATEGY, name: 'n'.repeat(101) } }))
        .status,
      422,
    );
    assert.equal((await api.call('POST', '/api/v1/strategies/', { body: '{not json' })).status, 422);
  });

  it(
    'updates: changed fields shape, "No changes detected" shape, ' + 'unknown keys ignored, 422 on types',
    async () => {
      const { body: strategy } = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
      const updated = await api.call('PUT', `/api/v1/strategies/${strategy.id}`, {
        body: { description: 'Updated', config: { x: 1 }, max_open_trades: 5 },
      });
      assert.equal(updated.status, 200);
      assert.deepEqual(updated.body.updated_fields.sort(), ['description', 'max_open_trades']);
      assert.equal(updated.body.requires_restart, false);
      const same = await api.call('PUT', `/api/v1/strategies/${strategy.id}`, {
        body: { description: 'Updated', strategy_class: 'Other' },
      });
      assert.deepEqual(same.body, { id: strategy.id, message: 'No changes detected' });
      const nulls = await api.call('PUT', `/api/v1/strategies/${strategy.id}`, {
        body: { description: null },
      });
      assert.equal(nulls.body.message, 'No changes detected');
      assert.equal(
        (await api.call('PUT', `/api/v1/strategies/${strategy.id}`, { body: { max_open_trades: 'many' } }))
          .status,
        422,
      );
      assert.equal(
        (await api.call('PUT', `/api/v1/strategies/${strategy.id}`, { body: { pair_whitelist: [1] } }))
          .status,
        422,
      );
      assert.equal(
        (await api.call('PUT', '/api/v1/strategies/99999', { body: { description: 'x' } })).status,
        404,
      );
      const detail = await api.call('GET', `/api/v1/strategies/${strategy.id}`);
      assert.equal(detail.body.description, 'Updated');
      assert.equal(detail.body.strategy_class, 'SampleStrategy');
    },
  );

  it('soft-deletes with 200, repeatably; detail still answers, list and PUT do not', async () => {
    const { body: strategy } = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
    const del = await api.call('DELETE', `/api/v1/strategies/${strategy.id}`);
    assert.deepEqual(del.body, { id: strategy.id, message: 'Strategy deleted successfully' });
    assert.equal((await api.call('DELETE', `/api/v1/strategies/${strategy.id}`)).status, 200);
    const detail = await api.call('GET', `/api/v1/strategies/${strategy.id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.is_active, false);
    const list = await api.call('GET', '/api/v1/strategies/?limit=1000');
    assert.ok(!list.body.strategies.some((s: any) => s.id === strategy.id));
    assert.equal(
      (await api.call('PUT', `/api/v1/strategies/${strategy.id}`, { body: { description: 'x' } })).status,
      404,
    );
    assert.equal((await api.call('DELETE', '/api/v1/strategies/99999')).status, 404);
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    assert.equal((await api.call('GET', '/api/v1/nothing/')).status, 404);
    assert.equal((await api.call('PATCH', '/api/v1/strategies/1')).status, 405);
  });
});

// The tests that wait for the background start and stop: side by side, each against an API of its own (a
// list's first strategy must be the test's own), so that their waits of the delays overlap.
describe('reference API: strategies started and stopped in the background', { concurrency: true }, () => {
  const apis: TestApi[] = [];
  const ownApi = async () => {
    const api = await startTestApi(OPTIONS);
    apis.push(api);
    return api;
  };
  after(() => Promise.all(apis.map((api) => api.close())));

  it(
    'start/stop: 202 always, background starting → running and stopping → stopped, ' + 'no-op bodies',
    async () => {
      const api = await ownApi();
      const { body: strategy } = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
      const stopIdle = await api.call('POST', `/api/v1/strategies/${strategy.id}/stop`);
      assert.equal(stopIdle.status, 202);
      assert.deepEqual(stopIdle.body, { message: 'Strategy is already stopped', status: 'stopped' });
      const s1 = await api.call('POST', `/api/v1/strategies/${strategy.id}/start`, {
        body: { ignored: true },
      });
      assert.equal(s1.status, 202);
      assert.equal(s1.body.status, 'starting');
      assert.equal(s1.body.message, 'Strategy start request accepted, executing in background');
      const s2 = await api.call('POST', `/api/v1/strategies/${strategy.id}/start`);
      assert.deepEqual(s2.body, { message: 'Strategy is already starting', status: 'starting' });
      const running = await waitForStatus(api, strategy.id, 'running');
      assert.equal(typeof running.port, 'number');
      assert.notEqual(running.started_at, null);
      assert.deepEqual((await api.call('POST', `/api/v1/strategies/${strategy.id}/start`)).body, {
        message: 'Strategy is already running',
        status: 'running',
      });
      const overview = await api.call('GET', '/api/v1/strategies/overview');
      assert.ok(overview.body.summary.running_strategies >= 1);
      const st = await api.call('POST', `/api/v1/strategies/${strategy.id}/stop`);
      assert.equal(st.status, 202);
      assert.equal(st.body.status, 'stopping');
      assert.deepEqual((await api.call('POST', `/api/v1/strategies/${strategy.id}/stop`)).body, {
        message: 'Strategy is already stopping',
        status: 'stopping',
      });
      const stopped = await waitForStatus(api, strategy.id, 'stopped');
      assert.equal(stopped.port, null);
      assert.notEqual(stopped.stopped_at, null);
      assert.equal((await api.call('POST', '/api/v1/strategies/99999/start')).status, 404);
      assert.equal((await api.call('POST', '/api/v1/strategies/x/stop')).status, 422);
    },
  );

  it('logs: empty with a message before any start, lines after, `lines` limits', async () => {
    const api = await ownApi();
    const { body: strategy } = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
    const before = await api.call('GET', `/api/v1/strategies/${strategy.id}/logs`);
    assert.equal(before.status, 200);
    assert.deepEqual(before.body.logs, []);
    assert.equal(before.body.total_returned, 0);
    assert.match(before.body.message, /Log file not found/);
    await api.call('POST', `/api/v1/strategies/${strategy.id}/start`);
    await waitForStatus(api, strategy.id, 'running');
    const logs = await api.call('GET', `/api/v1/strategies/${strategy.id}/logs`);
    assert.equal(logs.body.total_returned, 2);
    assert.deepEqual(Object.keys(logs.body.logs[0]).sort(), [
      'level',
      'logger',
      'message',
      'raw',
      'timestamp',
    ]);
    assert.equal(
      (await api.call('GET', `/api/v1/strategies/${strategy.id}/logs?lines=1`)).body.total_returned,
      1,
    );
    assert.equal((await api.call('GET', '/api/v1/strategies/99999/logs')).status, 404);
  });

  it('lists reflect every write at once (the page cache is invalidated by each change)', async () => {
    const api = await ownApi();
    const ids = async () =>
      (await api.call('GET', '/api/v1/strategies/?limit=5')).body.strategies.map(
        (s: any) => `${s.id}:${s.status}:${s.name}`,
      );
    const before = await ids();
    assert.deepEqual(await ids(), before);
    const { body: strategy } = await api.call('POST', '/api/v1/strategies/', { body: VALID_STRATEGY });
    assert.equal((await ids())[0], `${strategy.id}:stopped:${VALID_STRATEGY.name}`);
    await api.call('PUT', `/api/v1/strategies/${strategy.id}`, { body: { name: 'Renamed' } });
    assert.equal((await ids())[0], `${strategy.id}:stopped:Renamed`);
    await api.call('POST', `/api/v1/strategies/${strategy.id}/start`);
    assert.equal((await ids())[0], `${strategy.id}:starting:Renamed`);
    await waitForStatus(api, strategy.id, 'running');
    assert.equal((await ids())[0], `${strategy.id}:running:Renamed`);
    await api.call('DELETE', `/api/v1/strategies/${strategy.id}`);
    assert.deepEqual(await ids(), before);
  });
});
