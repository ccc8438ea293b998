// The live dashboard's HTTP server: the page, its Server-Sent Events stream, GET /stats (the snapshot as
// JSON, for scripts, as Locust's /stats/requests), POST /stop, and the report files once the run is over.
// Bound to loopback unless a host is given; on any other host a random token is required on every route.
// SSE rather than a WebSocket: one-way is all the page needs, browsers reconnect by themselves, and it is
// plain HTTP in node:http with no dependency.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { isLoopback } from '../lib/loopback.js';
import { dashboardPage } from './page.js';
import type { Snapshot } from './snapshot.js';

export interface DashboardServerOptions {
  host: string;
  port: number;
  /** The current snapshot; read for every event and /stats. */
  snapshot: () => Snapshot;
  /** The Stop button: called once. */
  onStop: () => void;
  /** Where the report files (Snapshot.files) are. */
  filesDir: string;
  /** A fixed token (BTCW_DASHBOARD_TOKEN); otherwise a random one when the host is not loopback. */
  token?: string | undefined;
}

export interface DashboardServer {
  /** The page's address, with the token when one is required. */
  url: string;
  /** The same address with the token replaced by <token>, for logs. */
  shownUrl: string;
  /** Pushes the current snapshot to every open page. */
  push(): void;
  /** Pages connected now. */
  pages(): number;
  /** Resolves when no page is connected, or after `maxMs`. */
  pagesClosed(maxMs: number): Promise<void>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
};

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const givenBytes = Buffer.from(given);
  const tokenBytes = Buffer.from(token);
  return givenBytes.length === tokenBytes.length && timingSafeEqual(givenBytes, tokenBytes);
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const loopback = isLoopback(options.host);
  const token = options.token || (loopback ? null : randomBytes(18).toString('base64url'));
  const clients = new Set<http.ServerResponse>();
  let stopAsked = false;
  let closedWaiter: (() => void) | null = null;

  const send = (res: http.ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  const event = (s: Snapshot) => `data: ${JSON.stringify(s)}\n\n`;

  const server = http.createServer((req, res) => {
    // A malformed request (a bad %-escape, a broken URL) gets a 400; a throw here would end the runner
    // mid-run, with its Artillery child still loading and no clean-up.
    try {
      answer(req, res);
    } catch {
      if (!res.headersSent) send(res, 400, 'text/plain; charset=utf-8', 'bad request\n');
      else res.destroy();
    }
  });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (token !== null && !sameToken(url.searchParams.get('token'), token)) {
      send(res, 401, 'text/plain; charset=utf-8', 'token required: open the URL the runner printed\n');
      return;
    }
    // On loopback, a page of another site could reach this port through DNS rebinding: only our own host
    // names are answered.
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (loopback && !isLoopback(host)) {
      send(res, 403, 'text/plain; charset=utf-8', 'unknown host\n');
      return;
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') send(res, 200, 'text/html; charset=utf-8', dashboardPage());
    else if (route === 'GET /stats') send(res, 200, 'application/json', JSON.stringify(options.snapshot()));
    else if (route === 'GET /events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(event(options.snapshot()));
      clients.add(res);
      req.on('close', () => {
        clients.delete(res);
        if (clients.size === 0) closedWaiter?.();
      });
    } else if (route === 'POST /stop') {
      // A custom header: a plain cross-site form cannot send it, so another page cannot stop the run.
      if (req.headers['x-btcw-stop'] !== '1') {
        send(res, 400, 'text/plain; charset=utf-8', 'POST /stop needs the header x-btcw-stop: 1\n');
        return;
      }
      const running = ['starting', 'running'].includes(options.snapshot().status);
      if (running && !stopAsked) {
        stopAsked = true;
        options.onStop();
      }
      send(res, running ? 202 : 409, 'application/json', JSON.stringify({ stopping: running }));
    } else if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const name = decodeURIComponent(url.pathname.slice('/files/'.length));
      const file = path.join(options.filesDir, name);
      // Only the files the run listed, by their bare name: nothing else on disk is reachable.
      if (!options.snapshot().files.includes(name) || path.basename(name) !== name || !existsSync(file)) {
        send(res, 404, 'text/plain; charset=utf-8', 'no such file\n');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
        'content-disposition': `${name.endsWith('.html') ? 'inline' : 'attachment'}; filename="${name}"`,
      });
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } else send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  const base = `http://${hostPart}:${port}/`;
  return {
    url: token === null ? base : `${base}?token=${token}`,
    shownUrl: token === null ? base : `${base}?token=<token>`,
    push() {
      if (clients.size === 0) return;
      const data = event(options.snapshot());
      for (const client of clients) client.write(data);
    },
    pages: () => clients.size,
    pagesClosed(maxMs) {
      if (clients.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxMs);
        closedWaiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    async close() {
      for (const client of clients) client.end();
      // A report or CSV still downloading may finish; idle keep-alive sockets go now.
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
