// The dashboard's HTTP server on its own (a fixed snapshot, no run): GET /stats for scripts, the SSE push,
// the Stop route (once, and only with its header), the report files and nothing else on disk, and on a
// non-loopback host the token on every route (401 without it).

import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startDashboardServer } from '../../../dashboard/dashboard-server.js';
import { announceUrl, startLiveDashboard } from '../../../dashboard/live-dashboard.js';
import { LiveState, type Snapshot } from '../../../dashboard/snapshot.js';
import { loadTargets } from '../../../documents/targets-file.js';
import type { ArtilleryReport } from '../../../grading/evaluation.js';
import { ROOT } from '../../../harness/pack.js';
import { tempDir } from '../../../harness/temp-dir.js';
import { UsageError } from '../../../lib/usage-error.js';
import { fixtureResults } from '../../helpers/report-fixture.js';

const targets = loadTargets(path.join(ROOT, 'config', 'targets.yml'));

/** The counters of the first n fixture periods added up, as the plugin's aggregate so far. */
function upTo(periods: number): ArtilleryReport {
  const counters: Record<string, number> = {};
  for (const period of fixtureResults().intermediate.slice(0, periods))
    for (const [name, count] of Object.entries(period.counters ?? {}))
      counters[name] = (counters[name] ?? 0) + count;
  return { counters };
}

function liveState(): LiveState {
  const { intermediate } = fixtureResults();
  const state = new LiveState(
    { profile: 'smoke', runTag: 't', users: 7, runSeconds: 200, mix: 'comprehensive' },
    targets,
    Date.now(),
  );
  for (const period of intermediate.slice(0, 4))
    state.receive({ btcw: 'period', period: period, aggregate: upTo(4) });
  return state;
}

/** The first `count` SSE events, parsed; `trigger` runs once the first has come. */
async function nextEvents(url: string, count: number, trigger: () => void): Promise<Snapshot[]> {
  const res = await fetch(url);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.getReader();
  const events: Snapshot[] = [];
  let buf = '';
  let triggered = false;
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += Buffer.from(value).toString();
    let end = buf.indexOf('\n\n');
    while (end >= 0) {
      events.push(JSON.parse(buf.slice(0, end).replace(/^data: /, '')) as Snapshot);
      buf = buf.slice(end + 2);
      end = buf.indexOf('\n\n');
    }
    if (!triggered && events.length > 0) {
      triggered = true;
      trigger();
    }
  }
  await reader.cancel();
  return events;
}

