// `npm run report:screenshot -- <report.html> <out.png>`: the picture of a report in docs/report.md, taken
// with the browser test's Chromium (report/browser.ts: the npm package's unless BTCW_CHROMIUM names another),
// with the cursor on a chart so that the legends show values.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './browser.js';

const [html, png] = process.argv.slice(2);
if (!html || !png) {
  console.error('usage: npm run report:screenshot -- <report.html> <out.png>');
  process.exit(2);
}
const { browser, source, executablePath } = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(path.resolve(html)).href);
  // The cursor two thirds into the response-time chart: every chart's legend shows that period's values.
  const over = page.locator('#chart-latency .u-over');
  if ((await over.count()) > 0) {
    const box = await over.boundingBox();
    if (box) await page.mouse.move(box.x + (box.width * 2) / 3, box.y + box.height / 2);
  }
  await page.screenshot({ path: png, fullPage: true });
  console.log(`screenshot written to ${png} (Chromium ${browser.version()}: ${source}, ${executablePath})`);
} finally {
  await browser.close();
}
