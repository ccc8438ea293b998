// The report of a real compressed smoke run, rendered by the `report` command: HTML and CSV files from the
// written evaluation. The same rendering from a fixture is unit-tested in test/unit/render.test.ts.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, runPack } from '../../harness/pack.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { escapeHtml } from '../../report/render-html.js';

describe('report from a real compressed run', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it("renders a real run's evaluation with `npm run report`, with its CSV files", async () => {
    const run = await runPack('smoke', api.port, ['--duration-factor', '0.12', '--think-factor', '0.05']);
    // About rendering, not grading: on a loaded machine the verdict may be FAIL on latency, and the title
    // must say whichever it is.
    const verdict = run.evaluation?.verdict;
    assert.ok(verdict, `no evaluation: exit ${run.code}\n${run.stdout.slice(-1500)}`);
    // runPack passes --no-report; render as `npm run report` does, from the written evaluation
    const evaluationFile = path.join(
      run.outDir,
      readdirSync(run.outDir).find((f) => f.endsWith('.evaluation.json'))!,
    );
    const result = await runCli(['report', evaluationFile]);
    assert.equal(result.code, 0, result.stderr);
    const html = readFileSync(evaluationFile.replace(/\.evaluation\.json$/, '.html'), 'utf8');
    assert.ok(html.includes(`BTC Watcher load test: ${verdict} (smoke)`), html.slice(0, 500));
    for (const endpoint of run.evaluation!.endpoints)
      assert.ok(html.includes(escapeHtml(endpoint.name)), endpoint.name);
    const points = [...html.matchAll(/data-points="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(points.length, 6);
    assert.ok(
      points.every((n) => n > 0),
      `empty chart: ${points.join(',')}`,
    );
    const stats = readFileSync(evaluationFile.replace(/\.evaluation\.json$/, '_stats.csv'), 'utf8');
    assert.ok(stats.includes('/strategies/ [LIST]'));
  });
});
