// The benchmark script's dashboard section at seconds-long settings (its own file: with the other sections
// in bench-smoke.test.ts, one file would come near the suite's 240 s per-file limit).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bench } from '../helpers/bench.js';

describe('npm run bench -- --smoke dashboard', () => {
  it('runs each variant; the open ones push events to their page', () => {
    const { results } = bench(['dashboard']);
    assert.equal(results.mode, 'smoke');
    assert.deepEqual(results.dashboard.runs.map((r: { variant: string }) => r.variant).sort(), [
      'closed',
      'open',
      'open, no ticks',
    ]);
    for (const run of results.dashboard.runs)
      assert.ok(
        run.requests > 0 && run.cpuPer1000 > 0 && (run.variant === 'closed') === (run.events === 0),
        JSON.stringify(run),
      );
    assert.ok(
      Number.isFinite(results.dashboard.ratios.open) && Number.isFinite(results.dashboard.ratios.openNoTicks),
    );
  });
});
