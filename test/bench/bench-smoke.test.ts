// The benchmark script itself, at seconds-long settings: every section runs end to end (Locust included)
// and reports sane figures. The figures of BENCHMARKS.md come from the full `npm run bench`, not from here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type GeneratorRun, rateBetween, steadyCpuPer1000 } from '../../bench/lib/measure-generator.js';
import { expectedRate } from '../../bench/spike-fidelity.js';
import { ROOT } from '../helpers/pack.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('benchmark arithmetic', () => {
  const series = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => ({
    ms: i * 1000,
    cpu: i * 0.5,
    requests: i * 100,
  }));
  it('takes CPU per request between 10 % and 90 % of the requests', () => {
    assert.equal(steadyCpuPer1000(series, 1000), 5); // 0.5 CPU-s per 100 requests
    assert.ok(Number.isNaN(steadyCpuPer1000(series.slice(0, 1), 1000)));
  });
  it('measures a rate only over the moments the series covers', () => {
    assert.deepEqual(rateBetween(series, 2000, 8000), { rate: 100, seconds: 6 });
    assert.ok(Number.isNaN(rateBetween(series, 20_000, 30_000).rate));
  });
  it("expects a closed model's rate: users x requests per task / (think + task time)", () => {
    const perTask = 43 / 38;
    assert.equal(expectedRate(1000, 0), (1000 * perTask) / 2);
    assert.ok(Math.abs(expectedRate(1000, 100) - (1000 * perTask) / (2 + perTask * 0.1)) < 1e-9);
  });
});

describe('npm run bench: bad arguments', () => {
  for (const [args, message] of [
    [
      ['nonsense'],
      /^bench: unknown section "nonsense": choose from target, generator, workers, spike, report$/,
    ],
    [['--bogus'], /^bench: Unknown option '--bogus'.*usage: npm run bench/],
  ] as const) {
    it(`refuses ${args.join(' ')} with one line and exit 2, before any work`, () => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'build/bench/run-all.js'), ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(r.status, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr.trim(), message);
      assert.equal(r.stdout, '');
    });
  }
});

describe('npm run bench -- --smoke', () => {
  it('runs every section and writes sane figures', { timeout: 400_000 }, () => {
    const out = path.join(tempDir('btcw-bench-'), 'bench.json');
    const r = spawnSync(
      'taskset',
      ['-c', '1', process.execPath, path.join(ROOT, 'build/bench/run-all.js'), '--smoke', '--out', out],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' },
      },
    );
    assert.equal(r.status, 0, r.stderr + r.stdout.slice(-2000));
    const b = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(b.mode, 'smoke');
    assert.match(b.versions.artillery, /^2\./);
    assert.match(b.versions.locust, /^2\.12/);
    assert.equal(b.target.length, 8);
    for (const row of b.target)
      assert.ok(row.reqPerSec > 0 && row.non2xx === 0 && row.errors === 0, JSON.stringify(row));
    for (const run of b.generator.runs as GeneratorRun[])
      assert.ok(run.requests > 0 && run.startupMs > 0 && run.peakRssMiB > 0, JSON.stringify(run));
    for (const v of Object.values(b.generator.ratios as Record<string, number>))
      assert.ok(Number.isFinite(v) && v > 0);
    assert.deepEqual(
      b.workers.map((w: { workers: number }) => w.workers),
      [Math.max(1, os.cpus().length - 1), os.cpus().length],
    );
    for (const w of b.workers) assert.ok(w.reqPerSec > 0, JSON.stringify(w));
    assert.deepEqual(
      b.spike.map((s: { generator: string }) => s.generator),
      ['pack (Artillery 2.0.34)', 'Locust 2.12 HttpUser', 'Locust 2.12 FastHttpUser'],
    );
    for (const s of b.spike)
      assert.ok(
        s.achievedPerSec > 0 && Number.isFinite(s.rateErrorPct) && Number.isFinite(s.addedP99Ms),
        JSON.stringify(s),
      );
    assert.ok(b.report.medianMs > 0);
  });
});
