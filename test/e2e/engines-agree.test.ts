// The same compressed load run on both engines, same seed: the same split of users over the classes, the
// same users line, the same verdict, and requests spread over the operation classes alike (within the
// noise of two timed runs on a busy machine).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PackRun, runPack } from '../../harness/pack.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { mechanicsTargetsFile } from '../helpers/mechanics-targets.js';

const ARGS = [
  '--duration-factor',
  '0.03',
  '--users-factor',
  '0.3',
  '--think-factor',
  '0.02',
  '--workers',
  '1',
];

/** The users line up to its skipped steps, which depend on what the lists held at the time. */
const usersLine = (run: PackRun) => /users: [^\n]*stopped: [^;\n]*/.exec(run.stdout)?.[0];

describe('a load run on either engine', () => {
  let api: RunningApi;
  const targets = mechanicsTargetsFile();
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it('splits users, lines them up and grades them the same', async () => {
    const runs: Record<string, PackRun> = {};
    for (const engine of ['http', 'btcw']) {
      runs[engine] = await runPack('load', api.port, [...ARGS, '--engine', engine], {
        BTCW_TARGETS_FILE: targets,
      });
      const run = runs[engine]!;
      assert.ok(run.evaluation, `${engine}: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-2000)}`);
    }
    const http = runs.http!.evaluation!;
    const btcw = runs.btcw!.evaluation!;
    assert.deepEqual(btcw.pack.usersStarted, http.pack.usersStarted, 'class split');
    assert.equal(usersLine(runs.btcw!), usersLine(runs.http!));
    assert.match(
      usersLine(runs.btcw!) ?? '',
      /^users: 30 started, peak 30 concurrent; logins 27, re-logins 0/,
    );
    assert.equal(btcw.verdict, http.verdict);
    assert.equal(btcw.verdict, 'PASS', JSON.stringify(btcw.reasons));
    const share = (evaluation: typeof http) =>
      Object.fromEntries(
        evaluation.classes.map((row) => [row.class, row.requests / evaluation.overall.requests]),
      );
    const onHttp = share(http);
    const onBtcw = share(btcw);
    for (const cls of Object.keys(onHttp))
      assert.ok(
        Math.abs(onHttp[cls]! - (onBtcw[cls] ?? 0)) < 0.08,
        `${cls}: ${onHttp[cls]} of http's, ${onBtcw[cls]} of btcw's`,
      );
  });
});