describe('dashboard server', () => {
  it('serves the page, /stats with the total under requests, pushes over SSE, stops once', async () => {
    const state = liveState();
    let stops = 0;
    const dir = tempDir('btcw-dash-');
    writeFileSync(path.join(dir, 'r.html'), '<p>report</p>');
    writeFileSync(path.join(dir, 'r_stats.csv'), 'Type,Name\n');
    writeFileSync(path.join(dir, 'secret.env'), 'BTCW_PASSWORD=x\n');
    const server = await startDashboardServer({
      host: '127.0.0.1',
      port: 0,
      snapshot: () => state.snapshot(Date.now()),
      onStop: () => {
        stops++;
      },
      filesDir: dir,
    });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(server.url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>BTC Watcher load test: live<\/title>[\s\S]*uPlot/);

      const stats = (await (await fetch(`${server.url}stats`)).json()) as Snapshot;
      assert.equal(stats.requests, state.evaluation()!.overall.requests);
      assert.ok(stats.requests > 0);

      // a new period reaches an open stream without polling
      const events = await nextEvents(`${server.url}events`, 2, () => {
        state.receive({ btcw: 'period', period: fixtureResults().intermediate[4]!, aggregate: upTo(5) });
        server.push();
      });
      assert.equal(events[0]!.verdict?.periods, 4);
      assert.equal(events[1]!.verdict?.periods, 5);
      assert.ok(events[1]!.requests > events[0]!.requests);

      assert.equal((await fetch(`${server.url}stop`, { method: 'POST' })).status, 400, 'no header');
      assert.equal(stops, 0);
      const stop = () => fetch(`${server.url}stop`, { method: 'POST', headers: { 'x-btcw-stop': '1' } });
      assert.equal((await stop()).status, 202);
      assert.equal((await stop()).status, 202);
      assert.equal(stops, 1, 'Stop called twice');

      // files: only those the run listed
      assert.equal((await fetch(`${server.url}files/r.html`)).status, 404, 'before the run listed it');
      state.status = 'finished';
      state.files = ['r.html', 'r_stats.csv'];
      assert.equal((await stop()).status, 409);
      const html = await fetch(`${server.url}files/r.html`);
      assert.equal(await html.text(), '<p>report</p>');
      const csv = await fetch(`${server.url}files/r_stats.csv`);
      assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="r_stats.csv"/);
      for (const file of ['files/secret.env', 'files/..%2Fsecret.env', 'files/%2Fetc%2Fpasswd'])
        assert.equal((await fetch(server.url + file)).status, 404, file);

      // DNS rebinding: another host name is refused on loopback
      // (fetch may not set Host: node:http does)
      const other = await new Promise<number>((resolve, reject) =>
        http
          .get(`${server.url}stats`, { headers: { host: 'evil.example:80' } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject),
      );
      assert.equal(other, 403);
    } finally {
      await server.close();
    }
  });

  it('on a non-loopback host, asks for the token on every route: 401 without it', async () => {
    const state = liveState();
    let stops = 0;
    const server = await startDashboardServer({
      host: '0.0.0.0',
      port: 0,
      snapshot: () => state.snapshot(Date.now()),
      onStop: () => {
        stops++;
      },
      filesDir: tempDir('btcw-dash-'),
    });
    try {
      const url = new URL(server.url);
      const token = url.searchParams.get('token');
      assert.ok(token && token.length >= 20, `no random token in ${server.url}`);
      assert.equal(server.shownUrl.includes(token), false);
      const base = `http://127.0.0.1:${url.port}/`;
      const routes: Array<[string, string]> = [
        ['GET', ''],
        ['GET', 'stats'],
        ['GET', 'events'],
        ['POST', 'stop'],
        ['GET', 'files/x.html'],
      ];
      // One character off: the last one changed (a token that ends in x ends in y here, 1 run in 64).
      const wrong = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
      for (const [method, route] of routes) {
        for (const query of ['', '?token=', `?token=${wrong}`]) {
          const response = await fetch(base + route + query, { method, headers: { 'x-btcw-stop': '1' } });
          assert.equal(response.status, 401, `${method} /${route}${query}`);
        }
      }
      assert.equal(stops, 0);
      const ok = await fetch(`${base}stats?token=${token}`);
      assert.equal(ok.status, 200);
      assert.ok(((await ok.json()) as Snapshot).requests > 0);
      const stop = await fetch(`${base}stop?token=${token}`, {
        method: 'POST',
        headers: { 'x-btcw-stop': '1' },
      });
      assert.equal(stop.status, 202);
      assert.equal(stops, 1);
    } finally {
      await server.close();
    }
  });

  it('answers a malformed request 400 and keeps serving', async () => {
    const state = liveState();
    const server = await startDashboardServer({
      host: '127.0.0.1',
      port: 0,
      token: undefined,
      snapshot: () => state.snapshot(Date.now()),
      onStop: () => {},
      filesDir: tempDir('btcw-dash-'),
    });
    try {
      assert.equal((await fetch(`${server.url}files/%`)).status, 400);
      assert.equal((await fetch(`${server.url}stats`)).status, 200);
    } finally {
      await server.close();
    }
  });

  it('uses a given token and keeps it out of the URL it shows', async () => {
    const state = liveState();
    const server = await startDashboardServer({
      host: '0.0.0.0',
      port: 0,
      token: 'my-own-token-1234567',
      snapshot: () => state.snapshot(Date.now()),
      onStop: () => {},
      filesDir: tempDir('btcw-dash-'),
    });
    try {
      assert.match(server.url, /\?token=my-own-token-1234567$/);
      assert.match(server.shownUrl, /\?token=<token>$/);
      const port = new URL(server.url).port;
      assert.equal((await fetch(`http://127.0.0.1:${port}/stats?token=my-own-token-1234567`)).status, 200);
    } finally {
      await server.close();
    }
  });
});

describe('dashboard start-up', () => {
  it('names a busy port and the fix in one line', async () => {
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    const run = { profile: 'smoke', runTag: 't', users: 1, runSeconds: 1, mix: 'comprehensive' };
    try {
      await assert.rejects(
        startLiveDashboard({ host: '127.0.0.1', port, token: undefined }, run, targets, () => {}),
        (error: Error) =>
          error instanceof UsageError &&
          error.message ===
            `the dashboard's port ${port} on 127.0.0.1 is in use: ` +
              'choose another with --dashboard PORT (0: any free port)',
      );
    } finally {
      busy.close();
    }
  });

  it('prints a random token only on a terminal; kept output gets it in a file only this user reads', () => {
    const server = {
      url: 'http://0.0.0.0:1/?token=s3cret-random-token',
      shownUrl: 'http://0.0.0.0:1/?token=<token>',
    };
    const urlFile = path.join(tempDir('btcw-dash-url-'), 'dashboard.url');
    const lines: string[] = [];
    announceUrl(server, false, { terminal: true, urlFile }, (l) => lines.push(l));
    assert.deepEqual(lines, [`dashboard: ${server.url}`]);
    assert.equal(existsSync(urlFile), false);
    lines.length = 0;
    announceUrl(server, false, { terminal: false, urlFile }, (l) => lines.push(l));
    assert.equal(lines.join('\n').includes('s3cret'), false, lines.join('\n'));
    assert.match(lines[0]!, /token=<token>.*dashboard\.url/);
    assert.equal(readFileSync(urlFile, 'utf8'), `${server.url}\n`);
    assert.equal(statSync(urlFile).mode & 0o777, 0o600);
    lines.length = 0;
    announceUrl(server, true, { terminal: true, urlFile }, (l) => lines.push(l));
    assert.deepEqual(lines, [`dashboard: ${server.shownUrl}`], 'a chosen token is never shown');
  });
});
