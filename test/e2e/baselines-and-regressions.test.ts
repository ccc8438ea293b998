// Baselines and regression verdicts end to end, and the rule's false alarms: the same compressed smoke run
// three times against the embedded API (the first saved as a baseline, the others graded against it),
// every ordered pair of the three compared; then 150 ms of latency on one route, whose endpoints, and only
// those, must be flagged against every clean run. Endpoints are judged on the server's own time
// (Server-Timing), which other files beside this one barely move, so it runs with the e2e files.
// bench/regression-noise.ts counts false alarms over many more runs, and how much of 50 ms is caught.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detection, falseAlarms, type RunDoc } from '../../bench/lib/regression-figures.js';
import { loadTargets } from '../../documents/targets-file.js';
import { regressionRule } from '../../grading/regression.js';
import { type PackRun, ROOT, runPack, runPackWithFaults } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { regressionOnlyTargetsFile } from '../helpers/mechanics-targets.js';

// About 18 s of load each: at least two whole 10 s periods, some 5000 requests.
const FAST = ['--duration-factor', '0.3', '--users-factor', '2', '--think-factor', '0.02'];
// The first run against a fresh API is slower everywhere (JIT, SQLite's cache: p95 60-110 ms against 5-20 ms
// after it, BENCHMARKS.md), at the server too (its Server-Timing): a run as long as the others first, not
// compared, so the baseline is not that outlier (a shorter one left the server's time of the first run 20×
// the others' on a busy machine).
const WARM_UP = FAST;
/** The baseline and two runs graded against it: 6 ordered pairs, in about 2.5 minutes with the rest. */
const CLEAN_RUNS = 3;
// One route with one busy endpoint (some 600 requests a run): its p95 is steady enough that on this
// shared machine the check does not hinge on the run-to-run spread. bench/regression-noise.ts slows a
// route of three quieter endpoints instead (/strategies/overview), where detection is measured, not required.
const ROUTE = '/auth/me$';
const onRoute = (name: string) => name.startsWith('GET /auth/me ');

function runDoc(run: PackRun): RunDoc {
  assert.ok(run.evaluation && run.document, `the run wrote its evaluation: ${run.stderr}`);
  return { evaluation: run.evaluation, intermediate: run.document.intermediate as RunDoc['intermediate'] };
}

describe('regression verdicts end to end: false alarms and detection', () => {
  let api: RunningApi;
  const dir = tempDir('btcw-regression-');
  // The shipped regression rule without latency or throughput targets (test/helpers/mechanics-targets.ts):
  // this file tests regression verdicts, and on a busy machine a smoke run's p95 passes a second.
  const env = {
    BTCW_BASELINES_DIR: path.join(dir, 'baselines'),
    BTCW_TARGETS_FILE: regressionOnlyTargetsFile(),
  };
  const rule = regressionRule(loadTargets(path.join(ROOT, 'config', 'targets.yml')));
  const clean: RunDoc[] = [];

  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
    await runPack('smoke', api.port, WARM_UP, env);
  });
  after(() => api.close());

  const cleanName = `${CLEAN_RUNS} runs: a baseline, the others graded against it pass, no pair regresses`;
  it(cleanName, async () => {
    const first = await runPack('smoke', api.port, [...FAST, '--save-baseline', 'e2e'], env);
    assert.equal(first.code, 0, first.stdout.slice(-2000) + first.stderr);
    const file = path.join(dir, 'baselines', 'smoke', 'e2e.json');
    assert.ok(existsSync(file), first.stdout);
    const saved = readFileSync(file, 'utf8');
    assert.doesNotMatch(saved, /testpass|password|eyJ[\w-]+\./i, 'no credentials or tokens');
    assert.match(first.stdout, /baseline e2e saved/);
    clean.push(runDoc(first));
    for (let graded = 1; graded < CLEAN_RUNS; graded++) {
      const run = await runPack('smoke', api.port, [...FAST, '--baseline', 'e2e'], env);
      const regression = run.evaluation?.regression;
      assert.ok(regression, `graded against the baseline: ${run.stderr}`);
      assert.equal(
        regression.regressions,
        0,
        regression.checks
          .filter((c) => c.status === 'regression')
          .map((c) => `${c.subject} ${c.kind} ${c.before} → ${c.after}`)
          .join('; '),
      );
      assert.equal(run.code, 0, run.stdout.slice(-2000));
      assert.match(run.stdout, /no regression against baseline e2e/);
      assert.ok(readdirSync(run.outDir).some((f) => f.endsWith('.junit.xml')));
      clean.push(runDoc(run));
    }
    const fa = falseAlarms(clean, rule);
    const pairs = CLEAN_RUNS * (CLEAN_RUNS - 1);
    assert.equal(fa.pairs, pairs);
    // At least 5 checks a pair: a busy machine sends fewer requests, and fewer endpoints reach 50.
    assert.ok(fa.judged >= pairs * 5, `enough checks were judged: ${fa.judged}`);
    assert.deepEqual(
      fa.regressions.map(
        (x) => `${x.pair.join('→')} ${x.check.subject} ${x.check.before} → ${x.check.after}`,
      ),
      [],
    );
  });

  it('150 ms on one route: exactly its endpoints flagged, REGRESSION in the verdict, exit 5', async () => {
    assert.equal(clean.length, CLEAN_RUNS, 'the clean runs ran');
    const run = await runPackWithFaults(
      api,
      { latencyMs: 150, latencyRoute: ROUTE },
      [...FAST, '--baseline', 'e2e'],
      env,
    );
    assert.equal(run.code, 5, run.stdout.slice(-2000));
    const regression = run.evaluation!.regression!;
    // The embedded API sends Server-Timing: endpoints are judged on the server's own time, which a load
    // generator starved by other processes does not inflate.
    assert.equal(regression.source, 'server');
    const flagged = regression.checks
      .filter((c) => c.scope === 'endpoint' && c.status === 'regression')
      .map((c) => c.subject)
      .sort();
    const judgedOnRoute = regression.checks
      .filter(
        (c) => c.scope === 'endpoint' && c.kind === 'latency' && onRoute(c.subject) && c.status !== 'too-few',
      )
      .map((c) => c.subject)
      .sort();
    assert.ok(judgedOnRoute.length >= 1, `the route's endpoint had requests enough: ${judgedOnRoute}`);
    const notes = regression.checks
      .filter((c) => c.scope === 'endpoint' && c.kind === 'latency' && c.status !== 'ok')
      .map((c) => `${c.subject}: ${c.status} ${c.note}`);
    assert.deepEqual(flagged, judgedOnRoute, notes.join('\n'));
    assert.match(
      run.stdout,
      /REGRESSION GET \/auth\/me \[CURRENT USER\] p95 [\d.]+ → [\d.]+ ms at the server/,
    );
    // against every clean run, not only the baseline
    const detected = detection(clean, [runDoc(run)], onRoute, rule);
    assert.equal(detected.routeFlagged, detected.routeJudged, JSON.stringify(detected));
    assert.deepEqual(detected.otherFlagged, []);
  });
});
