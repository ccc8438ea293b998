// Issue #13, against the real command: the admin login's expectation follows the credentials (preflight
// checks given ones once). The in-process API stands in for staging (BTCW_TARGET on 127.0.0.1).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningApi, startApi } from '../../target/server.js';
import { type PackRun, runCli, runPack } from '../helpers/pack.js';

const USER = { BTCW_USERNAME: 'testuser', BTCW_PASSWORD: 'testpass123' };
const SHORT = ['--duration-factor', '0.05', '--users-factor', '0.3', '--think-factor', '0.02'];
const ADMIN_LOGIN = 'POST /auth/token [ADMIN LOGIN]';

async function expectRefusal(env: Record<string, string>, message: RegExp): Promise<void> {
  const r = await runCli(['run', 'smoke', '--env', 'staging', '--no-report'], env);
  assert.equal(r.code, 2, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `not one line: ${r.stderr}`);
  assert.match(lines[0]!, message);
  assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at |Test run id/); // no stack trace, Artillery never started
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
    const e = run.evaluation;
    assert.ok(e, `no evaluation: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-2000)}`);
    const admin = e.endpoints.find((x) => x.name === ADMIN_LOGIN);
    assert.ok(admin && admin.requests > 0, 'no admin logins were sent');
    assert.equal(admin.codes[String(status)], admin.requests, JSON.stringify(admin.codes));
    assert.equal(admin.failed, 0, `${ADMIN_LOGIN} failed ${admin.failed} of ${admin.requests}`);
    const meta = run.document!.meta.adminLogin as { status: number; reason: string };
    assert.equal(meta.status, status);
    assert.match(meta.reason, reason);
    assert.match(run.stdout, new RegExp(`\\n  \\[ADMIN LOGIN\\] expects ${status}: `));
    assert.equal(run.code, 0, JSON.stringify(e.reasons));
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
