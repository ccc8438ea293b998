// Token lifecycle end to end: expiring tokens, a login that starts failing, the shared token pool.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, runPack } from '../../harness/pack.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { NO_FAULTS } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

const FAST = ['--duration-factor', '0.12', '--users-factor', '1', '--think-factor', '0.05'];

describe('pack end to end: sessions', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it('renews tokens that expire every 3 s: counted re-logins, no 401 failures', async () => {
    api.state.faults = { ...NO_FAULTS, tokenTtlSeconds: 3 };
    try {
      const run = await runPack('smoke', api.port, FAST);
      const evaluation = run.evaluation!;
      assert.equal(run.code, 0, run.stdout.slice(-2000));
      assert.ok(evaluation.pack.relogins > 0, 'no re-logins counted');
      assert.equal(evaluation.overall.failed, 0, JSON.stringify(evaluation.reasons));
      assert.equal(evaluation.pack.unexpected401, 0);
      const relogin = evaluation.endpoints.find((x) => x.name === 'POST /auth/token [RELOGIN]');
      assert.equal(relogin?.requests, evaluation.pack.relogins);
      // the only 401s are the expected rejections of the invalid-login task
      for (const ep of evaluation.endpoints) {
        if (ep.codes['401'] && ep.name !== 'POST /auth/token [INVALID LOGIN]')
          assert.fail(`${ep.name} got 401s`);
      }
    } finally {
      api.state.faults = { ...NO_FAULTS };
    }
  });

  it('stops every user with a counted reason when login fails, and ends cleanly', async () => {
    // The preflight and set-up (fixtures) logins get through; every later login fails.
    api.state.faults = { ...NO_FAULTS, failLogin: true, failLoginAfter: 2 };
    let run: Awaited<ReturnType<typeof runPack>>;
    try {
      run = await runPack('smoke', api.port, FAST);
    } finally {
      api.state.faults = { ...NO_FAULTS };
    }
    const evaluation = run.evaluation!;
    assert.ok(evaluation, run.stdout + run.stderr);
    // all but AuthenticationUser log in at start
    assert.equal(evaluation.pack.usersStopped.login_failed, 9, JSON.stringify(evaluation.pack));
    assert.equal(evaluation.pack.logins, 0);
    assert.equal(evaluation.verdict, 'FAIL');
    assert.equal(run.code, 3);
    assert.doesNotMatch(run.stderr + run.stdout, /Bearer undefined|TypeError|at .*\.js:\d+/);
    // no user went on without a token: the only requests besides logins are AuthenticationUser's own logins
    for (const ep of evaluation.endpoints)
      assert.match(ep.name, /^POST \/auth\/token /, `${ep.name} was sent without a session`);
    // its after-hook could not log in to clean up; the cleanup command removes what is left
    const clean = await runCli(['cleanup'], { BTCW_API_PORT: String(api.port) });
    assert.equal(clean.code, 0, clean.stderr);
    assert.deepEqual(
      api.state.store.activeStrategies().filter((s) => TAG_PATTERN.test(s.name)),
      [],
    );
  });

  it('shares a small token pool instead of one login per user', async () => {
    const run = await runPack('smoke', api.port, [...FAST, '--login-policy', 'pool']);
    const evaluation = run.evaluation!;
    assert.equal(run.code, 0, run.stdout.slice(-2000));
    assert.equal(evaluation.pack.logins, 0);
    assert.ok(!evaluation.endpoints.some((x) => x.name === 'POST /auth/token [LOGIN AT START]'));
    assert.ok(evaluation.endpoints.find((x) => x.name === 'GET /strategies/ [LIST]')!.requests > 0);
    assert.equal(evaluation.overall.failed, 0);
  });
});
