// The HTML report and its CSV files rendered from a fixture evaluation: content, escaping, charts, rates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findings } from '../../grading/findings.js';
import { failuresCsv, historyCsv, statsCsv } from '../../report/csv.js';
import { clockLabel, elapsedLabel, escapeHtml, renderHtml, timeTicks } from '../../report/render-html.js';
import { chartSeries, seriesOf } from '../../report/series.js';
import {
  ADMIN,
  CREATE,
  failuresOfCsv,
  failuresOfEvaluation,
  failuresOfHtml,
  fixtureDocument,
  HOSTILE_ERROR,
  INVALID,
  LIST,
  START,
} from '../helpers/report-fixture.js';

describe('report rendering from a fixture', () => {
  const doc = fixtureDocument();
  const evaluation = doc.evaluation;
  const html = renderHtml(doc);

  it('opens with the verdict, its headline and the ranked findings; every reason folded under them', () => {
    assert.equal(evaluation.verdict, 'FAIL');
    assert.match(
      html,
      /<section class="banner FAIL" id="verdict"><h1>BTC Watcher load test: FAIL \(smoke\)<\/h1>/,
    );
    assert.ok(html.indexOf('id="verdict"') < html.indexOf('<h2>'), 'verdict is not first');
    const ranked = findings(evaluation);
    assert.ok(html.includes(`<p class="headline" id="headline">${escapeHtml(ranked.headline)}</p>`));
    const items = [...html.matchAll(/<li class="finding (\S+)">/g)].map((m) => m[1]);
    assert.deepEqual(
      items,
      ranked.lines.map((x) => x.kind),
    );
    assert.match(html, /<details id="all-reasons"><summary>Every reason of the verdict \(\d+\)<\/summary>/);
    for (const reason of evaluation.reasons)
      assert.ok(html.includes(escapeHtml(reason.message)), reason.message);
  });
  it("escapes names and errors from the server or config, also in the charts' data", () => {
    assert.ok(!html.includes('<script>window.__pwned'));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;script&gt;window.__pwned=1&lt;/script&gt;'));
    // uPlot, the charts and the sorting: three scripts of the report's own, and the data
    assert.equal((html.match(/<script>/g) ?? []).length, 3);
    const data = /<script type="application\/json" id="chart-data">([^<]*)<\/script>/.exec(html);
    assert.ok(data, 'chart data missing or not escaped');
    assert.equal(JSON.parse(data[1]!).charts.length, 6);
  });
  it('draws six charts, each with one point per period per line, and time ticks', () => {
    const counts = [...html.matchAll(/data-points="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(counts.length, 6);
    // requests: all + 3 classes; latency: 3; per class: 3; slowest endpoints: 4; failures: all + 4 codes;
    // users: all + 3 classes
    assert.deepEqual(counts, [48, 36, 36, 48, 60, 48]);
    for (const id of ['requests', 'latency', 'classes', 'worst', 'failures', 'users'])
      assert.ok(html.includes(`<figure class="chart" id="chart-${id}">`), id);
    // ticks every 20 s of a 2-minute run, with elapsed time and the UTC clock
    assert.match(html, />\+0s<\/text><text [^>]*class="clock">\d\d:\d\d:\d\d<\/text>/);
    assert.match(html, />\+1m20s<\/text>/);
    assert.deepEqual(timeTicks(0, 119_900).length, 6);
    assert.equal(elapsedLabel(90_000), '+1m30s');
    assert.equal(elapsedLabel(120_000), '+2m');
    assert.equal(clockLabel(Date.UTC(2026, 0, 1, 5, 4, 3)), '05:04:03');
  });
  it('is one file: uPlot inlined, no external resources', () => {
    assert.match(html, /uPlot/);
    assert.doesNotMatch(html, /(src|href)=["']?https?:/);
    assert.doesNotMatch(html, /<(script|link)[^>]+(src|href)=/);
  });
  it('lists every endpoint, codes, users and metadata', () => {
    for (const endpoint of evaluation.endpoints)
      assert.ok(html.includes(escapeHtml(endpoint.name)), endpoint.name);
    assert.match(html, /<td>500<\/td><td class="n">\d+<\/td>/);
    assert.match(html, /coordinated omission/);
    assert.match(html, /<td>run tag<\/td><td>fixture<\/td>/);
    assert.match(html, /<td>engine<\/td><td>btcw<\/td>/);
  });
  it('lists exactly the failures the verdict counted, in the HTML table and the CSV', () => {
    const expected = failuresOfEvaluation(evaluation);
    assert.deepEqual(failuresOfHtml(html), expected);
    assert.deepEqual(failuresOfCsv(failuresCsv(evaluation)), expected);
    const total = expected.reduce((a, l) => a + Number(l.split(' | ')[2]), 0);
    assert.equal(total, evaluation.overall.failed);
    assert.match(html, new RegExp(`<td class="n" id="failures-total">${evaluation.overall.failed}</td>`));
    // an unexpected success fails, an expected rejection does not
    assert.ok(expected.includes(`${ADMIN} | HTTP 200 (unexpected) | 12`), expected.join('\n'));
    assert.ok(expected.includes(`${START} | HTTP 200 (unexpected) | 3`));
    assert.ok(expected.includes(`${LIST} | ECONNRESET | 2`));
    assert.ok(!expected.some((l) => l.startsWith(INVALID)), 'an expected 401 listed as a failure');
    assert.ok(!expected.some((l) => l.startsWith(`${START} | HTTP 202`)));
    const hostile = failuresCsv(evaluation);
    assert.ok(hostile.includes(`"${HOSTILE_ERROR.replace(/"/g, '""')}"`));
    assert.ok(
      failuresCsv({
        ...evaluation,
        endpoints: [
          { ...evaluation.endpoints[0]!, name: 'GET =cmd|x', failures: { codes: {}, errors: { E: 1 } } },
        ],
      }).includes("'=cmd|x"),
    );
  });
  it('computes per-period rates from the periods', () => {
    const series = seriesOf(doc.intermediate);
    assert.equal(series.length, 12);
    assert.ok(
      Math.abs(series[0]!.requestsPerSec - doc.intermediate[0]!.counters!['http.requests']! / 9.9) < 0.01,
    );
    assert.equal(series[11]!.p95, 20 + 11 * 8);
  });
  it("counts failures per period by the verdict's rule, so the charts add up to the verdict", () => {
    const series = seriesOf(doc.intermediate);
    assert.equal(series[0]!.failures, 4 + 1 + 1 + 1); // CREATE 500s, ADMIN 200, START 200, network error
    assert.equal(
      series.reduce((a, p) => a + p.failures, 0),
      evaluation.overall.failed,
    );
    const charts = chartSeries(doc.intermediate, evaluation);
    let byCode = 0;
    for (const row of charts.failuresByCode.values())
      byCode += row.reduce<number>((a, v) => a + (v ?? 0) * 9.9, 0);
    assert.ok(
      Math.abs(byCode - evaluation.overall.failed) < 1e-6,
      `${byCode} against ${evaluation.overall.failed}`,
    );
    assert.deepEqual(
      [...charts.failuresByCode.keys()].sort(),
      ['ECONNRESET', 'HTTP 200 (unexpected)', 'HTTP 500', HOSTILE_ERROR].sort(),
    );
  });
  it('draws users per class alive when ends are counted per class, else started so far', () => {
    const alive = chartSeries(doc.intermediate, evaluation);
    assert.equal(alive.usersByClassAlive, true);
    const read = alive.usersByClass.get('StrategyReadUser')!;
    // started: 2, then one more per period up to 9; one ended in the 7th period, not alive after it
    assert.deepEqual(read.slice(0, 9), [2, 3, 4, 5, 6, 7, 8, 8, 8]);
    const other = fixtureDocument({ endsByClass: false });
    const started = chartSeries(other.intermediate, other.evaluation);
    assert.equal(started.usersByClassAlive, false);
    assert.equal(started.usersByClass.get('StrategyReadUser')![8], 9);
    assert.match(renderHtml(other), /started so far \(this run did not count ends per class\)/);
    assert.deepEqual([...alive.p95ByEndpoint.keys()], [ADMIN, CREATE, LIST, START]);
  });
  it('writes Locust-style CSV files with quoting and an aggregated row', () => {
    const stats = statsCsv(evaluation).trim().split('\n');
    assert.match(stats[0]!, /^Type,Name,Class,Request Count,Failure Count,Median Response Time/);
    assert.equal(stats.length, evaluation.endpoints.length + 2);
    assert.match(stats[stats.length - 1]!, /^,Aggregated,/);
    const history = historyCsv(seriesOf(doc.intermediate)).trim().split('\n');
    assert.equal(history.length, 13);
  });
});
