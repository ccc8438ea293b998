// The report in a real browser: loads without console errors, every chart has drawn data, the verdict shows,
// injected markup stays text, sorting works. The browser is report/browser.ts's choice: the Chromium that
// `npm ci` installs (@sparticuz/chromium) unless BTCW_CHROMIUM names another, so nothing needs installing
// by hand. The second test runs that npm Chromium even where BTCW_CHROMIUM chooses another, so it is always
// covered; the third checks the choice itself.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { launchChromium, unpackNpmChromium } from '../../report/browser.js';
import { renderHtml } from '../../report/render-html.js';
import { fixtureDocument, HOSTILE_NAME } from '../helpers/report-fixture.js';
import { tempDir } from '../helpers/temp-dir.js';

// The npm package's Chromium is a Linux x64 build; elsewhere only the first test runs, with the fallback or
// BTCW_CHROMIUM.
const NOT_LINUX_X64 = (process.platform !== 'linux' || process.arch !== 'x64') && 'not on Linux x64';

describe('report in headless Chromium', () => {
  it('loads cleanly, draws every chart, shows the verdict, keeps injected markup inert, sorts', async (t) => {
    const file = path.join(tempDir('btcw-report-'), 'report.html');
    writeFileSync(file, renderHtml(fixtureDocument()));
    const { browser, source, executablePath } = await launchChromium();
    t.diagnostic(`Chromium: ${source}, ${executablePath}, ${browser.version()}`);
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
