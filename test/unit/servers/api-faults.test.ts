import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { serverTotalMs } from '../../../plugin/server-timing.js';
import {
  addedLatency,
  chooseFault,
  mergeFaults,
  NO_FAULTS,
  stallHold,
} from '../../../reference-api/faults.js';
import { type ResponseHeaders, startTestApi, type TestApi } from '../../helpers/api.js';

describe('faults: pure decisions', () => {
  it('splits the roll into reset, error, malformed, none', () => {
    const faults = { ...NO_FAULTS, resetRate: 0.1, errorRate: 0.2, malformedRate: 0.1 };
    assert.equal(chooseFault(faults, 0.05), 'reset');
    assert.equal(chooseFault(faults, 0.1), 'error');
    assert.equal(chooseFault(faults, 0.29), 'error');
    assert.equal(chooseFault(faults, 0.35), 'malformed');
    assert.equal(chooseFault(faults, 0.4), 'none');
    assert.equal(chooseFault(NO_FAULTS, 0), 'none');
  });
  it('starts errorRate errorRateFromSeconds after the faults were set', () => {
    const faults = { ...NO_FAULTS, errorRate: 0.5, errorRateFromSeconds: 20 };
    assert.equal(chooseFault(faults, 0.1, 19_999), 'none');
    assert.equal(chooseFault(faults, 0.1, 20_000), 'error');
    assert.equal(chooseFault(faults, 0.6, 30_000), 'none');
    assert.equal(chooseFault({ ...faults, errorRateFromSeconds: 0 }, 0.1, 0), 'error');
  });
  it('holds a response ready during a stall until the stall ends', () => {
    const faults = { ...NO_FAULTS, stallEverySeconds: 30, stallMs: 1000 };
    assert.equal(stallHold(faults, 500), 0, 'no stall before the first period');
    assert.equal(stallHold(faults, 29_999), 0);
    assert.equal(stallHold(faults, 30_000), 1000);
    assert.equal(stallHold(faults, 30_400), 600);
    assert.equal(stallHold(faults, 31_000), 0);
    assert.equal(stallHold(faults, 60_250), 750);
    assert.equal(stallHold(NO_FAULTS, 30_000), 0);
  });
  it('adds latency only on matching routes', () => {
    const faults = { ...NO_FAULTS, latencyMs: 100, jitterMs: 50, latencyRoute: 'signals' };
    assert.equal(addedLatency(faults, '/api/v1/signals/', 0.5), 125);
    assert.equal(addedLatency(faults, '/api/v1/strategies/', 0.5), 0);
  });
  it('validates patches with one-line messages', () => {
    assert.match(mergeFaults(NO_FAULTS, { errorRate: 2 }) as string, /errorRate.*between 0 and 1/);
    assert.match(mergeFaults(NO_FAULTS, { bogus: 1 }) as string, /unknown fault "bogus"/);
    assert.match(mergeFaults(NO_FAULTS, { latencyRoute: '(' }) as string, /not a valid regular expression/);
    assert.match(mergeFaults(NO_FAULTS, { emptyLists: 'yes' }) as string, /true or false/);
    assert.match(mergeFaults(NO_FAULTS, { stallMs: 100 }) as string, /go together/);
    assert.match(
      mergeFaults(NO_FAULTS, { stallEverySeconds: 1, stallMs: 1000 }) as string,
      /shorter than the stall period/,
    );
    assert.deepEqual(mergeFaults(NO_FAULTS, { latencyMs: 5 }), { ...NO_FAULTS, latencyMs: 5 });
  });
});

const putFaults = (api: TestApi, patch: Record<string, unknown>) =>
  api.call('PUT', '/__admin/faults', { body: { reset: true, ...patch }, token: null });

async function switchOn(api: TestApi, patch: Record<string, unknown>): Promise<void> {
  const response = await putFaults(api, patch);
  assert.equal(response.status, 200, JSON.stringify(response.body));
}

