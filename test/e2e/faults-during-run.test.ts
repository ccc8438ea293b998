// Faults during a run: the run finishes, failures are counted under their request names, the verdict shows
// them, and nothing crashes. (Latency and 5xx bursts: test/e2e/verdicts.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PackRun, runCli, runPack, runPackWithFaults } from '../../harness/pack.js';
import type { FaultConfig } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

const ARGS = ['--duration-factor', '0.15', '--users-factor', '2', '--think-factor', '0.05'];
const SECRET = 'faults-test-secret';

function assertNoCrash(run: PackRun): void {
  assert.ok(run.evaluation, `no evaluation: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-2000)}`);
  assert.ok(run.code === 0 || run.code === 3, `exit ${run.code}`);
  assert.doesNotMatch(
    run.stdout + run.stderr,
    /Unhandled|unhandled rejection|TypeError|ReferenceError|\n\s+at .+:\d+:\d+/,
  );
  const evaluation = run.evaluation!;
  assert.equal(
    evaluation.endpoints.reduce((a, x) => a + x.failed, 0),
    evaluation.overall.failed,
    'failures not all under request names',
  );
}

describe('faults during a run', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4, jwtSecret: SECRET });
  });
  after(() => api.close());
  const withFaults = (faults: Partial<FaultConfig>) => runPackWithFaults(api, faults, ARGS);

  const resetsName =
    'connection resets: counted as network errors per request name; the users they hit stop with a reason';
  it(resetsName, async () => {
    const run = await withFaults({ resetRate: 0.05 });
    assertNoCrash(run);
    const evaluation = run.evaluation!;
    const resets = evaluation.endpoints.reduce((a, x) => a + (x.errors.ECONNRESET ?? 0), 0);
    assert.ok(resets > 0, 'no resets counted');
    assert.equal(evaluation.pack.usersStopped.network_error, resets);
    assert.ok(evaluation.overall.failed >= resets);
    assert.notEqual(evaluation.verdict, 'PASS');
  });

  it('malformed JSON bodies: list steps find no ids and skip, counted; nothing crashes', async () => {
    const run = await withFaults({ malformedRate: 0.3 });
    assertNoCrash(run);
    const evaluation = run.evaluation!;
    assert.ok(
      Object.values(evaluation.pack.skipped).reduce((a, b) => a + b, 0) > 0,
      'no skipped steps counted',
    );
    assert.ok(evaluation.overall.requests > 0);
  });

  it('empty lists: every id-dependent step is skipped and counted, and the run passes', async () => {
    const run = await withFaults({ emptyLists: true });
    assertNoCrash(run);
    const evaluation = run.evaluation!;
    assert.equal(evaluation.verdict, 'PASS', JSON.stringify(evaluation.reasons));
    for (const task of ['SR-3', 'SG-6', 'WH-1'])
      assert.ok((evaluation.pack.skipped[task] ?? 0) > 0, `${task} not skipped`);
    for (const name of [
      'GET /strategies/{id} [DETAIL]',
      'GET /signals/{id} [DETAIL]',
      'POST /signals/webhook/{id} [BUY]',
    ]) {
      assert.ok(!evaluation.endpoints.some((x) => x.name === name), `${name} was sent without an id`);
    }
  });

  const restartName =
    'a server restart mid-run: refused connections are counted, the run finishes and is graded';
  it(restartName, async (testContext) => {
    const port = api.port;
    let restart: Promise<void> | null = null;
    // Restart once the users are well under way (not on a timer: set-up takes longer on a slow machine).
    const watch = setInterval(() => {
      if (restart || api.timings.snapshot().requests < 150) return;
      clearInterval(watch);
      restart = (async () => {
        await api.close();
        await new Promise((r) => setTimeout(r, 1500));
        api = await startApi({ port, bcryptCost: 4, jwtSecret: SECRET });
      })();
    }, 20);
    // Passed or failed, no restart is left half done for the next test or the describe's after(), and the
    // cleanup command removes what the run left (the restart may have cut its after-hook short).
    testContext.after(async () => {
      clearInterval(watch);
      await restart;
      await runCli(['cleanup'], { BTCW_API_PORT: String(port) });
    });
    api.timings.reset();
    const run = await runPack('smoke', port, ARGS).finally(() => clearInterval(watch));
    assert.ok(restart, 'the run ended before the restart');
    await restart; // the run may end while the API is still down
    assertNoCrash(run);
    const evaluation = run.evaluation!;
    const refused = evaluation.endpoints.reduce(
      (a, x) => a + (x.errors.ECONNREFUSED ?? 0) + (x.errors.ECONNRESET ?? 0),
      0,
    );
    assert.ok(refused > 0, `no refused connections counted: ${JSON.stringify(evaluation.pack.usersStopped)}`);
    assert.ok((evaluation.pack.usersStopped.network_error ?? 0) > 0);
    // the restarted API has lost the run's strategies: those users' later requests fail too
    assert.ok(evaluation.overall.failed >= refused);
    assert.notEqual(evaluation.verdict, 'PASS');
  });
});
