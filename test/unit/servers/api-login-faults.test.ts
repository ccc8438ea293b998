// The login faults of the reference API (a fraction of 500 "database is locked", a serialised login
// queue), switchable at run time like the others, and the contract notes seen on a real deployment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverTotalMs } from '../../../plugin/server-timing.js';
import { parseTargetArgs } from '../../../reference-api/api-flags.js';
import { DEFAULT_API_OPTIONS } from '../../../reference-api/api-options.js';
import { DATABASE_LOCKED, loginErrors, mergeFaults, NO_FAULTS } from '../../../reference-api/faults.js';
import { type ResponseHeaders, startTestApi, type TestApi } from '../../helpers/api.js';

const GOOD = { username: 'testuser', password: 'testpass123' };

describe('login faults: settings', () => {
  it('splits the roll at loginErrorRate', () => {
    const faults = { ...NO_FAULTS, loginErrorRate: 0.3 };
    assert.equal(loginErrors(faults, 0.29), true);
    assert.equal(loginErrors(faults, 0.3), false);
    assert.equal(loginErrors(NO_FAULTS, 0), false);
  });
  it('validates both settings with one-line messages', () => {
    assert.match(
      mergeFaults(NO_FAULTS, { loginErrorRate: 1.5 }) as string,
      /loginErrorRate.*between 0 and 1/,
    );
    assert.match(mergeFaults(NO_FAULTS, { serialLoginMs: -1 }) as string, /serialLoginMs.*>= 0/);
    assert.match(mergeFaults(NO_FAULTS, { serialLoginMs: 'slow' }) as string, /serialLoginMs/);
    assert.deepEqual(mergeFaults(NO_FAULTS, { loginErrorRate: 0.5, serialLoginMs: 300 }), {
      ...NO_FAULTS,
      loginErrorRate: 0.5,
      serialLoginMs: 300,
    });
  });
  it('takes them from flags and BTCW_FAULT_* variables', () => {
    const parsed = parseTargetArgs(['--login-error-rate', '0.26', '--bcrypt-cost', '12'], {
      BTCW_FAULT_SERIAL_LOGIN_MS: '300',
    });
    assert.ok(!('error' in parsed) && !parsed.help);
    if ('error' in parsed || parsed.help) return;
    assert.equal(parsed.options.faults.loginErrorRate, 0.26);
    assert.equal(parsed.options.faults.serialLoginMs, 300);
    assert.equal(parsed.options.bcryptCost, 12);
    const bad = parseTargetArgs(['--login-error-rate', '2'], {});
    assert.ok('error' in bad && /loginErrorRate.*between 0 and 1/.test(bad.error));
    const nan = parseTargetArgs(['--serial-login-ms', 'x'], {});
    assert.ok('error' in nan && /--serial-login-ms must be a number/.test(nan.error));
  });
});

describe('login faults: in the running API', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => {
    await setFaults({});
    await api.close();
  });
  const setFaults = (patch: Record<string, unknown>) =>
    api.call('PUT', '/__admin/faults', { body: { reset: true, ...patch }, token: null });
  const login = (form: Record<string, string> = GOOD) =>
    api.call('POST', '/api/v1/auth/token', { form, token: null });
  const serverMs = (answer: { headers: ResponseHeaders }) =>
    serverTotalMs(answer.headers.get('server-timing') ?? undefined)!;

  it('answers correct logins 500 "database is locked" at loginErrorRate 1, after the password', async () => {
    try {
      const set = await setFaults({ loginErrorRate: 1 });
      assert.equal(set.body.loginErrorRate, 1);
      const response = await login();
      assert.equal(response.status, 500);
      assert.deepEqual(response.body, DATABASE_LOCKED);
      // Wrong credentials are refused first, as on the real backend.
      assert.equal((await login({ username: 'testuser', password: 'nope' })).status, 401);
      assert.equal((await login({ username: 'nobody', password: 'x' })).status, 401);
      // Only logins: other routes and a token from before are untouched.
      assert.equal((await api.call('GET', '/api/v1/auth/me')).status, 200);
    } finally {
      await setFaults({});
    }
    assert.equal((await login()).status, 200);
  });

  it('fails about the set fraction of logins', async () => {
    try {
      await setFaults({ loginErrorRate: 0.5 });
      const statuses = await Promise.all(Array.from({ length: 40 }, () => login()));
      const failed = statuses.filter((r) => r.status === 500).length;
      assert.ok(failed >= 8 && failed <= 32, `${failed} of 40 failed`);
      assert.equal(statuses.filter((r) => r.status !== 500 && r.status !== 200).length, 0);
    } finally {
      await setFaults({});
    }
  });

  it('serialises logins at serialLoginMs: one at a time, a queue that grows with the burst', async () => {
    try {
      await setFaults({ serialLoginMs: 150 });
      const started = performance.now();
      const done: number[] = [];
      const rs = await Promise.all(
        Array.from({ length: 4 }, () =>
          login().then((response) => {
            done.push(performance.now() - started);
            return response;
          }),
        ),
      );
      assert.deepEqual(
        rs.map((r) => r.status),
        [200, 200, 200, 200],
      );
      done.sort((a, b) => a - b);
      // The login at position p (from 0) ends no earlier than p + 1 turns after the burst.
      done.forEach((ms, position) => {
        assert.ok(ms >= 150 * (position + 1) - 5, `login ${position + 1} ended after ${ms.toFixed(0)} ms`);
      });
      // An unknown username skips the password check, and so the queue: read from the server's own time
      // (Server-Timing), which a busy machine delaying this test's client does not lengthen.
      const unknown = await login({ username: 'nobody', password: 'x' });
      assert.equal(unknown.status, 401);
      assert.ok(serverMs(unknown) < 140, `unknown user held ${serverMs(unknown)} ms at the server`);
    } finally {
      await setFaults({});
    }
    const after = await Promise.all([login(), login(), login()]);
    for (const response of after)
      assert.ok(
        serverMs(response) < 140,
        `a login still queued after the fault was switched off: ${serverMs(response)} ms`,
      );
  });
});

describe('contract notes from a real deployment', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('serves health at the root only', async () => {
    const health = await api.call('GET', '/health', { token: null });
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'healthy');
    assert.equal((await api.call('GET', '/api/v1/health', { token: null })).status, 404);
  });

  it('answers no login body 422, and empty credentials 422 (FastAPI 0.104; 0.115 answers 401)', async () => {
    const none = await api.call('POST', '/api/v1/auth/token', { token: null });
    assert.equal(none.status, 422);
    const empty = await api.call('POST', '/api/v1/auth/token', {
      form: { username: '', password: '' },
      token: null,
    });
    assert.equal(empty.status, 422);
  });

  it('turns a started strategy running within the 0.5 s seen on the real backend, by default', () => {
    assert.ok(DEFAULT_API_OPTIONS.startDelayMs <= 500);
  });
});
