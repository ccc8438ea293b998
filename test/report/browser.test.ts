// The report in a real browser: loads without console errors, every chart has drawn data, the verdict shows,
// injected markup stays text, sorting works. Needs Debian's chromium (.ci/run installs it); it fails rather
// than skips when the browser is missing.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, launchChromium } from '../../report/browser.js';
import { renderHtml } from '../../report/render-html.js';
import { fixtureDocument, HOSTILE_NAME } from '../helpers/report-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('report in headless Chromium', () => {
  it('loads cleanly, draws every chart, shows the verdict, keeps injected markup inert, sorts', async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `no browser at ${CHROMIUM}: apt-get install -y chromium (or set BTCW_CHROMIUM)`,
    );
    const file = path.join(tempDir('btcw-report-'), 'report.html');
    writeFileSync(file, renderHtml(fixtureDocument()));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(pathToFileURL(file).href);
      assert.deepEqual(problems, []);

      assert.match((await page.locator('#verdict h1').textContent()) ?? '', /BTC Watcher load test: FAIL/);
      type El = {
        getAttribute(n: string): string | null;
        querySelectorAll(s: string): Iterable<El>;
        getBoundingClientRect(): { height: number };
      };
      const charts = await page.locator('svg[data-points]').evaluateAll((svgs: El[]) =>
        svgs.map((s) => ({
          points: Number(s.getAttribute('data-points')),
          drawn: [...s.querySelectorAll('polyline')].reduce(
            (a, p) => a + (p.getAttribute('points') ?? '').split(' ').filter(Boolean).length,
            0,
          ),
          height: s.getBoundingClientRect().height,
        })),
      );
      assert.equal(charts.length, 4);
      for (const c of charts) {
        assert.ok(c.points > 0 && c.drawn === c.points, JSON.stringify(c));
        assert.ok(c.height > 50, 'chart not laid out');
      }

      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
      assert.equal(
        (await page.locator('td.name', { hasText: HOSTILE_NAME }).count()) > 0,
        true,
        'hostile name not shown as text',
      );

      const firstName = () => page.locator('#endpoints tbody tr td.name').first().textContent();
      const before = await firstName();
      await page.locator('#endpoints th', { hasText: 'requests' }).first().click();
      await page.locator('#endpoints th', { hasText: 'requests' }).first().click();
      assert.notEqual(await firstName(), before, 'sorting by requests changed nothing');
    } finally {
      await browser.close();
    }
  });
});
