// Verdicts that hold still under a stalling backend, end to end against the embedded API: every 30 s it
// holds every response in flight for 1 s (`--stall-every 30 --stall-ms 1000`, the real backend's
// monitoring call). Identical smoke runs must each PASS, whichever endpoints the stall catches; and 400 ms
// added to one route with 20 or more requests must still FAIL on exactly that route, stall or not.
//
// How many runs: each is smoke compressed to 36 s (one stall, 30 s after the set-up) with think times at a
// quarter, so that the slowed route gets 20 or more requests: about 65 s each with Artillery's start and
// the set-up. CI makes 2 clean runs and 1 slowed one (about 3 minutes beside the other timing files). Each
// clean run is required to have caught its stall (a response held 500 ms or more), so would have failed
// under a rule without evidence whenever the stall held one of an endpoint's few requests. The full count
// of 5 identical runs at smoke's own length is a bench, not CI: see docs/verdicts.md.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PackRun, runPackWithFaults } from '../../harness/pack.js';
import type { FaultConfig } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

export const STALL: Partial<FaultConfig> = { stallEverySeconds: 30, stallMs: 1000 };
const COMPRESSED = ['--duration-factor', '0.6', '--think-factor', '0.25'];
const CLEAN_RUNS = 2;
const SLOWED = '/auth/me$';
const onSlowed = (name: string) => name.startsWith('GET /auth/me ');

/** What a run's verdict says, for the assertion messages. */
const said = (run: PackRun) =>
  `exit ${run.code}; ${JSON.stringify(run.evaluation?.reasons ?? run.stderr)}\n${run.stdout.slice(-2500)}`;

describe('verdicts under a stalling backend: identical runs agree', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it(`${CLEAN_RUNS} identical smoke runs with a 1 s stall every 30 s each PASS`, async () => {
    for (let index = 0; index < CLEAN_RUNS; index++) {
      const run = await runPackWithFaults(api, STALL, COMPRESSED);
      const graded = run.evaluation;
      assert.ok(graded, `run ${index + 1} wrote its evaluation: ${run.stderr}`);
      // the stall happened: some response was held for at least half of it (requests arrive during it)
      assert.ok(
        (graded.overall.latency?.max ?? 0) >= 500,
        `run ${index + 1}: no stall caught (max ${graded.overall.latency?.max})`,
      );
      assert.equal(graded.verdict, 'PASS', `run ${index + 1}: ${said(run)}`);
      assert.equal(run.code, 0, said(run));
      // what the stall slowed is shown, not graded alone: a NOTE where an endpoint read over its target
      const over = graded.endpoints.filter((x) => !x.meetsTarget);
      for (const ep of over) assert.notEqual(ep.evidence?.status, 'breached', ep.name);
      if (over.length > 0) assert.match(run.stdout, /over target on too little evidence/);
    }
  });

  it('400 ms on one route of 20+ requests still FAILs, stall on, on that route only', async () => {
    const run = await runPackWithFaults(api, { ...STALL, latencyMs: 400, latencyRoute: SLOWED }, COMPRESSED);
    const graded = run.evaluation;
    assert.ok(graded, run.stderr);
    assert.equal(graded.verdict, 'FAIL', said(run));
    assert.equal(run.code, 3);
    const slowed = graded.endpoints.filter((x) => onSlowed(x.name));
    assert.ok(slowed.length > 0, 'the route was requested');
    const judged = slowed.filter((x) => x.requests >= 20);
    assert.ok(judged.length > 0, `20 or more requests on the route: ${slowed.map((x) => x.requests)}`);
    for (const ep of judged) {
      assert.equal(ep.evidence?.status, 'breached', `${ep.name}: ${JSON.stringify(ep.evidence)}`);
      assert.equal(ep.evidence?.exact, true, 'the plugin counted the slow requests');
      assert.equal(ep.evidence?.slower, ep.evidence?.samples, 'every request of the route was slowed');
    }
    const slowSubjects = graded.reasons.filter((r) => r.kind === 'slow').map((r) => r.subject ?? '');
    assert.ok(slowSubjects.length > 0 && slowSubjects.every(onSlowed), slowSubjects.join(', '));
    assert.match(run.stdout, /GET \/auth\/me \[[A-Z ]+\] p95 \d+/);
  });
});
