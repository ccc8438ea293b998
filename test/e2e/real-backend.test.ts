// Against the real command: the admin login's expectation follows the credentials (preflight
// checks given ones once), slow logins get one warning before any load, and users survive a burst of
// failing first logins. The in-process API stands in for staging (BTCW_TARGET on 127.0.0.1).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PackRun, runCli, runPack } from '../../harness/pack.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { NO_FAULTS } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

const USER = { BTCW_USERNAME: 'testuser', BTCW_PASSWORD: 'testpass123' };
const SHORT = ['--duration-factor', '0.05', '--users-factor', '0.3', '--think-factor', '0.02'];
const ADMIN_LOGIN = 'POST /auth/token [ADMIN LOGIN]';

async function expectRefusal(env: Record<string, string>, message: RegExp): Promise<void> {
  const result = await runCli(['run', 'smoke', '--env', 'staging', '--no-report'], env);
  assert.equal(result.code, 2, `exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `not one line: ${result.stderr}`);
  assert.match(lines[0]!, message);
  // no stack trace, Artillery never started
  assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at |Test run id/);
}

describe('admin login expectation against a stock-like backend', () => {
  // Seeded like a stock backend whose admin hash does not match admin123; "root" is a working admin.
  let api: RunningApi;
  before(async () => {
    api = await startApi({
      port: 0,
      bcryptCost: 4,
      seed: {
        users: [
          { username: 'testuser', password: 'testpass123', email: 'testuser@example.com' },
          { username: 'admin', password: 'not-admin123', email: 'admin@example.com', superuser: true },
          { username: 'root', password: 'r00t-pass', email: 'root@example.com', superuser: true },
        ],
        strategies: 2,
        signals: 5,
      },
    });
  });
  after(() => api.close());
  const staging = () => ({ ...USER, BTCW_TARGET: `http://127.0.0.1:${api.port}` });
  const runStaging = (env: Record<string, string>) =>
    runPack('smoke', api.port, ['--env', 'staging', '--mix', 'AuthenticationUser', ...SHORT], {
      ...staging(),
      ...env,
    });

  it('preflight stops with one line on wrong or half-given admin credentials, before any load', async () => {
    const before = api.state.store.activeStrategies().length;
    await expectRefusal(
      { ...staging(), BTCW_ADMIN_USERNAME: 'root', BTCW_ADMIN_PASSWORD: 'wrong' },
      /^btcw: admin login as "root" was refused \(401\): check BTCW_ADMIN_USERNAME and BTCW_ADMIN_PASSWORD/,
    );
    await expectRefusal(
      { ...staging(), BTCW_ADMIN_USERNAME: 'root' },
      /^btcw: BTCW_ADMIN_PASSWORD is missing or empty while BTCW_ADMIN_USERNAME is set/,
    );
    assert.equal(api.state.store.activeStrategies().length, before, 'a refused run made fixtures');
  });

  function assertAdminGraded(run: PackRun, status: number, reason: RegExp): void {
    const evaluation = run.evaluation;
    assert.ok(evaluation, `no evaluation: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-2000)}`);
    const admin = evaluation.endpoints.find((x) => x.name === ADMIN_LOGIN);
    assert.ok(admin && admin.requests > 0, 'no admin logins were sent');
    assert.equal(admin.codes[String(status)], admin.requests, JSON.stringify(admin.codes));
    assert.equal(admin.failed, 0, `${ADMIN_LOGIN} failed ${admin.failed} of ${admin.requests}`);
    const meta = run.document!.meta.adminLogin as { status: number; reason: string };
    assert.equal(meta.status, status);
    assert.match(meta.reason, reason);
    assert.match(run.stdout, new RegExp(`\\n  \\[ADMIN LOGIN\\] expects ${status}: `));
    assert.equal(run.code, 0, JSON.stringify(evaluation.reasons));
  }

  it("no admin credentials: [ADMIN LOGIN] expects a stock backend's 401; the header says so", async () => {
    assertAdminGraded(await runStaging({}), 401, /no admin credentials given/);
  });

  it('with working admin credentials, [ADMIN LOGIN] expects 200, checked once by preflight', async () => {
    const run = await runStaging({ BTCW_ADMIN_USERNAME: 'root', BTCW_ADMIN_PASSWORD: 'r00t-pass' });
    assertAdminGraded(run, 200, /admin credentials given/);
    assert.doesNotMatch(run.stdout + run.stderr, /r00t-pass/);
  });
});

