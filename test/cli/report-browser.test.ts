// The report in a real browser: loads without console errors, uPlot draws every chart and shows the values
// under the cursor, the findings and the folded list of reasons show, injected markup stays text, sorting
// works. The browser is report/browser.ts's choice: the Chromium that
// `npm ci` installs (@sparticuz/chromium) unless BTCW_CHROMIUM names another, so nothing needs installing
// by hand. The second test runs that npm Chromium even where BTCW_CHROMIUM chooses another, so it is always
// covered; the third checks the choice itself.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { findings } from '../../grading/findings.js';
import { tempDir } from '../../harness/temp-dir.js';
import { launchChromium, unpackNpmChromium } from '../../report/browser.js';
import { clockLabel, elapsedLabel, renderHtml } from '../../report/render-html.js';
import { seriesOf } from '../../report/series.js';
import { fixtureDocument, HOSTILE_NAME } from '../helpers/report-fixture.js';

// The npm package's Chromium is a Linux x64 build; elsewhere only the first test runs, with the fallback or
// BTCW_CHROMIUM.
/** The little of the DOM the page functions below use (the project compiles without the DOM's types). */
interface Dom {
  id: string;
  classList: { contains(token: string): boolean };
  children: Dom[];
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): Dom | null;
  getBoundingClientRect(): { height: number };
}

const NOT_LINUX_X64 = (process.platform !== 'linux' || process.arch !== 'x64') && 'not on Linux x64';

