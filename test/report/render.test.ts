import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { failuresCsv, historyCsv, statsCsv } from '../../report/csv.js';
import { escapeHtml, renderHtml } from '../../report/render-html.js';
import { seriesOf } from '../../report/series.js';
import { type RunningApi, startApi } from '../../target/server.js';
import { runCli, runPack } from '../helpers/pack.js';
import { fixtureDocument, HOSTILE_ERROR } from '../helpers/report-fixture.js';

describe('report rendering from a fixture', () => {
  const doc = fixtureDocument();
  const html = renderHtml(doc);

  it('opens with the verdict and its reasons', () => {
    assert.equal(doc.evaluation.verdict, 'FAIL');
    assert.match(
      html,
      /<section class="banner FAIL" id="verdict"><h1>BTC Watcher load test: FAIL \(smoke\)<\/h1>/,
    );
    assert.ok(html.indexOf('id="verdict"') < html.indexOf('<h2>'), 'verdict is not first');
    for (const r of doc.evaluation.reasons) assert.ok(html.includes(escapeHtml(r.message)), r.message);
  });
  it('escapes names and errors from the server or config', () => {
    assert.ok(!html.includes('<script>window.__pwned'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;script&gt;window.__pwned=1&lt;/script&gt;'));
    assert.equal((html.match(/<script>/g) ?? []).length, 1, 'only the sorting script');
  });
  it('draws four charts with one point per period', () => {
    const counts = [...html.matchAll(/data-points="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(counts, [12, 36, 12, 12]);
  });
  it('lists every endpoint, codes, failures, users and metadata, and no external resources', () => {
    for (const e of doc.evaluation.endpoints) assert.ok(html.includes(escapeHtml(e.name)), e.name);
    assert.match(html, /<td>500<\/td><td class="n">\d+<\/td>/);
    assert.match(html, /coordinated omission/);
    assert.match(html, /<td>run tag<\/td><td>fixture<\/td>/);
    assert.doesNotMatch(html, /(src|href)=["']?https?:/);
  });
  it('computes per-period rates from the periods', () => {
    const series = seriesOf(doc.intermediate!);
    assert.equal(series.length, 12);
    assert.ok(Math.abs(series[0]!.requestsPerSec - (200 + 4 + 5) / 9.9) < 0.01);
    assert.equal(series[11]!.p95, 20 + 11 * 8);
  });
  it("counts failures per period by the verdict's rule, so the chart adds up to the verdict", () => {
    const series = seriesOf(doc.intermediate!);
    assert.equal(series[0]!.failures, 4 + 1); // the CREATE 500s and the network error
    assert.equal(
      series.reduce((a, p) => a + p.failures, 0),
      doc.evaluation.overall.failed,
    );
  });
  it('writes Locust-style CSV files with quoting and an aggregated row', () => {
    const stats = statsCsv(doc.evaluation).trim().split('\n');
    assert.match(stats[0]!, /^Type,Name,Class,Request Count,Failure Count,Median Response Time/);
    assert.equal(stats.length, doc.evaluation.endpoints.length + 2);
    assert.match(stats[stats.length - 1]!, /^,Aggregated,/);
    const history = historyCsv(seriesOf(doc.intermediate!)).trim().split('\n');
    assert.equal(history.length, 13);
    const failures = failuresCsv(doc.evaluation);
    assert.match(failures, /POST,\/strategies\/ \[CREATE\],HTTP 500,\d+/);
    assert.ok(failures.includes(`"${HOSTILE_ERROR.replace(/"/g, '""')}"`));
    assert.ok(
      failuresCsv({
        ...doc.evaluation,
        endpoints: [{ ...doc.evaluation.endpoints[0]!, name: 'GET =cmd|x', errors: { E: 1 } }],
      }).includes("'=cmd|x"),
    );
  });
});

describe('report from a real compressed run', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  it("renders a real run's evaluation with `npm run report`, with its CSV files", async () => {
    const run = await runPack('smoke', api.port, ['--duration-factor', '0.12', '--think-factor', '0.05']);
    assert.equal(run.code, 0, run.stdout.slice(-1500));
    // runPack passes --no-report; render as `npm run report` does, from the written evaluation
    const evaluationFile = path.join(
      run.outDir,
      readdirSync(run.outDir).find((f) => f.endsWith('.evaluation.json'))!,
    );
    const r = await runCli(['report', evaluationFile]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(evaluationFile.replace(/\.evaluation\.json$/, '.html'), 'utf8');
    assert.match(html, /BTC Watcher load test: PASS \(smoke\)/);
    for (const e of run.evaluation!.endpoints) assert.ok(html.includes(escapeHtml(e.name)), e.name);
    const points = [...html.matchAll(/data-points="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(points.length, 4);
    assert.ok(
      points.every((n) => n > 0),
      `empty chart: ${points.join(',')}`,
    );
    const stats = readFileSync(evaluationFile.replace(/\.evaluation\.json$/, '_stats.csv'), 'utf8');
    assert.ok(stats.includes('/strategies/ [LIST]'));
  });
});
