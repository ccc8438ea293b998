// The benchmark script itself, at seconds-long settings: every section runs end to end and reports sane
// figures. Locust is a peer to compare with, not a requirement: with Locust (BTCW_LOCUST_PYTHON, default
// /usr/bin/python3) the spike section measures its two rows; without it, it skips them with one line each.
// Both paths are tested on every machine: where Locust is installed, a second run hides it. The figures of
// BENCHMARKS.md come from the full `npm run bench`, not from here.
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { GeneratorRun } from '../../bench/lib/measure-generator.js';
import { locustRowName, locustSkipLine, locustVersion } from '../../bench/spike-fidelity.js';
import { tempDir } from '../../harness/temp-dir.js';
import { bench } from '../helpers/bench.js';

const LOCUST = locustVersion();

function checkSpikeRows(results: any): void {
  for (const row of results.spike)
    assert.ok(
      row.achievedPerSec > 0 && Number.isFinite(row.rateErrorPct) && Number.isFinite(row.addedP99Ms),
      JSON.stringify(row),
    );
}

/** The pack's row alone, and one line per skipped Locust row. */
function checkLocustSkipped(stdout: string, results: any, python: string): void {
  assert.equal(results.versions.locust, 'not installed');
  assert.deepEqual(
    results.spike.map((s: { generator: string }) => s.generator),
    ['pack (Artillery 2.0.34)'],
  );
  checkSpikeRows(results);
  assert.deepEqual(results.spikeSkipped, [
    { generator: 'Locust HttpUser', reason: `no Locust in ${python}` },
    { generator: 'Locust FastHttpUser', reason: `no Locust in ${python}` },
  ]);
  assert.deepEqual(
    stdout.split('\n').filter((l) => l.includes('skipped Locust')),
    [locustSkipLine('HttpUser', python), locustSkipLine('FastHttpUser', python)],
  );
}

describe('npm run bench -- --smoke', () => {
  it(`runs every section but the dashboard's and writes sane figures (Locust: ${LOCUST ?? 'none'})`, {
    timeout: 400_000,
  }, () => {
    // The dashboard section runs in bench-dashboard-smoke.test.ts: in one file they would come near the 240 s
    // limit per file.
    const { stdout, results } = bench(['target', 'generator', 'workers', 'spike', 'report']);
    assert.equal(results.mode, 'smoke');
    assert.match(results.versions.artillery, /^2\./);
    assert.equal(results.target.length, 8);
    for (const row of results.target)
      assert.ok(row.reqPerSec > 0 && row.non2xx === 0 && row.errors === 0, JSON.stringify(row));
    for (const run of results.generator.runs as GeneratorRun[])
      assert.ok(run.requests > 0 && run.startupMs > 0 && run.peakRssMiB > 0, JSON.stringify(run));
    for (const ratio of Object.values(results.generator.ratios as Record<string, number>))
      assert.ok(Number.isFinite(ratio) && ratio > 0);
    assert.deepEqual(
      results.workers.map((w: { workers: number }) => w.workers),
      [Math.max(1, os.cpus().length - 1), os.cpus().length],
    );
    for (const row of results.workers) assert.ok(row.reqPerSec > 0, JSON.stringify(row));
    if (LOCUST) {
      assert.equal(results.versions.locust, LOCUST);
      assert.deepEqual(
        results.spike.map((s: { generator: string }) => s.generator),
        ['pack (Artillery 2.0.34)', locustRowName(LOCUST, 'HttpUser'), locustRowName(LOCUST, 'FastHttpUser')],
      );
      assert.deepEqual(results.spikeSkipped, []);
      checkSpikeRows(results);
    } else {
      checkLocustSkipped(stdout, results, process.env.BTCW_LOCUST_PYTHON || '/usr/bin/python3');
    }
    assert.ok(results.report.medianMs > 0);
  });

  // Where Locust is missing, the run above took the skip path and checked it; where it is installed, a second
  // run hides it, so both paths are checked on every machine without a skipped test.
  if (LOCUST)
    it('skips the Locust rows with one line each where Locust is missing', { timeout: 120_000 }, () => {
      const python = path.join(tempDir('btcw-no-locust-'), 'python3'); // no such file
      const { stdout, results } = bench(['spike'], { BTCW_LOCUST_PYTHON: python });
      checkLocustSkipped(stdout, results, python);
    });
});
