// `npm run report:screenshot -- <report.html> <out.png>`: the picture of a report shown in the README, taken
// with the browser test's Chromium (report/browser.ts: the npm package's unless BTCW_CHROMIUM names another).
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
  await page.screenshot({ path: png, fullPage: true });
  console.log(`screenshot written to ${png} (Chromium ${browser.version()}: ${source}, ${executablePath})`);
} finally {
  await browser.close();
}
