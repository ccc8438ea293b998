// A report opens in a browser whatever the run's length: a run cut short has one reporting period or none,
// and a lone point once sent uPlot's x axis to [0, 2t], whose ticks froze the page. Each length must load
// within the time limit, raise no page error, and draw every chart it has data for (none for 0 periods,
// where the page says there is no data).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../../harness/temp-dir.js';
import { launchChromium } from '../../report/browser.js';
import { renderHtml } from '../../report/render-html.js';
import { fixtureDocument } from '../helpers/report-fixture.js';

/** The little of the DOM the page function below uses (the project compiles without the DOM's types). */
interface Dom {
  classList: { contains(token: string): boolean };
  querySelector(selector: string): { getBoundingClientRect(): { height: number } } | null;
}

// A frozen page never loads; a healthy one loads in well under a second, so this leaves room for a busy
// machine without waiting long on a regression.
const LOAD_LIMIT_MS = 20_000;

describe('report in headless Chromium, for any run length', () => {
  it('opens and draws its charts with 0, 1, 2 and 12 reporting periods', async () => {
    const dir = tempDir('btcw-report-lengths-');
    const { browser } = await launchChromium();
    try {
      for (const periods of [0, 1, 2, 12]) {
        const file = path.join(dir, `report-${periods}.html`);
        writeFileSync(file, renderHtml(fixtureDocument({ periods })));
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const problems: string[] = [];
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(pathToFileURL(file).href, { timeout: LOAD_LIMIT_MS });
        assert.deepEqual(problems, [], `${periods} periods`);
        const charts = await page.locator('figure.chart').evaluateAll((figs: Dom[]) =>
          figs.map((fig) => ({
            live: fig.classList.contains('live'),
            canvas: fig.querySelector('canvas')?.getBoundingClientRect().height ?? 0,
          })),
        );
        if (periods === 0) assert.equal(charts.length, 0, 'no charts without data');
        else {
          assert.ok(charts.length >= 5, `${periods} periods: ${charts.length} charts`);
          for (const chart of charts)
            assert.ok(chart.live && chart.canvas > 100, `${periods} periods: ${JSON.stringify(chart)}`);
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
