// The processors' hooks on a plain context, as Artillery calls them: what a late first login and a missed
// pick leave for the flow's next steps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { afterLogin, pickId, reloginDue, startUser } from '../../processors/index.js';
import { signJwt } from '../../reference-api/jwt.js';

const events = { emit: () => undefined } as never;
const done = () => undefined;
// A bare VU context, as Artillery builds one (tests may use any).
type Ctx = { vars: Record<string, any> };

function user(runSeconds: number): Ctx {
  const context: Ctx = {
    vars: { mixClasses: ['StrategyReadUser'], runSeconds, runSeed: 7, runTag: 't', $environment: 'local' },
  };
  startUser(context as never, events, done);
  return context;
}

const token = () => signJwt({ sub: 'testuser', exp: Math.floor(Date.now() / 1000) + 3600 }, 'secret');
const ok = (body: unknown) => ({ statusCode: 200, body: JSON.stringify(body) });

describe('user hooks', () => {
  it('a first login that ends after the deadline leaves no task to run', async () => {
    // The deadline is the worker's, set by its first user: each user here has a worker of its own.
    const userContext = user(0.05);
    assert.ok(userContext.vars.task, 'startUser chose a first task');
    await new Promise((r) => setTimeout(r, 80));
    afterLogin({}, ok({ access_token: token() }), userContext as never, events, done);
    assert.equal(userContext.vars.task, undefined);
    assert.ok(userContext.vars.token);
  });

  it("a first login says when it ended, from its worker's first user; a re-login does not", async () => {
    const userContext = user(60);
    await new Promise((r) => setTimeout(r, 30));
    const emitted: Array<[string, string, number]> = [];
    const recording = {
      emit: (type: string, name: string, value: number) => emitted.push([type, name, value]),
    };
    afterLogin({}, ok({ access_token: token() }), userContext as never, recording as never, done);
    const [counter, histogram] = emitted;
    assert.deepEqual(counter, ['counter', 'btcw.logins', 1]);
    assert.deepEqual(histogram?.slice(0, 2), ['histogram', 'btcw.first_login_at']);
    assert.ok(histogram![2] >= 29 && histogram![2] < 10_000, `${histogram![2]} ms after the first user`);
    emitted.length = 0;
    userContext.vars.needLogin = [1];
    afterLogin({}, ok({ access_token: token() }), userContext as never, recording as never, done);
    assert.deepEqual(emitted, [['counter', 'btcw.relogins', 1]]);
  });

  it('a re-login answered 5xx is sent again after a backoff; one answered 401 stops the user', () => {
    const userContext = user(60);
    const due = () => {
      let go: boolean | undefined;
      reloginDue(userContext as never, (isDue) => {
        go = isDue;
      });
      return go;
    };
    Object.assign(userContext.vars, { token: token(), needLogin: [1] });
    const counted: string[] = [];
    const counting = { emit: (_t: string, name: string) => counted.push(name) } as never;
    afterLogin({}, { statusCode: 500, body: '' }, userContext as never, counting, done);
    assert.equal(due(), true, 'the re-login is due again');
    assert.deepEqual(counted, ['btcw.login_retries']);
    afterLogin({}, ok({ access_token: token() }), userContext as never, counting, done);
    assert.equal(due(), false, 'a token ends the re-login');
    assert.equal(userContext.vars._btcw.loginRetries, 0);
    userContext.vars.needLogin = [1];
    afterLogin({}, { statusCode: 401, body: '' }, userContext as never, counting, done);
    assert.equal(due(), false);
    assert.equal(userContext.vars._btcw.stopReason, 'relogin_failed');
  });

  it('a pick that finds nothing clears an earlier pick of the task', () => {
    const userContext = user(60);
    userContext.vars.taskId = 'SR-3';
    pickId(
      { btcwPick: { list: 'strategies' } },
      ok({ strategies: [{ id: 4 }] }),
      userContext as never,
      events,
      done,
    );
    assert.deepEqual([userContext.vars.when.found, userContext.vars.strategyId], [[1], 4]);
    pickId({ btcwPick: { list: 'strategies' } }, ok({ strategies: [] }), userContext as never, events, done);
    assert.equal(userContext.vars.when.found, undefined);
  });

  it("a whole-run pick takes another container's strategy of the run, a run pick only its own", () => {
    const userContext = user(60);
    Object.assign(userContext.vars, { runTag: 'r1-wabc123', sharedRunTag: 'r1', taskId: 'WH-1' });
    const list = ok({
      strategies: [
        { id: 1, name: 'S [btcw:r1-wfff000]' },
        { id: 2, name: 'S [btcw:r2-wabc123]' },
        { id: 3, name: 'S [btcw:r1-wabc123]' },
      ],
    });
    pickId(
      { btcwPick: { list: 'strategies', scope: 'wholeRun', first: true } },
      list,
      userContext as never,
      events,
      done,
    );
    assert.equal(userContext.vars.strategyId, 1);
    pickId(
      { btcwPick: { list: 'strategies', scope: 'run', first: true } },
      list,
      userContext as never,
      events,
      done,
    );
    assert.equal(userContext.vars.strategyId, 3);
  });
});

describe('users of one worker', () => {
  it('share its user count and deadline through the before hook’s variables, not module state', () => {
    const shared = { started: 0, startedMs: null, deadlineMs: null };
    const vars = () => ({
      mixClasses: ['APIMonitorUser', 'StrategyReadUser'],
      runSeconds: 60,
      runSeed: 7,
      btcwWorkerUsers: shared,
    });
    const first: Ctx = { vars: vars() };
    const second: Ctx = { vars: vars() };
    startUser(first as never, events, done);
    startUser(second as never, events, done);
    assert.deepEqual(
      [first.vars._btcw.cls.name, second.vars._btcw.cls.name],
      ['APIMonitorUser', 'StrategyReadUser'],
      'round-robin over the mix',
    );
    assert.equal(first.vars.deadlineMs, second.vars.deadlineMs);
    assert.equal(shared.started, 2);
    // Another worker (another copy of the variables) counts from 0 again.
    const userContext = user(60);
    assert.equal(userContext.vars._btcw.cls.name, 'StrategyReadUser');
    assert.equal(userContext.vars.btcwWorkerUsers.started, 1);
  });
});
