// Headless Chromium from Debian's package (/usr/bin/chromium) driven by playwright-core: the browser test of
// the report and its screenshot. Playwright's own browser download is never used.
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.BTCW_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      // Playwright gives each launch a fresh temporary profile (it refuses an explicit --user-data-dir here).
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
