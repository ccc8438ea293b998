// `npm run compare -- A B` end to end (no load: two saved runs), and the HTML comparison: overlaid charts and
// the deltas sorted by the size of the change. Bad input is one line and exit 2.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { baselineFromDocument, baselinePath, writeBaseline } from '../../documents/baseline-file.js';
import { buildDocument } from '../../documents/evaluation-document.js';
import { loadTargets } from '../../documents/targets-file.js';
import { evaluate } from '../../grading/evaluation.js';
import { gradeWithBaseline } from '../../grading/regression.js';
import { ROOT, runCli } from '../../harness/pack.js';
import { tempDir } from '../../harness/temp-dir.js';
import { BY_ENDPOINT as MBE, SERVER_TIME } from '../../lib/metrics.js';
import { launchChromium } from '../../report/browser.js';
import { renderHtml } from '../../report/render-html.js';
import { summaryAt } from '../helpers/summaries.js';

/**
 * An evaluation document of three periods: LIST at `list` ms, DETAIL at `detail` ms; with `serverTime`,
 * the same as the server's own time (Server-Timing), as the embedded API's runs have it.
 */
function doc(list: number, detail: number, tag: string, serverTime = false) {
  const names: Array<[string, number]> = [
    ['GET /s [LIST]', list],
    ['GET /s/{id} [DETAIL]', detail],
  ];
  const keysOf = (name: string) => [
    `${MBE}response_time.${name}`,
    ...(serverTime ? [`${SERVER_TIME}${name}`] : []),
  ];
  const period = (periodIndex: number) => ({
    firstMetricAt: periodIndex * 10_000,
    lastMetricAt: periodIndex * 10_000 + 9_000,
    counters: Object.fromEntries(names.map(([name]) => [`${MBE}${name}.codes.200`, 100])),
    summaries: {
      ...Object.fromEntries(
        names.flatMap(([name, ms]) =>
          keysOf(name).map((key) => [key, summaryAt(ms + periodIndex * 0.1, 100)]),
        ),
      ),
      'http.response_time': summaryAt((list + detail) / 2, 200),
    },
  });
  const intermediate = [0, 1, 2].map(period);
  const aggregate = {
    firstMetricAt: 0,
    lastMetricAt: 29_000,
    counters: Object.fromEntries(names.map(([name]) => [`${MBE}${name}.codes.200`, 300])),
    summaries: {
      ...Object.fromEntries(
        names.flatMap(([name, ms]) => keysOf(name).map((key) => [key, summaryAt(ms, 300)])),
      ),
      'http.response_time': summaryAt((list + detail) / 2, 600),
    },
  };
  const evaluation = evaluate({ aggregate, intermediate }, loadTargets(`${ROOT}/config/targets.yml`));
  return buildDocument(
    evaluation,
    { profile: 'smoke', runTag: tag, generatedAt: '2026-12-01T00:00:00Z' },
    intermediate,
  );
}