describe('slow logins', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(async () => {
    api.state.faults = { ...NO_FAULTS };
    await api.close();
  });

  it('warns once, with the figures, before any load when arrivals would queue logins', async () => {
    // 700 ms logins, 3 users arriving in 1 s: 2.1 s of login work per second.
    api.state.faults = { ...NO_FAULTS, latencyMs: 700, latencyRoute: 'auth/token' };
    let run: PackRun;
    try {
      run = await runPack('smoke', api.port, SHORT);
    } finally {
      api.state.faults = { ...NO_FAULTS };
    }
    const warnings = run.stdout.split('\n').filter((l) => l.includes('expect queued logins'));
    assert.equal(warnings.length, 1, run.stdout);
    assert.match(
      warnings[0]!,
      new RegExp(
        '^btcw: warning: logins take \\d+ ms here; ' +
          '3 users/s arriving need 2\\.\\d s of login work per second: ' +
          'expect queued logins, or use --login-policy pool$',
      ),
    );
    assert.ok(run.stdout.indexOf('expect queued logins') < run.stdout.indexOf('Test run id'), 'warned late');
    assert.equal(run.code, 0, 'the warning is not an error');
    assert.equal(run.stderr.includes('queued'), false);
  });

  it('users survive a burst of failing first logins: retried, counted, none stopped', async () => {
    // Every login fails 500 "database is locked" once the run's set-up is done, until the first logins of
    // the 10 users have met 10 of those failures; then logins recover. (A timer would race the workers'
    // start-up; a longer burst could use up a user's 4 retries, which the unit tests cover.)
    api.state.faults = { ...NO_FAULTS };
    const known = new Set(api.state.store.activeStrategies().map((s) => s.id));
    const loginFailures = () =>
      Object.entries(api.timings.snapshot().routes)
        .filter(([route]) => route.includes('auth/token'))
        .reduce((a, [, timing]) => a + (timing.codes['500'] ?? 0), 0);
    let failuresBefore = 0;
    let burst = false;
    const poll = setInterval(() => {
      if (!burst) {
        const fixtures = api.state.store
          .activeStrategies()
          .filter((s) => !known.has(s.id) && TAG_PATTERN.test(s.name));
        if (fixtures.length < 3) return;
        burst = true;
        failuresBefore = loginFailures();
        api.state.faults = { ...NO_FAULTS, loginErrorRate: 1 };
      } else if (loginFailures() - failuresBefore >= 10) {
        clearInterval(poll);
        api.state.faults = { ...NO_FAULTS };
      }
    }, 10);
    let run: PackRun;
    try {
      run = await runPack('smoke', api.port, ['--duration-factor', '0.15', '--think-factor', '0.05']);
    } finally {
      clearInterval(poll);
      api.state.faults = { ...NO_FAULTS };
    }
    const evaluation = run.evaluation;
    assert.ok(evaluation, run.stdout + run.stderr);
    const first = evaluation.endpoints.find((x) => x.name === 'POST /auth/token [LOGIN AT START]');
    assert.ok((first?.codes['500'] ?? 0) > 0, 'the burst hit no first login');
    assert.ok(evaluation.pack.loginRetries > 0, 'no login retries counted');
    assert.equal(evaluation.pack.usersStopped.login_failed, undefined, JSON.stringify(evaluation.pack));
    assert.match(run.stdout, /login retries [1-9]\d*;/);
  });
});
