// Fidelity at the spike profile's size: 1,000 users arriving at 200/s run
// StrategyReadUser (1-3 s think) against the embedded API, once through the pack (Artillery) and once each
// through Locust 2.12's HttpUser and FastHttpUser (Debian's python3-locust), in the same bench run. For each:
// achieved vs expected request rate in the steady window, generator CPU per 1,000 requests and peak RSS, and
// generator-added latency: per request, the client's time minus the server's own time from the API's
// Server-Timing header (the pack's plugin and the locustfile record it the same way), and its p99.
// Part of `npm run bench` (section "spike"). Locust is a peer to compare with, not a requirement: where the
// Python that runs it (BTCW_LOCUST_PYTHON, default /usr/bin/python3) cannot import it, the pack's row is
// measured alone and each Locust row is skipped with one line saying how to install Locust.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { USERS_STOPPED } from '../lib/metrics.js';
import { PACK_ENV } from './generator-cost.js';
import {
  type GeneratorRun,
  measureArtillery,
  measureGenerator,
  steadyRate,
} from './lib/measure-generator.js';
import { ROOT, startPinnedApi } from './lib/pinned-api.js';

/** The Python that runs Locust: Debian's python3-locust installs into /usr/bin/python3. */
export const locustPython = () => process.env.BTCW_LOCUST_PYTHON || '/usr/bin/python3';
const LOCUST_CLASSES = [
  ['StrategyReadHttpUser', 'HttpUser'],
  ['StrategyReadFastHttpUser', 'FastHttpUser'],
] as const;
/** Requests per StrategyReadUser task: weights 20, 10, 5 (two requests: list, then detail) and 3. */
const REQUESTS_PER_TASK = (20 + 10 + 5 * 2 + 3) / 38;
const MEAN_THINK_S = 2; // uniform 1-3 s

export interface FidelityRow {
  generator: string;
  requests: number;
  windowSeconds: number;
  achievedPerSec: number;
  expectedPerSec: number;
  /** achieved / expected - 1, in percent (goal: within 2 %). */
  rateErrorPct: number;
  cpuPer1000: number;
  peakRssMiB: number;
  requestsPerCpuSecond: number;
  /** Mean response time of the tasks' requests (logins excluded). */
  clientMeanMs: number;
  clientP50Ms: number;
  clientP99Ms: number;
  /** The server's own p99 over the same run (/__admin/stats). */
  serverP99Ms: number;
  /** p50 and p99 of (client time - server time) per request. */
  addedP50Ms: number;
  addedP99Ms: number;
  /** The pack's users that ended before their deadline (Locust's users never end on a failure). */
  usersLost?: number;
}

/**
 * A closed model's rate: each user runs one task (REQUESTS_PER_TASK requests, each taking the mean response
 * time) per think.
 */
export function expectedRate(users: number, meanResponseMs: number): number {
  return (users * REQUESTS_PER_TASK) / (MEAN_THINK_S + (REQUESTS_PER_TASK * meanResponseMs) / 1000);
}

interface ClientLatency {
  /** Mean response time of the tasks' requests (logins excluded: they happen once, during the arrivals). */
  mean: number;
  p50: number;
  p99: number;
  addedP50: number;
  addedP99: number;
}

const isLogin = (name: string) => name.includes('/auth/token');

/** Count-weighted mean over per-endpoint (count, mean) pairs. */
function weightedMean(parts: { count: number; mean: number }[]): number {
  const total = parts.reduce((a, p) => a + p.count, 0);
  return parts.reduce((a, p) => a + p.count * p.mean, 0) / total;
}

function artilleryLatency(jsonFile: string): ClientLatency {
  const summaries = (
    JSON.parse(readFileSync(jsonFile, 'utf8')) as {
      aggregate: { summaries: Record<string, { count: number; mean: number; median: number; p99: number }> };
    }
  ).aggregate.summaries;
  const overall = summaries['http.response_time']!;
  const prefix = 'plugins.metrics-by-endpoint.response_time.';
  const tasks = Object.entries(summaries)
    .filter(([name]) => name.startsWith(prefix) && !isLogin(name))
    .map(([, summary]) => summary);
  const added = summaries['plugins.btcw-targets.generator_added_ms'];
  if (!added)
    throw new Error('the pack recorded no generator-added latency: the API sent no Server-Timing header');
  return {
    mean: weightedMean(tasks),
    p50: overall.median,
    p99: overall.p99,
    addedP50: added.median,
    addedP99: added.p99,
  };
}

