// The live dashboard in a real browser (report/browser.ts: the npm package's Chromium unless BTCW_CHROMIUM
// names another) during a compressed smoke run on two worker threads against an in-process API: the page's
// numbers change within two 10 s periods, the users per class add up to the run's users, Stop ends the run as
// Ctrl-C does (exit 130, partial verdict, clean-up, report), the page then links the report and the CSVs and
// they download, and no tagged strategy is left. BTCW_DASHBOARD_SCREENSHOT=<file.png> keeps a picture of
// the live page (docs/dashboard.png is one).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../dashboard/snapshot.js';
import { runPack } from '../../harness/pack.js';
import { TAG_PATTERN } from '../../lib/tagged-cleanup.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';
import { launchChromium } from '../../report/browser.js';

/** Every HS256 token the API issues starts with this header, whatever its claims and signature. */
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const PERIOD_MS = 10_000;

describe('live dashboard in headless Chromium', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(() => api.close());

  const title = 'shows the run live, its users per class add up, Stop ends it with 130 and the report';
  it(title, async (context) => {
    const chromium = launchChromium();
    let url = '';
    let stdout = '';
    let gotUrl: (printedUrl: string) => void = () => {};
    const urlPrinted = new Promise<string>((resolve) => {
      gotUrl = resolve;
    });
    // 45 s of smoke (10 users), stopped after about two periods.
    const run = runPack(
      'smoke',
      api.port,
      // On btcw, the engine of the profiles a dashboard mostly watches: its users end on Stop by themselves.
      [
        '--dashboard',
        '0',
        '--duration-factor',
        '0.75',
        '--think-factor',
        '0.1',
        '--workers',
        '2',
        '--engine',
        'btcw',
      ],
      {},
      {
        report: true,
        onOutput: (out) => {
          stdout = out;
          const match = /btcw: dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (match && url === '') {
            url = match[1]!;
            gotUrl(url);
          }
        },
      },
    );
    const { browser, source, executablePath } = await chromium;
    context.diagnostic(`Chromium: ${source}, ${executablePath}, ${browser.version()}`);
    try {
      await Promise.race([
        urlPrinted,
        run.then((ended) => {
          if (url === '') assert.fail(`the run printed no dashboard URL:\n${ended.stdout.slice(-1500)}`);
        }),
      ]);
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      const shown = { requests: '', failures: '' };
      // On a failure, say what the page and the run showed (a timing problem on a loaded machine).
      const explain = async (error: Error) => {
        const body = await page
          .locator('header, .tiles')
          .allInnerTexts()
          .catch(() => []);
        error.message += `\npage: ${body.join(' | ').replace(/\s+/g, ' ')}\nrun: ${stdout.slice(-800)}`;
        throw error;
      };
      await (async () => {
        const text = async (id: string) => (await page.locator(`#${id}`).textContent()) ?? '';
        // Conditions evaluated in the page, as text (the project compiles without the DOM's types).
        const inPage = (id: string) => `(document.getElementById(${JSON.stringify(id)})?.textContent ?? '')`;
        const waitUntil = (condition: string, timeout: number) =>
          page.waitForFunction(condition, undefined, { timeout, polling: 200 });

        // live numbers: the total changes within two periods of the page opening, and again after that
        const first = await text('requests');
        const opened = Date.now();
        await waitUntil(`${inPage('requests')} !== ${JSON.stringify(first)}`, 2 * PERIOD_MS + 5000);
        const second = await text('requests');
        await waitUntil(`${inPage('requests')} !== ${JSON.stringify(second)}`, 2 * PERIOD_MS);
        context.diagnostic(
          `requests ${first} -> ${second} -> ${await text('requests')} in ${Date.now() - opened} ms`,
        );
        assert.ok(Number(await text('requests')) > Number(second) || Number(second) > Number(first));

        // a graded period: verdict, endpoint table, charts
        await waitUntil(`${inPage('verdict')} !== '–'`, 2 * PERIOD_MS + 5000);
        assert.match(await text('verdict'), /^(PASS|WARN|FAIL)$/);
        // Artillery's periods end on the wall clock's 10 s marks: the first can be a second long, with only
        // the first logins in it; the next one has most request names.
        await waitUntil("document.querySelectorAll('#endpoints tbody tr').length > 10", PERIOD_MS + 5000);
        assert.ok((await page.locator('#chart-rps canvas').count()) > 0, 'no chart drawn');

        // all 10 users started: the classes add up to the run's users, on two worker threads
        await waitUntil(`${inPage('users-total')} === '10'`, PERIOD_MS + 5000);
        assert.equal(await text('users-run'), '10');
        const perClass = await page.locator('#users-by-class tbody td.n').allTextContents();
        assert.equal(perClass.length, 10, 'one row per class of the comprehensive mix');
        assert.equal(
          perClass.reduce((a, n) => a + Number(n), 0),
          10,
        );

        // the same numbers for scripts, and no secrets in them
        const stats = await (await fetch(`${url}stats`)).text();
        assert.ok((JSON.parse(stats) as Snapshot).requests > 0);
        assert.equal(stats.includes(JWT_HEADER), false, 'a token in /stats');
        assert.equal(stats.includes('testpass123'), false, 'a password in /stats');

        if (process.env.BTCW_DASHBOARD_SCREENSHOT) {
          await waitUntil(`${inPage('periods')}.startsWith('(2 ')`, PERIOD_MS + 5000);
          await page.screenshot({ path: path.resolve(process.env.BTCW_DASHBOARD_SCREENSHOT) });
        }

        // Stop: the Ctrl-C path
        assert.equal(await text('status'), 'running');
        const stopped = Date.now();
        await page.locator('#stop').click();
        await page.locator('#files').waitFor({ state: 'visible', timeout: 30_000 });
        context.diagnostic(`Stop to report links: ${Date.now() - stopped} ms`);
        assert.equal(await text('exit'), 'exit code 130.');
        // After Stop the page tells the truth: stopped, the final verdict, the final counts.
        assert.equal(await text('status'), 'stopped');
        assert.equal(await text('verdict'), 'INTERRUPTED');
        assert.equal(await text('verdict-label'), 'verdict');
        assert.equal(await text('remaining'), '–');
        shown.requests = await text('requests');
        shown.failures = await text('failures');
        const links = page.locator('#links a');
        const names = await links.allTextContents();
        assert.equal(names.length, 4, names.join(', '));
        assert.ok(names[0]!.endsWith('.html'));
        const href = new URL((await links.nth(0).getAttribute('href'))!, url).href;
        const report = await page.request.get(href, { failOnStatusCode: true });
        assert.match(
          await report.text(),
          /<h1>BTC Watcher load test: INTERRUPTED \(smoke, graded so far: \w+, partial results\)/,
        );
        const [download] = await Promise.all([page.waitForEvent('download'), links.nth(1).click()]);
        assert.equal(download.suggestedFilename(), names[1]);
        assert.match(names[1]!, /_stats\.csv$/);
        assert.deepEqual(problems, []);
      })().catch(explain);
      await page.close(); // the runner serves the links while a page is open, then exits

      const ended = await run;
      assert.equal(ended.code, 130, ended.stdout.slice(-1500));
      assert.match(ended.stdout, /btcw: dashboard: Stop pressed/);
      assert.match(ended.stdout, /interrupted by SIGINT/);
      assert.equal(
        shown.requests,
        String(ended.evaluation!.overall.requests),
        "the page's total is the verdict's",
      );
      assert.equal(shown.failures, String(ended.evaluation!.overall.failed));
      assert.equal(ended.document?.meta.interrupted, true);
      assert.ok(ended.evaluation!.overall.requests > 0, 'no completed period graded');
      // on btcw with artillery-plugin-expect: no user ended on an error before the Stop
      assert.deepEqual(ended.evaluation!.pack.usersStopped, {});
      assert.equal(ended.document?.meta.engine, 'btcw');
      assert.deepEqual(
        api.state.store
          .activeStrategies()
          .filter((s) => TAG_PATTERN.test(s.name))
          .map((s) => s.name),
        [],
      );
    } finally {
      await browser.close();
      await run.catch(() => {});
    }
  });
});