describe('npm run compare', () => {
  const dir = tempDir('btcw-compare-');
  const baselines = path.join(dir, 'baselines');
  writeBaseline(
    baselinePath(baselines, 'smoke', 'main'),
    baselineFromDocument(doc(10, 10, 'before'), 'main', '2026-12-01T00:00:00Z'),
  );
  const after = path.join(dir, 'after.evaluation.json');
  writeFileSync(after, JSON.stringify(doc(60, 10, 'after')));
  const same = path.join(dir, 'same.evaluation.json');
  writeFileSync(same, JSON.stringify(doc(10, 10, 'same')));
  const env = { BTCW_BASELINES_DIR: baselines };

  it('a baseline name against an evaluation: deltas largest first, exit 5, the HTML comparison', async () => {
    const out = path.join(dir, 'cmp.html');
    const result = await runCli(['compare', 'main', after, '--out', out], env);
    assert.equal(result.code, 5, result.stderr);
    const rows = result.stdout.split('\n').filter((l) => /\b(regression|ok|noise|improved)$/.test(l));
    assert.match(rows[0]!, /^GET \/s \[LIST\]\s+p95\s+10\.0 ms\s+60\.0 ms\s+\+500\.0 %\s+regression$/);
    assert.match(result.stdout, /compare: 1 regression;/);
    assert.match(result.stdout, /all requests\s+p95\s+10\.0 ms\s+35\.0 ms\s+\+250\.0 %\s+shift/);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<title>main → after: \d+ regressions?<\/title>/);
    // overlaid: both runs in each chart, and the first row of the deltas is the largest change
    const data = JSON.parse(
      /<script type="application\/json" id="compare-data">(.*?)<\/script>/s.exec(html)![1]!,
    );
    const latency = data.charts.find((c: { id: string }) => c.id === 'cmp-latency');
    assert.deepEqual(
      latency.lines.map((l: { label: string }) => l.label),
      ['main', 'after'],
    );
    assert.match(html, /<tbody><tr class="s-regression"><td class="name">GET \/s \[LIST\]<\/td>/);
  });

  it('no regression: exit 0', async () => {
    const result = await runCli(['compare', 'main', same, '--out', path.join(dir, 'same.html')], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /0 regressions/);
    assert.doesNotMatch(result.stdout, /engine/, 'neither side names its engine');
    assert.ok(existsSync(path.join(dir, 'same.html')));
  });

  it('two engines: compared, with a note of what holds their own time', async () => {
    const onEngine = (engine: string, serverTime: boolean) => {
      const file = path.join(dir, `on-${engine}${serverTime ? '-st' : ''}.evaluation.json`);
      const base = doc(10, 10, engine, serverTime);
      writeFileSync(file, JSON.stringify({ ...base, meta: { ...base.meta, engine } }));
      return file;
    };
    const compared = async (serverTime: boolean) => {
      const args = [onEngine('http', serverTime), onEngine('btcw', serverTime)];
      const result = await runCli(['compare', ...args, '--out', path.join(dir, 'engines.html')], env);
      assert.equal(result.code, 0, result.stderr);
      return result.stdout;
    };
    assert.match(
      await compared(false),
      /^btcw: compare: note: on-http ran on the http engine, on-btcw on btcw: the latency changes include/m,
    );
    // Server-Timing on both sides: endpoints and classes are judged on the server's time, no engine's.
    const onServerTime = (await compared(true)).split('\n').find((line) => line.includes('ran on the'));
    assert.equal(
      onServerTime,
      'btcw: compare: note: on-http-st ran on the http engine, on-btcw-st on btcw: endpoints and classes ' +
        "are compared on the server's time; the whole run's latency includes the engines' own time",
    );
  });

  it('bad input: a missing baseline, a non-evaluation file, one argument: one line, exit 2', async () => {
    const junk = path.join(dir, 'junk.json');
    writeFileSync(junk, '{"hello":1}');
    for (const args of [
      ['compare', 'nope', after],
      ['compare', junk, after],
      ['compare', after],
    ]) {
      const result = await runCli(args, env);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, /^btcw: /);
    }
  });
});

describe('the HTML comparison in headless Chromium', () => {
  it('loads without page errors and uPlot draws the three overlaid charts', async () => {
    const dir = tempDir('btcw-compare-browser-');
    const baselines = path.join(dir, 'baselines');
    writeBaseline(
      baselinePath(baselines, 'smoke', 'main'),
      baselineFromDocument(doc(10, 10, 'before'), 'main', '2026-12-01T00:00:00Z'),
    );
    const after = path.join(dir, 'after.evaluation.json');
    writeFileSync(after, JSON.stringify(doc(60, 10, 'after')));
    const out = path.join(dir, 'cmp.html');
    const result = await runCli(['compare', 'main', after, '--out', out], { BTCW_BASELINES_DIR: baselines });
    assert.equal(result.code, 5, result.stderr);
    const { browser } = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(out).href);
      await page.waitForSelector('#cmp-classes .uplot', { timeout: 10_000 });
      assert.deepEqual(errors, []);
      assert.equal(await page.locator('.uplot').count(), 3);
    } finally {
      await browser.close();
    }
  });
});

describe('the run report against its baseline', () => {
  it('shows a section with the deltas, largest change first, only when the run has a baseline', () => {
    const before = doc(10, 10, 'before');
    const after = doc(60, 10, 'after');
    const baseline = baselineFromDocument(before, 'main', '2026-12-01T00:00:00Z');
    const targets = loadTargets(`${ROOT}/config/targets.yml`);
    const graded = gradeWithBaseline(after.evaluation, after.intermediate, baseline, null, targets);
    const html = renderHtml({ ...after, evaluation: graded });
    assert.match(
      html,
      /<h2 id="baseline">Against baseline main <small>\(run before, saved 2026-12-01T00:00:00Z;/,
    );
    const table = html.slice(html.indexOf('id="baseline-deltas"'));
    const body = table.slice(table.indexOf('<tbody>'));
    const firstRow = body.slice(0, body.indexOf('</tr>'));
    assert.match(firstRow, /^<tbody><tr class="s-regression"><td class="name">GET \/s \[LIST\]<\/td>/);
    assert.match(html, /REGRESSION<\/span>GET \/s \[LIST\] p95 10\.0 → 60\.0 ms/);
    assert.doesNotMatch(renderHtml(after), /id="baseline"/);
  });
});