describe('report in headless Chromium', () => {
  it('loads cleanly, draws every chart, shows values on hover, lists the findings, sorts', async (test) => {
    const doc = fixtureDocument();
    const file = path.join(tempDir('btcw-report-'), 'report.html');
    writeFileSync(file, renderHtml(doc));
    const { browser, source, executablePath } = await launchChromium();
    test.diagnostic(`Chromium: ${source}, ${executablePath}, ${browser.version()}`);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(pathToFileURL(file).href);
      assert.deepEqual(problems, []);

      // the verdict, its headline, the ranked findings; every reason folded under them
      assert.match((await page.locator('#verdict h1').textContent()) ?? '', /BTC Watcher load test: FAIL/);
      const expected = findings(doc.evaluation);
      assert.equal(await page.locator('#headline').textContent(), expected.headline);
      const items = await page.locator('#findings li').allTextContents();
      assert.deepEqual(
        items,
        expected.lines.map((x) => `${x.verdict}${x.text}`),
      );
      const all = page.locator('#all-reasons li');
      assert.equal(await all.first().isVisible(), false, 'the full list is not folded');
      await page.locator('#all-reasons summary').click();
      assert.equal(await all.first().isVisible(), true);
      assert.equal(await all.count(), doc.evaluation.reasons.length);

      // six charts drawn by uPlot, the static SVG hidden under them
      const charts = await page.locator('figure.chart').evaluateAll((figs: Dom[]) =>
        figs.map((fig) => ({
          id: fig.id,
          live: fig.classList.contains('live'),
          canvas: fig.querySelector('canvas')?.getBoundingClientRect().height ?? 0,
          svgShown: (fig.querySelector('svg')?.getBoundingClientRect().height ?? 0) > 0,
        })),
      );
      assert.equal(charts.length, 6);
      for (const chart of charts)
        assert.ok(chart.live && chart.canvas > 100 && !chart.svgShown, JSON.stringify(chart));

      // hover: the last period's values, in this chart and in the others (cursors move together)
      const series = seriesOf(doc.intermediate);
      const last = series[series.length - 1]!;
      const over = page.locator('#chart-latency .u-over');
      await over.scrollIntoViewIfNeeded();
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
      const values = (id: string) => page.locator(`#${id} .u-legend .u-value`).allTextContents();
      const latency = await values('chart-latency');
      const t0 = doc.intermediate[0]!.firstMetricAt!;
      assert.equal(latency[0], `${elapsedLabel(last.t - t0)} (${clockLabel(last.t)} UTC)`);
      // as the legend writes them: 3 significant figures or so
      const fmt = (v: number) => v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2);
      assert.deepEqual(
        latency.slice(1),
        [last.p50!, last.p95!, last.p99!].map((v) => `${fmt(v)} ms`),
      );
      const requests = await values('chart-requests');
      assert.equal(requests[0], latency[0]);
      assert.equal(requests[1], `${fmt(Math.round(last.requestsPerSec * 100) / 100)} req/s`);
      const failures = await values('chart-failures');
      assert.equal(failures[1], `${fmt(Math.round(last.failuresPerSec * 100) / 100)} failed/s`);

      // injected markup stays text
      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
      assert.equal(
        (await page.locator('td.name', { hasText: HOSTILE_NAME }).count()) > 0,
        true,
        'hostile name not shown as text',
      );

      // sorting: a click sorts by the column, most first; a second click, least first
      const column = (table: string, columnIndex: number) =>
        page
          .locator(`#${table} tbody tr`)
          .evaluateAll(
            (rows: Dom[], k: number) => rows.map((r) => Number(r.children[k]!.dataset.v)),
            columnIndex,
          );
      const requestsHeading = page.locator('#endpoints th', { hasText: /^requests$/ });
      await requestsHeading.click();
      const desc = await column('endpoints', 2);
      assert.deepEqual(
        desc,
        [...desc].sort((a, b) => b - a),
      );
      assert.notDeepEqual(
        desc,
        [...desc].sort((a, b) => a - b),
      );
      await requestsHeading.click();
      const asc = await column('endpoints', 2);
      assert.deepEqual(
        asc,
        [...asc].sort((a, b) => a - b),
      );
      await page.locator('#failures th', { hasText: 'count' }).click();
      await page.locator('#failures th', { hasText: 'count' }).click();
      const counts = await column('failures', 2);
      assert.deepEqual(
        counts,
        [...counts].sort((a, b) => a - b),
      );
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        doc.evaluation.overall.failed,
      );

      assert.deepEqual(problems, [], 'console errors during the checks');
    } finally {
      await browser.close();
    }
  });

  const npmAlone = 'runs the npm Chromium alone (no fallback) and draws text with its fonts';
  it(npmAlone, { skip: NOT_LINUX_X64 }, async () => {
    const { browser, source } = await launchChromium({ choice: 'npm' });
    try {
      assert.equal(source, 'npm');
      const page = await browser.newPage({ viewport: { width: 400, height: 200 } });
      await page.setContent(
        '<p id="text" style="width:300px;height:40px;margin:0;font:24px sans-serif">BTC Watcher 123</p>' +
          '<p id="blank" style="width:300px;height:40px;margin:0"></p>',
      );
      // Without a usable font Chromium still lays text out but paints nothing: compare the pixels.
      const text = await page.locator('#text').screenshot();
      const blank = await page.locator('#blank').screenshot();
      assert.notDeepEqual(text, blank, 'the text drew no pixels: no font found');
    } finally {
      await browser.close();
    }
  });

  const choosing =
    'takes BTCW_CHROMIUM, or falls back to the system browser with a warning, or says what to install';
  it(choosing, { skip: NOT_LINUX_X64 }, async () => {
    const { executablePath } = await unpackNpmChromium(); // stands in for the other browsers below
    await assert.rejects(launchChromium({ choice: '/nonexistent/chromium' }), {
      message: 'BTCW_CHROMIUM=/nonexistent/chromium: no such file',
    });
    const chosen = await launchChromium({ choice: executablePath });
    await chosen.browser.close();
    assert.equal(chosen.source, 'BTCW_CHROMIUM');

    const broken = () => Promise.reject(new Error('cannot execute binary file\nmore detail'));
    const warnings: string[] = [];
    const fallback = await launchChromium({
      choice: undefined,
      unpack: broken,
      system: executablePath,
      warn: (l) => warnings.push(l),
    });
    await fallback.browser.close();
    assert.equal(fallback.source, 'system');
    assert.deepEqual(warnings, [
      'the Chromium of the npm package @sparticuz/chromium did not start: cannot execute binary file; ' +
        `using ${executablePath} instead`,
    ]);
    await assert.rejects(launchChromium({ choice: 'npm', unpack: broken, system: executablePath }), {
      message: /did not start: cannot execute binary file \(BTCW_CHROMIUM=npm allows no other browser\)$/,
    });
    await assert.rejects(
      launchChromium({ choice: undefined, unpack: broken, system: '/nonexistent/chromium' }),
      {
        message:
          /no \/nonexistent\/chromium either: install a Chromium \(Debian: apt-get install -y chromium\)/,
      },
    );
  });
});
