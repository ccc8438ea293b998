// The runner's side of the live dashboard: starts the server, feeds it what the Artillery child sends over
// IPC (plugin/live-feed.ts), turns Stop into the child's SIGINT (the Ctrl-C path), and after the run offers
// the report and CSV files while a page is still open, for at most LINGER_MS, so nothing waits forever.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Evaluation } from '../grading/evaluation.js';
import type { Targets } from '../grading/targets.js';
import { UsageError } from '../lib/usage-error.js';
import type { FeedMessage } from '../plugin/live-feed.js';
import { LIVE_FEED_ENV } from '../plugin/live-feed.js';
import { type DashboardServer, startDashboardServer } from './dashboard-server.js';
import type { DashboardOptions } from './options.js';
import { LiveState, type RunInfo } from './snapshot.js';

/** How long an open page keeps the finished run's links: long enough to click, never a CI hang. */
export const LINGER_MS = 60_000;

export interface LiveDashboard {
  url: string;
  /** Variables for the Artillery child: they switch the plugin's feed on. */
  childEnv: Record<string, string>;
  /** stdio for the child: an IPC channel as the fourth descriptor. */
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'];
  attach(child: ChildProcess, stop: () => void): void;
  /**
   * The run is over: show its final evaluation (the console's verdict and counts), the exit code and the
   * files, and wait while a page is open (at most LINGER_MS). `stopped`: Stop or a signal ended it.
   */
  finish(exitCode: number, files: string[], final?: Evaluation | null, stopped?: boolean): Promise<void>;
  close(): Promise<void>;
}

const isFeedMessage = (message: unknown): message is FeedMessage =>
  typeof message === 'object' &&
  message !== null &&
  ['period', 'tick', 'guard'].includes((message as { btcw?: string }).btcw ?? '');

/** Where the page's address is told (see announceUrl). */
export interface UrlNotice {
  /** The runner's output is a terminal (no log file keeps it). */
  terminal: boolean;
  /** Where the full address goes when it is not: a file only this user can read, removed at the end. */
  urlFile: string;
  /** A folder made for the file, removed with it. */
  ownDir?: string | undefined;
}

// In a folder of its own (mode 700, unpredictable name): no other user can create the file first and keep
// it readable.
const defaultNotice = (): UrlNotice => {
  const terminal = process.stdout.isTTY === true;
  const dir = terminal ? tmpdir() : mkdtempSync(path.join(tmpdir(), 'btcw-dashboard-'));
  return { terminal, urlFile: path.join(dir, 'dashboard.url'), ownDir: terminal ? undefined : dir };
};

/**
 * Tells the page's address. A token the user chose (BTCW_DASHBOARD_TOKEN) is never shown. A random one is
 * shown once on a terminal, or the page could not be opened; where the output is kept (CI logs, `tee`),
 * the address is printed without it and the full address is written to `urlFile` (mode 600).
 */
export function announceUrl(
  server: Pick<DashboardServer, 'url' | 'shownUrl'>,
  chosenToken: boolean,
  notice: UrlNotice,
  log: (line: string) => void,
): void {
  if (chosenToken || server.url === server.shownUrl) {
    log(`dashboard: ${server.shownUrl}`);
  } else if (notice.terminal) {
    log(`dashboard: ${server.url}`);
  } else {
    writeFileSync(notice.urlFile, `${server.url}\n`, { mode: 0o600, flag: 'wx' });
    log(`dashboard: ${server.shownUrl} (the address with its token is in ${notice.urlFile})`);
  }
}

export async function startLiveDashboard(
  options: DashboardOptions,
  run: RunInfo,
  targets: Targets,
  log: (line: string) => void,
  lingerMs = LINGER_MS,
  notice: UrlNotice = defaultNotice(),
): Promise<LiveDashboard> {
  const state = new LiveState(run, targets, Date.now());
  let stop: (() => void) | null = null;
  let filesDir = process.cwd();
  let server: DashboardServer;
  try {
    server = await startDashboardServer({
      host: options.host,
      port: options.port,
      token: options.token,
      snapshot: () => state.snapshot(Date.now()),
      onStop: () => {
        log('dashboard: Stop pressed: stopping the run as Ctrl-C does');
        state.status = 'stopping';
        server.push();
        stop?.();
      },
      get filesDir() {
        return filesDir;
      },
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(
        `the dashboard's port ${options.port} on ${options.host} is in use: ` +
          'choose another with --dashboard PORT ' +
          '(0: any free port)',
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES')
      throw new UsageError(
        `the dashboard cannot listen on ${options.host}:${options.port} (${code}): ` +
          'use an address of this machine with --dashboard-host, or a port above 1023',
      );
    throw error;
  }
  announceUrl(server, options.token !== undefined, notice, log);
  return {
    url: server.url,
    childEnv: { [LIVE_FEED_ENV]: '1' },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    attach(child, stopRun) {
      stop = stopRun;
      state.status = 'starting';
      child.on('message', (message) => {
        if (!isFeedMessage(message)) return;
        state.receive(message);
        server.push();
      });
    },
    async finish(exitCode, files, final = null, stopped = false) {
      state.exitCode = exitCode;
      state.end(final, stopped || state.status === 'stopping', Date.now());
      filesDir = files.length > 0 ? path.dirname(files[0]!) : filesDir;
      state.files = files.map((f) => path.basename(f));
      server.push();
      if (server.pages() === 0) return;
      log(
        `dashboard: the run is over; its page offers the report until it is closed ` +
          `(at most ${Math.round(lingerMs / 1000)} s; Ctrl-C ends this now)`,
      );
      let onInt: (() => void) | null = null;
      await Promise.race([
        server.pagesClosed(lingerMs),
        new Promise<void>((resolve) => {
          onInt = resolve;
          process.once('SIGINT', resolve);
        }),
      ]);
      if (onInt) process.off('SIGINT', onInt);
    },
    close: () => {
      rmSync(notice.ownDir ?? notice.urlFile, { force: true, recursive: notice.ownDir !== undefined });
      return server.close();
    },
  };
}
