// The live error-rate guard on real runs, compressed: a load run on three forced worker threads against an
// API that starts failing half its requests 20 s after it started is stopped within one window plus one
// period of the onset, with the guard's exit code, a report that says ABORTED, a JUnit failure, results
// that regrade ABORTED, no tagged strategy left, and the window's figures whole-run (every worker's
// requests, not one's); a 5-second blip of errors, however bad, lets the run go to its end.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import { GUARD_EXIT_CODE, periodSlice } from '../../grading/error-rate-guard.js';
import type { ArtilleryReport } from '../../grading/evaluation.js';
import { runCli, runPack } from '../../harness/pack.js';
import { ROOT } from '../../lib/root.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { NO_FAULTS } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

const SECRET = 'guard-test-secret';
const LOAD = ['--users-factor', '0.2', '--think-factor', '0.1'];
/** The default guard: a 30 s window; Artillery's reporting period: 10 s. */
const WINDOW_MS = 30_000;
const PERIOD_MS = 10_000;

const tagged = (api: RunningApi) =>
  api.state.store.activeStrategies().filter((s) => TAG_PATTERN.test(s.name));

describe('the live error-rate guard', () => {
  const stopName =
    'stops a load run within one window plus one period of an error onset: ABORTED, exit code, no leftovers';
  it(stopName, async (test) => {
    // `--error-rate 0.5 --error-rate-from 20`, set with PUT /__admin/faults once the run's set-up is done:
    // the clock then starts with the run, not with Artillery's start-up, which takes 3 to 15 s on a busy
    // machine and would put the onset inside the settle time.
    const api = await startApi({ port: 0, bcryptCost: 4, jwtSecret: SECRET });
    let onset = 0;
    const watch = setInterval(() => {
      if (onset !== 0 || tagged(api).length < 3) return;
      clearInterval(watch);
      onset = -1;
      void fetch(`${api.url}/__admin/faults`, {
        method: 'PUT',
        body: JSON.stringify({ errorRate: 0.5, errorRateFromSeconds: 20 }),
      }).then((answer) => {
        assert.equal(answer.status, 200);
        onset = Date.now() + 20_000;
      });
    }, 20);
    let stopSeenAt = 0;
    try {
      const run = await runPack(
        'load',
        api.port,
        ['--duration-factor', '0.3', '--workers', '3', ...LOAD],
        {},
        {
          report: true,
          onOutput: (out) => {
            if (stopSeenAt === 0 && out.includes('btcw-guard: ABORTED by the guard at '))
              stopSeenAt = Date.now();
          },
        },
      );
      const tail = `exit ${run.code}\n${run.stderr.slice(-1500)}\n${run.stdout.slice(-3000)}`;
      assert.ok(onset > 0, `the faults were never set:\n${tail}`);
      assert.equal(run.code, GUARD_EXIT_CODE, tail);
      assert.ok(stopSeenAt > 0, `no guard line:\n${tail}`);
      test.diagnostic(`the guard's line came ${((stopSeenAt - onset) / 1000).toFixed(1)} s after the onset`);
      const stop = run.evaluation?.guard?.stop;
      assert.ok(stop, tail);
      // The guard decides on the window ending within one window plus one period of the onset; Artillery
      // hands the main process that period a little after it ends (seconds, with three workers on a busy
      // machine), so the line seen is allowed one more period.
      assert.ok(
        stop.at - onset <= WINDOW_MS + PERIOD_MS,
        `decided on a window ending ${((stop.at - onset) / 1000).toFixed(1)} s after the onset:\n${tail}`,
      );
      assert.ok(
        stopSeenAt - onset <= WINDOW_MS + 2 * PERIOD_MS,
        `stopped ${((stopSeenAt - onset) / 1000).toFixed(1)} s after the onset:\n${tail}`,
      );
      assert.match(
        stop.message,
        /^ABORTED by the guard at \d+:\d\d: error rate \d+ % over the last 30 s \(critical ≥ 10 %\)$/,
      );
      assert.ok(stop.at >= onset, 'the window judged ends after the onset');
      // Whole-run figures: the window counts what the periods of Artillery's results (every worker's,
      // merged) hold between its ends; a guard fed one worker's periods would count about a third.
      const targets = loadTargets(path.join(ROOT, 'config', 'targets.yml'));
      const periods = ((run.results as { intermediate?: ArtilleryReport[] } | undefined)?.intermediate ?? [])
        .map((period) => periodSlice(period, targets))
        .filter((slice) => slice !== null && slice.start >= stop.window.from && slice.end <= stop.window.to);
      assert.equal(periods.length, 3, `three periods of 10 s in the 30 s window:\n${tail}`);
      assert.deepEqual(
        { requests: stop.window.requests, failed: stop.window.failed },
        {
          requests: periods.reduce((sum, slice) => sum + slice!.requests, 0),
          failed: periods.reduce((sum, slice) => sum + slice!.failed, 0),
        },
      );
      // Stopped, not run to its end (90 s): the users stop, as with the Stop button.
      assert.ok((run.evaluation!.durationSeconds ?? 90) < 75, `ran ${run.evaluation!.durationSeconds} s`);
      assert.match(run.stdout, /BTC Watcher performance targets: ABORTED/);

      const files = readdirSync(run.outDir);
      const html = readFileSync(path.join(run.outDir, files.find((f) => f.endsWith('.html'))!), 'utf8');
      assert.match(html, /<title>BTC Watcher load test: ABORTED/);
      assert.match(html, /class="mark stop"/);
      const junit = readFileSync(path.join(run.outDir, files.find((f) => f.endsWith('.junit.xml'))!), 'utf8');
      assert.match(junit, /<failure message="ABORTED by the guard at /);
      assert.deepEqual(
        tagged(api).map((s) => s.name),
        [],
        'tagged strategies left',
      );

      // The partial results regrade as the run graded them.
      const results = files.find((f) => f.endsWith('.json') && !f.endsWith('.evaluation.json'))!;
      const again = await runCli(['evaluate', path.join(run.outDir, results), '--profile', 'load']);
      assert.equal(again.code, GUARD_EXIT_CODE, again.stdout + again.stderr);
      assert.match(again.stdout, /ABORTED by the guard at /);
    } finally {
      clearInterval(watch);
      await api.close();
    }
  });

  it('a 5-second blip of errors, even at 100 %, does not stop the run', async () => {
    const api = await startApi({ port: 0, bcryptCost: 4, jwtSecret: SECRET });
    const blip: { from: number; to: number } = { from: 0, to: 0 };
    // 20 s after the run's set-up made its fixtures: past the arrivals and the settle time, in judged
    // windows.
    const watch = setInterval(() => {
      if (blip.from !== 0 || tagged(api).length < 3) return;
      clearInterval(watch);
      blip.from = -1;
      setTimeout(() => {
        blip.from = Date.now();
        api.state.faults = { ...NO_FAULTS, errorRate: 1 };
        setTimeout(() => {
          api.state.faults = { ...NO_FAULTS };
          blip.to = Date.now();
        }, 5000);
      }, 20_000);
    }, 20);
    try {
      const run = await runPack('load', api.port, ['--duration-factor', '0.2', ...LOAD]);
      const tail = `exit ${run.code}\n${run.stderr.slice(-1500)}\n${run.stdout.slice(-3000)}`;
      assert.ok(blip.to > 0, `the blip never ran:\n${tail}`);
      assert.notEqual(run.code, GUARD_EXIT_CODE, tail);
      assert.ok(run.evaluation, tail);
      assert.ok(!run.evaluation.guard?.stop, tail); // no guard record at all when it saw nothing
      assert.ok(run.evaluation.overall.failed > 0, 'the blip failed no request');
      assert.ok((run.evaluation.durationSeconds ?? 0) >= 50, `ran ${run.evaluation.durationSeconds} s`);
      assert.doesNotMatch(run.stdout, /ABORTED/);
    } finally {
      clearInterval(watch);
      await api.close();
    }
  });
});
