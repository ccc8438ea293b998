// Runs one load generator (Artillery or Locust) pinned to a core and measures it: CPU-seconds and peak RSS of
// its process (worker threads included, sampled from /proc every 25 ms), the time from spawn to the first
// load request the API sees, steady-state CPU per request, and the API's request count over time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './pinned-api.js';

const ARTILLERY = path.join(ROOT, 'node_modules/artillery/bin/run');
const TICK = 100; // /proc clock ticks per second (USER_HZ)

export interface ProcessSample {
  cpuSeconds: number;
  peakRssMiB: number;
}

/** CPU (utime + stime, all threads) and peak RSS of one process; null once it is gone. */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuSeconds: cpu, peakRssMiB: hwm ? Number(hwm[1]) / 1024 : 0 };
  } catch {
    return null;
  }
}

/**
 * Polls a child process until it exits, keeping its highest CPU and peak RSS (an exiting process has no
 * VmHWM).
 */
export function trackProcess(
  pid: number,
  onTick?: (sample: ProcessSample) => void | Promise<void>,
): { stop: () => ProcessSample } {
  let last: ProcessSample = { cpuSeconds: 0, peakRssMiB: 0 };
  const poll = setInterval(() => {
    const sample = sampleProcess(pid);
    if (sample)
      last = {
        cpuSeconds: Math.max(last.cpuSeconds, sample.cpuSeconds),
        peakRssMiB: Math.max(last.peakRssMiB, sample.peakRssMiB),
      };
    void onTick?.(last);
  }, 25);
  return {
    stop: () => {
      clearInterval(poll);
      return last;
    },
  };
}

/** Requests the API has answered on its /api routes (a counter read, cheap enough to poll). */
export async function apiRequests(url: string): Promise<number> {
  return ((await (await fetch(`${url}/__admin/stats/count`)).json()) as { apiRequests: number }).apiRequests;
}

export interface GeneratorRun {
  name: string;
  requests: number;
  cpuSeconds: number;
  /** CPU spent before the first load request: start-up, not load generation. */
  startupCpuSeconds: number;
  /** Steady-state CPU-seconds per 1,000 requests: between 10 % and 90 % of the run's requests. */
  cpuPer1000: number;
  startupMs: number;
  /** Spawn to the first request of any kind (the pack's set-up login), when it differs from start-up. */
  firstRequestMs: number;
  peakRssMiB: number;
  wallSeconds: number;
  /** The API's answered requests over time (ms since spawn), for rates over a window. */
  series: Point[];
}

export interface RunOptions {
  /** CPUs for taskset (default "1"; "0,1" for both). */
  core?: string;
  env?: Record<string, string>;
  /**
   * Requests the run's before-hook sends ahead of the load (the pack's set-up login): not the first load
   * request.
   */
  setupRequests?: number;
  /**
   * Exit codes besides 0 that still make a measurement: the pack's verdict (FAIL 3, WARN 4: on a busy machine
   * the API's own latency can miss its tier) says nothing against the generator's figures.
   */
  acceptExitCodes?: number[];
}

export interface Point {
  ms: number;
  cpu: number;
  requests: number;
}

/** CPU per 1,000 requests between the points where 10 % and 90 % of the requests had been answered. */
export function steadyCpuPer1000(series: Point[], total: number): number {
  const at = (share: number) => series.find((p) => p.requests >= total * share);
  const early = at(0.1);
  const late = at(0.9);
  if (!early || !late || late.requests <= early.requests) return NaN;
  return ((late.cpu - early.cpu) / (late.requests - early.requests)) * 1000;
}

/** Requests/s between two moments (ms since spawn); NaN when the series does not cover them. */
export function rateBetween(
  series: Point[],
  fromMs: number,
  toMs: number,
): { rate: number; seconds: number } {
  const first = series.find((p) => p.ms >= fromMs);
  const last = [...series].reverse().find((p) => p.ms <= toMs);
  if (!first || !last || last.ms <= first.ms) return { rate: NaN, seconds: 0 };
  return {
    rate: ((last.requests - first.requests) / (last.ms - first.ms)) * 1000,
    seconds: (last.ms - first.ms) / 1000,
  };
}

/**
 * The steady part of a closed-model run of `seconds` (counted from the first load request): after the
 * arrivals (a quarter of the run, at most 10 s), before the users stop (the last 15 %, at most 5 s).
 */
export function steadyRate(run: GeneratorRun, seconds: number): { rate: number; seconds: number } {
  const from = run.startupMs + Math.min(10, seconds * 0.25) * 1000;
  const to = run.startupMs + (seconds - Math.min(5, seconds * 0.15)) * 1000;
  return rateBetween(run.series, from, to);
}

/** One `artillery run <args> --target <url>`, pinned with taskset. */
export function measureArtillery(
  name: string,
  args: string[],
  url: string,
  opts: RunOptions = {},
): Promise<GeneratorRun> {
  return measureGenerator(name, [process.execPath, ARTILLERY, 'run', ...args, '--target', url], url, opts);
}

/** Any generator command, pinned with taskset; `url` is the API it loads (for its request counts). */
export async function measureGenerator(
  name: string,
  command: string[],
  url: string,
  opts: RunOptions = {},
): Promise<GeneratorRun> {
  const before = await apiRequests(url);
  const firstLoad = before + (opts.setupRequests ?? 0);
  const started = Date.now();
  const child = spawn('taskset', ['-c', opts.core ?? '1', ...command], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', ...opts.env },
  });
  let stderr = '';
  // Kept quiet unless the generator fails (Locust prints its whole summary table there).
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let startupMs = -1;
  let firstRequestMs = -1;
  let startupCpu = 0;
  let probing = false;
  const series: Point[] = [];
  const tracker = trackProcess(child.pid!, async (sample) => {
    if (probing) return;
    probing = true;
    try {
      const seen = await apiRequests(url);
      if (firstRequestMs < 0 && seen > before) firstRequestMs = Date.now() - started;
      if (startupMs < 0 && seen > firstLoad) {
        startupMs = Date.now() - started;
        startupCpu = sample.cpuSeconds;
      }
      series.push({ ms: Date.now() - started, cpu: sample.cpuSeconds, requests: seen - before });
    } catch {
      // the API answers between polls; a missed poll only thins the series
    } finally {
      probing = false;
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = tracker.stop();
  if (code !== 0 && !(code !== null && opts.acceptExitCodes?.includes(code)))
    throw new Error(
      `${name}: the generator exited ${code}:\n${stderr.trim().split('\n').slice(-8).join('\n')}`,
    );
  const requests = (await apiRequests(url)) - before;
  const run: GeneratorRun = {
    name,
    requests,
    cpuSeconds: last.cpuSeconds,
    startupCpuSeconds: startupCpu,
    cpuPer1000: steadyCpuPer1000(series, requests),
    startupMs,
    firstRequestMs,
    peakRssMiB: Math.round(last.peakRssMiB),
    wallSeconds: (Date.now() - started) / 1000,
    series,
  };
  console.log(
    `${name.padEnd(40)} ${String(requests).padStart(6)} req  ` +
      `${run.cpuSeconds.toFixed(1).padStart(5)} CPU-s ` +
      `(${startupCpu.toFixed(1)} before the first load request)  ` +
      `${run.cpuPer1000.toFixed(2)} CPU-s/1000 req steady  ` +
      `start-up ${startupMs} ms (first request ${firstRequestMs} ms)  peak RSS ${run.peakRssMiB} MiB`,
  );
  return run;
}