describe('faults: in the running API', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());
  const setFaults = (patch: Record<string, unknown>) => putFaults(api, patch);
  /** Switches faults on for one test; they go off when it ends, passed or failed, so no failure cascades. */
  const faultsOn = async (ctx: TestContext, patch: Record<string, unknown>) => {
    ctx.after(() => setFaults({}));
    await switchOn(api, patch);
  };

  it('answers 500 in the real unhandled-error shape at errorRate 1, and /health stays clean', async (ctx) => {
    await faultsOn(ctx, { errorRate: 1 });
    const response = await api.call('GET', '/api/v1/strategies/');
    assert.equal(response.status, 500);
    assert.deepEqual(response.body, { error: 'Internal server error', message: 'An error occurred' });
    assert.equal((await api.call('GET', '/health')).status, 200);
  });

  it('resets connections at resetRate 1', async (ctx) => {
    await faultsOn(ctx, { resetRate: 1 });
    await assert.rejects(
      fetch(`${api.url}/api/v1/strategies/`, { headers: { authorization: `Bearer ${api.token}` } }),
    );
    await setFaults({});
    assert.equal((await api.call('GET', '/api/v1/strategies/')).status, 200);
  });

  it('fails every login, empties lists, sends malformed JSON when asked', async (ctx) => {
    await faultsOn(ctx, { failLogin: true });
    assert.equal(
      (
        await api.call('POST', '/api/v1/auth/token', {
          form: { username: 'testuser', password: 'testpass123' },
          token: null,
        })
      ).status,
      401,
    );
    await setFaults({ emptyLists: true });
    assert.deepEqual((await api.call('GET', '/api/v1/strategies/')).body.strategies, []);
    assert.deepEqual((await api.call('GET', '/api/v1/signals/')).body.signals, []);
    await setFaults({ malformedRate: 1 });
    const response = await api.call('GET', '/api/v1/strategies/');
    assert.equal(response.status, 200);
    assert.equal(typeof response.body, 'string');
    assert.throws(() => JSON.parse(response.body));
  });

  it('refuses invalid fault settings with 400 and keeps the old ones', async () => {
    const response = await api.call('PUT', '/__admin/faults', { body: { errorRate: 5 }, token: null });
    assert.equal(response.status, 400);
    assert.match(response.body.detail, /errorRate/);
    assert.equal((await api.call('GET', '/__admin/faults', { token: null })).body.errorRate, 0);
  });

  it('reports server-side timings with a Server-Timing header and /__admin/stats', async () => {
    const response = await api.call('GET', '/api/v1/strategies/');
    assert.match(response.headers.get('server-timing')!, /^total;dur=\d+\.\d+$/);
    const stats = await api.call('GET', '/__admin/stats', { token: null });
    assert.ok(stats.body.requests > 0);
    assert.ok(stats.body.routes['/api/v1/strategies/'].count > 0);
    const apiCount = Object.entries(stats.body.routes as Record<string, { count: number }>)
      .filter(([route]) => route.startsWith('/api/'))
      .reduce((sum, [, tally]) => sum + tally.count, 0);
    assert.deepEqual((await api.call('GET', '/__admin/stats/count', { token: null })).body, {
      apiRequests: apiCount,
    });
  });
});

// The faults that play out in time: side by side, each against an API of its own (faults are the API's
// whole state), so that their waits overlap.
describe('faults: in time, in the running API', { concurrency: true }, () => {
  const ownApi = async (ctx: TestContext) => {
    const api = await startTestApi();
    ctx.after(() => api.close());
    return api;
  };

  it('holds every API response ready during a stall until it ends, and spares /health', async (ctx) => {
    const api = await ownApi(ctx);
    await switchOn(api, { stallEverySeconds: 0.5, stallMs: 400 });
    // the first stall starts 0.5 s after the faults were set; a request sent 0.525 s after waits for its end
    await sleep(525);
    const start = performance.now();
    const [strategies, health] = await Promise.all([
      api
        .call('GET', '/api/v1/strategies/')
        .then((response) => ({ response, ms: performance.now() - start })),
      api.call('GET', '/health').then((response) => ({ response, ms: performance.now() - start })),
    ]);
    assert.equal(strategies.response.status, 200);
    assert.ok(strategies.ms >= 250, `held ${strategies.ms.toFixed(0)} ms, not until the stall's end`);
    // Whether /health waited is read from the server's own time: a busy machine can delay the client's
    // reading of either answer, not the time the server held it. (The bound above is the client's: sent at
    // 0.525 s, the answer cannot come before the stall ends at 0.9 s, however late the request arrives.)
    const held = (answer: { headers: ResponseHeaders }) =>
      serverTotalMs(answer.headers.get('server-timing') ?? undefined)!;
    assert.ok(held(health.response) < 250, `health waited for the stall: ${held(health.response)} ms`);
  });

  it('starts the error rate errorRateFromSeconds after the faults were set', async (ctx) => {
    const api = await ownApi(ctx);
    await switchOn(api, { errorRate: 1, errorRateFromSeconds: 0.5 });
    assert.equal((await api.call('GET', '/api/v1/strategies/')).status, 200);
    await sleep(600);
    assert.equal((await api.call('GET', '/api/v1/strategies/')).status, 500);
  });

  it('adds latency on the chosen routes only', async (ctx) => {
    const api = await ownApi(ctx);
    await switchOn(api, { latencyMs: 150, latencyRoute: 'overview' });
    const start = performance.now();
    await api.call('GET', '/api/v1/strategies/overview');
    assert.ok(performance.now() - start >= 145);
    // The other route's time at the server (Server-Timing): a busy machine cannot lengthen it past 145 ms.
    const other = await api.call('GET', '/api/v1/strategies/');
    const held = serverTotalMs(other.headers.get('server-timing') ?? undefined)!;
    assert.ok(held < 145, `latency added to another route: ${held} ms at the server`);
  });

  it('issues tokens that expire after tokenTtlSeconds', async (ctx) => {
    const api = await ownApi(ctx);
    await switchOn(api, { tokenTtlSeconds: 1 });
    // A token's exp is a whole second (the second of its issue, plus 1 s), so a 1 s token lives only to the
    // end of the second it was issued in: log in early enough in a second that the first check is in time.
    const intoSecond = Date.now() % 1000;
    if (intoSecond > 600) await sleep(1000 - intoSecond);
    const login = await api.call('POST', '/api/v1/auth/token', {
      form: { username: 'testuser', password: 'testpass123' },
      token: null,
    });
    const token = login.body.access_token as string;
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    assert.ok(exp * 1000 - Date.now() <= 1000, `the token lives past its 1 s: exp ${exp}`);
    assert.equal((await api.call('GET', '/api/v1/auth/me', { token })).status, 200);
    await sleep(exp * 1000 - Date.now() + 20);
    const expired = await api.call('GET', '/api/v1/auth/me', { token });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, { detail: 'Could not validate credentials' });
  });
});
