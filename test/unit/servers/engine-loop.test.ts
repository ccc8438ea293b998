// The btcw engine's users, loaded as Artillery loads the engine, against the embedded API with faults:
// Locust's failure semantics (a failed request is counted and the user goes on; a login is retried on
// timeouts; only a refused login stops a user, with its reason).
import assert from 'node:assert/strict';
import { after, describe, it, test } from 'node:test';
import { closePools } from '../../../engine/request.js';
import { type FaultConfig, NO_FAULTS } from '../../../reference-api/faults.js';
import { startTestApi } from '../../helpers/api.js';
import { emitRecorder } from '../../helpers/engine-recorder.js';
import { runUsers } from '../../helpers/engine-users.js';

after(() => closePools());

/** An API of the user's own, started for it and closed after it. */
async function freshApi() {
  const api = await startTestApi();
  return { origin: new URL(api.url).origin, close: () => api.close() };
}

const withFaults = (faults: Partial<FaultConfig>) => ({
  freshApi,
  afterSetUp: (origin: string) => setFaults(origin, faults),
  // The clean-up against hung requests waited out its own timeouts: a minute of this file's time.
  beforeCleanUp: (origin: string) => setFaults(origin, NO_FAULTS),
});

async function setFaults(origin: string, faults: Partial<FaultConfig>): Promise<void> {
  const res = await fetch(`${origin}/__admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  assert.equal(res.status, 200);
}

const sum = (counters: Map<string, number>, prefix: string) =>
  [...counters].filter(([name]) => name.startsWith(prefix)).reduce((total, [, count]) => total + count, 0);

test('loaded as Artillery loads it (entry, default export)', async () => {
  // @ts-expect-error: the package entry is plain JS with no declarations of its own
  const ns = await import('../../../../engine/entry.js');
  assert.equal(typeof (ns.default ?? ns), 'function');
  assert.equal(
    typeof new (ns.default ?? ns)({ config: { target: 'http://127.0.0.1:1' } }).createScenario,
    'function',
  );
});

// Each test's users against APIs of their own: the tests run side by side, their waits for timeouts
// overlapping.
describe('users under faults', { concurrency: true }, () => {
  it('users survive hung and reset requests: each is a failure under its name and code', async () => {
    const classes = ['StrategyReadUser', 'SignalReadUser', 'AuthenticationUser'];
    // One user of each class side by side, each against an API of its own, into one recorder: two seconds
    // in all instead of three seconds each one after another.
    const ee = emitRecorder();
    const runs = await Promise.all(
      classes.map((cls) =>
        runUsers({
          engine: 'btcw',
          classes: [cls],
          runSeconds: 2,
          thinkFactor: 0.01,
          timeoutSeconds: 0.2,
          byEndpoint: true,
          ee,
          // A quarter of the requests never answer, and each takes 0.5-1 s to fail (undici checks its
          // timeouts on a 0.5 s tick, whatever the timeout below that): in 2 s a user whose login hung still
          // retries it and goes on, and timers firing late on a busy machine leave answers and timeouts both.
          ...withFaults({ hangRate: 0.25, resetRate: 0.05 }),
        }),
      ),
    );
    const counters = ee.counters;
    assert.deepEqual(
      runs.flatMap((run) => run.ends),
      [null, null, null],
      'no user ended with an error',
    );
    assert.equal(sum(counters, 'btcw.users_stopped.'), 0, 'no user stopped');
    assert.equal(counters.get('btcw.users_ended'), 3);
    const timeouts = counters.get('errors.ETIMEDOUT') ?? 0;
    assert.ok(timeouts >= 2, `hung requests counted: ${timeouts}`);
    const endpointTimeouts = [...counters]
      .filter(
        ([name]) => name.startsWith('plugins.metrics-by-endpoint.') && name.endsWith('.errors.ETIMEDOUT'),
      )
      .reduce((total, [, count]) => total + count, 0);
    assert.equal(endpointTimeouts, timeouts, 'each one under its request name');
    // every request either answered or failed with a code; the users went on after the failures
    assert.equal(
      counters.get('http.requests'),
      (counters.get('http.responses') ?? 0) + sum(counters, 'errors.'),
    );
    // a quarter hang: answers after the failures show the users went on (a machine slow enough to time out
    // answered requests as well only adds failures)
    assert.ok((counters.get('http.responses') ?? 0) >= 3, 'answered requests besides the hung ones');
    assert.ok(ee.histograms.includes('btcw.error_time'), "a timed-out request's time is recorded");
  });

  it('a login that times out is retried; the user is not lost when its retries run out', async () => {
    const run = await runUsers({
      engine: 'btcw',
      classes: ['StrategyReadUser'],
      // undici checks its headers timeout on a 0.5 s tick: the first attempt fails within a second, and its
      // retry starts within 0.5 s of that (the first backoff's bound), two seconds before the deadline at
      // 3.5 s: room for a busy machine's late timers (the other tests of this file run beside it).
      runSeconds: 3.5,
      thinkFactor: 0.01,
      timeoutSeconds: 0.2,
      // every login answers after 2 s, past the 0.2 s timeout
      ...withFaults({ latencyMs: 2000, latencyRoute: '/auth/token' }),
    });
    const counters = run.ee.counters;
    assert.deepEqual(run.ends, [null]);
    assert.ok((counters.get('btcw.login_retries') ?? 0) >= 1, 'retried after a timeout');
    assert.ok((counters.get('errors.ETIMEDOUT') ?? 0) >= 2);
    assert.equal(sum(counters, 'btcw.users_stopped.'), 0, 'not stopped: it tries again before its next task');
    assert.equal(counters.get('btcw.users_ended'), 1);
    assert.deepEqual(
      [...new Set(run.sent[0]!.map((r) => r.name))],
      [],
      'no answer, so nothing reached the afterResponse hooks',
    );
  });

  it("a failed request's task goes on, but for the steps that need its answer", async () => {
    // As Locust's clients do: a failed request returns a failed response, it does not raise, so the task
    // goes on; a step that needs the answer (an id picked from a list, a condition decided on it) is
    // skipped, as nothing was picked. Every strategy list and the overview answer after 5 s, past the 0.2 s
    // timeout. Seed 1 draws RW-4 first
    // (a list, then start or stop on what it picked), and RW-1 (the overview, then the signals) third.
    const run = await runUsers({
      engine: 'btcw',
      classes: ['RealWorldUser'],
      seed: 1,
      runSeconds: 3.5,
      thinkFactor: 0.01,
      timeoutSeconds: 0.2,
      byEndpoint: true,
      ...withFaults({ latencyMs: 5000, latencyRoute: '^/api/v1/strategies/(overview)?$' }),
    });
    const counters = run.ee.counters;
    const failed = (name: string) =>
      counters.get(`plugins.metrics-by-endpoint.${name}.errors.ETIMEDOUT`) ?? 0;
    const answered = run.sent[0]!.map((req) => req.name);
    assert.deepEqual(run.ends, [null]);
    assert.ok(failed('GET /strategies/ [FOR MANAGEMENT]') >= 1, 'seed 1 no longer draws RW-4 first');
    assert.ok(failed('GET /strategies/overview [DASHBOARD]') >= 1, 'seed 1 no longer draws RW-1 third');
    assert.ok(answered.includes('GET /signals/ [DASHBOARD SIGNALS]'), "RW-1's signals went out after it");
    const dependent = [...counters.keys()].filter((name) => name.includes('{id}'));
    assert.deepEqual(dependent, [], 'no step used an id from a list that failed');
  });

  it('a refused login stops the user with its reason, before any task', async () => {
    const run = await runUsers({
      engine: 'btcw',
      classes: ['StrategyReadUser'],
      runSeconds: 1,
      thinkFactor: 0.01,
      timeoutSeconds: 2,
      ...withFaults({ failLogin: true }),
    });
    const counters = run.ee.counters;
    assert.equal(counters.get('btcw.users_stopped.login_failed'), 1);
    assert.equal(counters.get('btcw.login_retries'), undefined, 'a 401 is not retried');
    assert.deepEqual(
      run.sent[0]!.map((r) => r.name),
      ['POST /auth/token [LOGIN AT START]'],
    );
  });
});

describe("the scenario's own hooks, as plugins add them", { concurrency: true }, () => {
  for (const engine of ['http', 'btcw'] as const)
    it(`${engine}: beforeScenario runs before the first request, afterScenario after the last`, async () => {
      const ee = emitRecorder();
      const seen: Array<[string, number]> = [];
      const at = (hook: string) => seen.push([hook, ee.counters.get('http.requests') ?? 0]);
      const run = await runUsers({
        engine,
        classes: ['AuthenticatedReadUser'],
        // long enough for the login and a task behind the files beside this one on a busy machine
        runSeconds: 1.5,
        thinkFactor: 0.01,
        timeoutSeconds: 2,
        ee,
        beforeScenario: (_context, _ee, done) => {
          at('before');
          done();
        },
        afterScenario: (_context, _ee, done) => {
          at('after');
          done();
        },
        freshApi,
      });
      const requests = ee.counters.get('http.requests') ?? 0;
      assert.deepEqual(run.ends, [null]);
      assert.ok(requests >= 2, `requests: ${requests}`);
      assert.deepEqual(seen, [
        ['before', 0],
        ['after', requests],
      ]);
    });

  // One test: node:test's console mock is one global, which a second test running beside it would share.
  it('btcw: a hook that fails, throws or rejects ends its user, counted, printed', async (context) => {
    const printed = context.mock.method(console, 'error', () => {});
    let users = 0;
    const run = await runUsers({
      engine: 'btcw',
      // one user calls back with an error, the next throws, as artillery-plugin-expect did on btcw
      classes: ['AuthenticatedReadUser', 'AuthenticatedReadUser'],
      runSeconds: 0.5,
      thinkFactor: 0.01,
      timeoutSeconds: 2,
      beforeScenario: function setOptions(userContext, _ee, done) {
        users++;
        if (users === 1) return done(new Error('no options for this user'));
        (userContext.vars.missing as { formatter: string }).formatter;
      },
      freshApi,
    });
    // an async hook (no callback) that rejects
    const rejected = await runUsers({
      engine: 'btcw',
      classes: ['AuthenticatedReadUser'],
      runSeconds: 0.5,
      thinkFactor: 0.01,
      timeoutSeconds: 2,
      beforeScenario: async function loadOptions() {
        throw new Error('the options went away');
      },
      freshApi,
    });
    assert.ok(
      [...run.ends, ...rejected.ends].every((end) => end instanceof Error),
      'each user ended on its error',
    );
    for (const [stopped, ee] of [
      [2, run.ee],
      [1, rejected.ee],
    ] as const) {
      assert.equal(ee.counters.get('btcw.users_stopped.hook_failed'), stopped);
      assert.equal(ee.counters.get('btcw.users_stopped.engine_error'), undefined);
      assert.equal(ee.counters.get('http.requests'), undefined, 'they sent nothing');
    }
    // The engine's lines only: the tests beside this one run at the same time and may print too.
    const lines = printed.mock.calls
      .map((call) => String(call.arguments[0]))
      .filter((line) => line.startsWith('btcw engine:'));
    assert.equal(lines.length, 3, 'once per engine (a worker has one)');
    assert.match(lines[0]!, /^btcw engine: a user ended on an error: testBeforeScenario: no options/);
    // the hook's own frame, not the engine's
    assert.match(lines[1]!, /testBeforeScenario: Cannot read properties of undefined .*\(at setOptions /);
    assert.match(lines[2]!, /testBeforeScenario: the options went away \(at loadOptions /);
  });
});
