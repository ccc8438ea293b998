// Login handling's pure parts outside the retry logic: the admin login's expected answer, the queued-logins
// warning, and how the verdict header and users line show them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import { evaluate } from '../../grading/evaluation.js';
import { ROOT } from '../../harness/pack.js';
import { adminExpectation, resolveCredentials } from '../../lib/credentials.js';
import { formatSummary } from '../../report/console-verdict.js';
import { loginQueueWarning } from '../../runner/preflight.js';

const ADMIN = { BTCW_ADMIN_USERNAME: 'root', BTCW_ADMIN_PASSWORD: 's3cret' };

describe('admin login expectation', () => {
  it('expects 200 when admin credentials are given, on any environment', () => {
    for (const env of ['staging', 'production', 'local', undefined]) {
      const expectation = adminExpectation(ADMIN, env);
      assert.equal(expectation.status, 200, String(env));
      assert.equal(expectation.given, true);
      assert.match(expectation.reason, /admin credentials given/);
    }
  });
  it("keeps a stock backend's 401 on staging and production without them, 200 on the embedded API", () => {
    assert.deepEqual(
      [adminExpectation({}, 'staging'), adminExpectation({}, 'production')].map((a) => [a.status, a.given]),
      [
        [401, false],
        [401, false],
      ],
    );
    assert.match(adminExpectation({}, 'staging').reason, /stock backend refuses the Locust suite's admin/);
    assert.equal(adminExpectation({}, 'local').status, 200);
    assert.equal(adminExpectation({}, undefined).status, 200);
    // Empty values count as not given, as for every other credential.
    assert.equal(
      adminExpectation({ BTCW_ADMIN_USERNAME: '', BTCW_ADMIN_PASSWORD: '' }, 'staging').status,
      401,
    );
  });
  it('lets an adminLoginStatus set by hand win (raw form -v, environments.yml)', () => {
    assert.equal(adminExpectation({}, 'staging', 200).status, 200);
    assert.equal(adminExpectation(ADMIN, 'staging', '401').status, 401);
    assert.match(adminExpectation({}, 'staging', 200).reason, /adminLoginStatus variable/);
    assert.equal(adminExpectation({}, 'staging', '').status, 401);
    assert.equal(adminExpectation({}, 'staging', 'abc').status, 401);
  });
  it('refuses half an admin login with one line naming the missing variable', () => {
    const user = { BTCW_USERNAME: 'u', BTCW_PASSWORD: 'p' };
    const noPassword = resolveCredentials({ ...user, BTCW_ADMIN_USERNAME: 'root' }, 'staging');
    assert.ok(!noPassword.ok);
    assert.match(
      noPassword.error,
      /^BTCW_ADMIN_PASSWORD is missing or empty while BTCW_ADMIN_USERNAME is set/,
    );
    const noUsername = resolveCredentials({ BTCW_ADMIN_PASSWORD: 'x' }, 'local');
    assert.ok(!noUsername.ok && /^BTCW_ADMIN_USERNAME is missing/.test(noUsername.error));
    const both = resolveCredentials({ ...user, ...ADMIN }, 'staging');
    assert.ok(both.ok && both.admin.username === 'root' && both.admin.password === 's3cret');
  });
});

describe('queued-logins warning', () => {
  const load = [{ arrivalRate: 10, maxVusers: 100 }];
  it('warns when arrivals/s × login time exceeds one second of login work per second', () => {
    assert.equal(
      loginQueueWarning(310, load, 'per-user'),
      'logins take 310 ms here; 10 users/s arriving need 3.1 s of login work per second: ' +
        'expect queued logins, or use --login-policy pool',
    );
    assert.match(
      loginQueueWarning(1200, [{ arrivalRate: 1, maxVusers: 5 }], 'per-user')!,
      /1 user\/s arriving needs 1\.2 s/,
    );
  });
  it('stays quiet when logins keep up, with pooled tokens, and for a lone user', () => {
    assert.equal(loginQueueWarning(50, load, 'per-user'), null);
    assert.equal(loginQueueWarning(100, load, 'per-user'), null); // exactly 1: no queue
    assert.equal(loginQueueWarning(310, load, 'pool'), null);
    assert.equal(loginQueueWarning(5000, [{ arrivalRate: 1, maxVusers: 1 }], 'per-user'), null);
    assert.equal(loginQueueWarning(5000, [], 'per-user'), null);
  });
  it('takes the busiest phase', () => {
    const phases = [
      { arrivalRate: 2, maxVusers: 10 },
      { arrivalRate: 50, maxVusers: 500 },
    ];
    assert.match(loginQueueWarning(100, phases, 'per-user')!, /50 users\/s arriving need 5\.0 s/);
  });
});

describe('verdict header and users line', () => {
  const targets = loadTargets(`${ROOT}/config/targets.yml`);
  const MBE = 'plugins.metrics-by-endpoint.';
  const run = (counters: Record<string, number>) =>
    evaluate(
      {
        aggregate: {
          counters: {
            [`${MBE}POST /auth/token [ADMIN LOGIN].codes.401`]: 4,
            [`${MBE}GET /strategies/ [LIST].codes.200`]: 40,
            'btcw.users_started.StrategyReadUser': 3,
            'btcw.logins': 3,
            ...counters,
          },
          firstMetricAt: 0,
          lastMetricAt: 10_000,
        },
      },
      targets,
    );

  it('counts login retries and shows them in the users line', () => {
    const evaluation = run({ 'btcw.login_retries': 3 });
    assert.equal(evaluation.pack.loginRetries, 3);
    assert.match(
      formatSummary(evaluation),
      /users: 3 started, .*logins 3, re-logins 0, login retries 3; stopped: none/,
    );
    assert.equal(run({}).pack.loginRetries, 0);
  });
  it('reads an evaluation saved before login retries were counted', () => {
    const evaluation = run({});
    delete (evaluation.pack as { loginRetries?: number }).loginRetries;
    assert.match(formatSummary(evaluation), /login retries 0;/);
  });
  it('says which admin expectation graded [ADMIN LOGIN], right under the verdict', () => {
    const evaluation = run({});
    const text = formatSummary(evaluation, 5, { adminLogin: adminExpectation({}, 'staging') });
    const lines = text.split('\n');
    assert.match(lines[1]!, /^BTC Watcher performance targets: /);
    assert.equal(
      lines[2],
      '  [ADMIN LOGIN] expects 401: ' +
        "no admin credentials given, and a stock backend refuses the Locust suite's admin",
    );
    assert.doesNotMatch(formatSummary(evaluation), /expects/); // not told: nothing claimed
    const noAdmin = evaluate(
      { aggregate: { counters: { [`${MBE}GET /strategies/ [LIST].codes.200`]: 4 } } },
      targets,
    );
    assert.doesNotMatch(
      formatSummary(noAdmin, 5, { adminLogin: adminExpectation({}, 'staging') }),
      /ADMIN LOGIN/,
    );
  });
});