function locustLatency(csvPrefix: string, addedFile: string): ClientLatency {
  const [header, ...rows] = readFileSync(`${csvPrefix}_stats.csv`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const agg = rows.find((r) => r[1] === 'Aggregated')!;
  const col = (name: string) => Number(agg[header!.indexOf(name)]);
  const added = JSON.parse(readFileSync(addedFile, 'utf8')) as { p50: number; p99: number };
  const count = header!.indexOf('Request Count');
  const mean = header!.indexOf('Average Response Time');
  const tasks = rows
    .filter((r) => r[1] !== 'Aggregated' && !isLogin(r[1]!))
    .map((r) => ({ count: Number(r[count]), mean: Number(r[mean]) }));
  return {
    mean: weightedMean(tasks),
    p50: col('50%'),
    p99: col('99%'),
    addedP50: added.p50,
    addedP99: added.p99,
  };
}

async function serverP99(url: string): Promise<number> {
  return ((await (await fetch(`${url}/__admin/stats`)).json()) as { latencyMs: { p99: number } }).latencyMs
    .p99;
}

function row(
  generator: string,
  run: GeneratorRun,
  client: ClientLatency,
  server: number,
  seconds: number,
  users: number,
  extra: { usersLost?: number } = {},
): FidelityRow {
  const steady = steadyRate(run, seconds);
  const expected = expectedRate(users, client.mean);
  const fidelity: FidelityRow = {
    generator,
    requests: run.requests,
    windowSeconds: Math.round(steady.seconds),
    achievedPerSec: Math.round(steady.rate * 10) / 10,
    expectedPerSec: Math.round(expected * 10) / 10,
    rateErrorPct: Math.round((steady.rate / expected - 1) * 1000) / 10,
    cpuPer1000: Math.round(run.cpuPer1000 * 100) / 100,
    peakRssMiB: run.peakRssMiB,
    requestsPerCpuSecond: Math.round(run.requests / run.cpuSeconds),
    clientMeanMs: Math.round(client.mean * 10) / 10,
    clientP50Ms: client.p50,
    clientP99Ms: client.p99,
    serverP99Ms: Math.round(server * 10) / 10,
    addedP50Ms: Math.round(client.addedP50 * 10) / 10,
    addedP99Ms: Math.round(client.addedP99 * 10) / 10,
    ...extra,
  };
  const sign = fidelity.rateErrorPct >= 0 ? '+' : '';
  console.log(
    `${generator.padEnd(26)} achieved ${fidelity.achievedPerSec} req/s ` +
      `vs expected ${fidelity.expectedPerSec} (${sign}${fidelity.rateErrorPct} %)  ` +
      `${fidelity.cpuPer1000} CPU-s/1000 req  ${fidelity.requestsPerCpuSecond} req/CPU-s  ` +
      `RSS ${fidelity.peakRssMiB} MiB  p99 client ${fidelity.clientP99Ms} ms, ` +
      `server ${fidelity.serverP99Ms} ms; ` +
      `generator-added p50 ${fidelity.addedP50Ms} ms, p99 ${fidelity.addedP99Ms} ms` +
      (fidelity.usersLost === undefined ? '' : `; users lost ${fidelity.usersLost}`),
  );
  return fidelity;
}

/**
 * Locust's version where the Python that runs it (locustPython()) imports it, or undefined where it cannot.
 * Debian's python3-locust leaves locust.__version__ empty, so dpkg tells its version there.
 */
export function locustVersion(): string | undefined {
  const probe = spawnSync(locustPython(), ['-c', 'import locust; print(locust.__version__)'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) return undefined;
  const format = `-f=${'$'}{db:Status-Abbrev}${'$'}{Version}`; // dpkg's fields, not JavaScript's
  const dpkg = spawnSync('dpkg-query', ['-W', format, 'python3-locust'], { encoding: 'utf8' });
  const debian = dpkg.status === 0 && dpkg.stdout.startsWith('ii ') ? dpkg.stdout.slice(3).trim() : '';
  return probe.stdout.trim() || debian || 'unknown';
}

/** A Locust row's name: `Locust 2.12 HttpUser`, or without the version where it is unknown. */
export function locustRowName(version: string, userClass: string): string {
  const minor = /^\d+\.\d+/.exec(version)?.[0];
  return minor ? `Locust ${minor} ${userClass}` : `Locust ${userClass}`;
}

/** The line printed for each Locust row that a run without Locust skips. */
export function locustSkipLine(userClass: string, python = locustPython(), section = 'spike'): string {
  return (
    `${section}: skipped Locust ${userClass}: no Locust in ${python}; to compare, install it ` +
    '(Debian: apt-get install -y python3-locust, Locust 2.12) ' +
    'or set BTCW_LOCUST_PYTHON to a Python that has it'
  );
}

export interface SpikeResult {
  rows: FidelityRow[];
  /** The Locust rows not measured, with the reason (Locust not installed). */
  skipped: { generator: string; reason: string }[];
}

/** Where a spike run happens: the pinned API and a scratch directory for the generators' result files. */
export interface SpikeTarget {
  url: string;
  tmp: string;
}

/** Users that ended before their deadline: the `btcw.users_stopped.<reason>` counters, or failed users. */
export function usersLost(counters: Record<string, number>): number {
  let stopped = 0;
  for (const [name, count] of Object.entries(counters)) if (name.startsWith(USERS_STOPPED)) stopped += count;
  return Math.max(stopped, counters['vusers.failed'] ?? 0);
}

/** The pack at the spike's shape, one row; `variables` go to flows.yml (the engine section's choice). */
export async function spikePackRow(
  target: SpikeTarget,
  opts: { seconds: number; users: number; generator: string; label: string; variables?: object },
): Promise<FidelityRow> {
  await resetStats(target.url);
  const out = path.join(target.tmp, `${opts.label.replace(/\W+/g, '-')}.json`);
  const profile = {
    config: {
      phases: [
        {
          duration: Math.ceil(opts.users / 200),
          arrivalRate: Math.min(200, opts.users),
          maxVusers: opts.users,
        },
      ],
      variables: { runSeconds: opts.seconds, ...opts.variables },
    },
  };
  const run = await measureArtillery(
    opts.label,
    [
      'scenarios/flows.yml',
      '-i',
      'bench/flows/pack-spike-strategy-read.yml',
      '-i',
      'config/environments.yml',
      '-e',
      'local',
      '--overrides',
      JSON.stringify(profile),
      '-o',
      out,
    ],
    target.url,
    PACK_ENV,
  );
  const counters = (
    JSON.parse(readFileSync(out, 'utf8')) as { aggregate: { counters: Record<string, number> } }
  ).aggregate.counters;
  return row(
    opts.generator,
    run,
    artilleryLatency(out),
    await serverP99(target.url),
    opts.seconds,
    opts.users,
    {
      usersLost: usersLost(counters),
    },
  );
}

/** One Locust user class at the spike's shape (1-3 s think), one row. */
export async function spikeLocustRow(
  target: SpikeTarget,
  opts: { seconds: number; users: number; cls: string; generator: string },
): Promise<FidelityRow> {
  await resetStats(target.url);
  const prefix = path.join(target.tmp, opts.cls);
  const addedFile = path.join(target.tmp, `${opts.cls}-added.json`);
  const run = await measureGenerator(
    `Locust ${opts.cls}`,
    locustCommand({
      cls: opts.cls,
      users: opts.users,
      spawnRate: Math.min(200, opts.users),
      seconds: opts.seconds,
      url: target.url,
      csvPrefix: prefix,
    }),
    target.url,
    { env: { BTCW_ADDED_LATENCY_FILE: addedFile } },
  );
  return row(
    opts.generator,
    run,
    locustLatency(prefix, addedFile),
    await serverP99(target.url),
    opts.seconds,
    opts.users,
  );
}

/** Headless `python -m locust` on bench/locust/strategy_read.py; its think scales with BTCW_THINK_FACTOR. */
export function locustCommand(opts: {
  cls: string;
  users: number;
  spawnRate: number;
  seconds: number;
  url: string;
  csvPrefix: string;
}): string[] {
  return [
    locustPython(),
    '-m',
    'locust',
    '-f',
    path.join(ROOT, 'bench/locust/strategy_read.py'),
    opts.cls,
    '--headless',
    '-u',
    String(opts.users),
    '-r',
    String(opts.spawnRate),
    '-t',
    `${opts.seconds}s`,
    '--stop-timeout',
    '5',
    '--host',
    opts.url,
    '--csv',
    opts.csvPrefix,
    '--only-summary',
    '--loglevel',
    'WARNING',
  ];
}

const resetStats = (url: string) => fetch(`${url}/__admin/stats/reset`, { method: 'POST' });

export async function spikeFidelity(seconds: number, users: number): Promise<SpikeResult> {
  const locust = locustVersion();
  const skipped: SpikeResult['skipped'] = [];
  const api = await startPinnedApi(['--seed-strategies', '100', '--bcrypt-cost', '4']);
  const target = { url: api.url, tmp: mkdtempSync(path.join(os.tmpdir(), 'btcw-bench-')) };
  const rows: FidelityRow[] = [];
  try {
    rows.push(
      await spikePackRow(target, {
        seconds,
        users,
        generator: 'pack (Artillery 2.0.34)',
        label: 'pack (Artillery)',
      }),
    );
    for (const [cls, userClass] of LOCUST_CLASSES) {
      if (!locust) {
        console.log(locustSkipLine(userClass));
        skipped.push({ generator: `Locust ${userClass}`, reason: `no Locust in ${locustPython()}` });
        continue;
      }
      rows.push(
        await spikeLocustRow(target, { seconds, users, cls, generator: locustRowName(locust, userClass) }),
      );
    }
  } finally {
    api.stop();
    rmSync(target.tmp, { recursive: true, force: true });
  }
  return { rows, skipped };
}
