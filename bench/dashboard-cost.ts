// What the live dashboard costs the load generator: steady-state CPU-seconds per 1,000 requests
// of the whole runner process tree (the runner, which serves the dashboard, plus its Artillery child with its
// worker thread), the same compressed load profile with the dashboard closed (no --dashboard), open with a
// page connected (an SSE reader here) and 2 s ticks, and open with the ticks off (BTCW_LIVE_TICK_MS=0: the
// 10 s periods only). The runs alternate (closed, open, open without ticks, closed, ...) so that noise from
// other work on the machine spreads over all three; the API is pinned to core 0, the runner to core 1.
// Part of `npm run bench` (section "dashboard").
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LiveState } from '../dashboard/snapshot.js';
import { loadTargets } from '../documents/targets-file.js';
import { apiRequests, steadyCpuPer1000 } from './lib/measure-generator.js';
import { ROOT, startPinnedApi } from './lib/pinned-api.js';
import { stressResults } from './report-render.js';

export interface DashboardCostOptions {
  /** The load profile's run time (seconds) and users, think times at --think-factor 0.05. */
  runSeconds: number;
  users: number;
  /** Runs per variant; the median is quoted. */
  repeats: number;
}

export type Variant = 'closed' | 'open' | 'open, no ticks';
const VARIANTS: Variant[] = ['closed', 'open', 'open, no ticks'];

export interface DashboardRun {
  variant: Variant;
  requests: number;
  cpuPer1000: number;
  /** The runner process alone (its Artillery child not counted): where the dashboard's server works. */
  runnerCpuPer1000: number;
  /** SSE events the page received (open variants). */
  events: number;
}

export interface DashboardCost {
  runs: DashboardRun[];
  medianCpuPer1000: Record<Variant, number>;
  medianRunnerCpuPer1000: Record<Variant, number>;
  /** open / closed and open without ticks / closed, of the medians; the goal is under 1.03. */
  ratios: { open: number; openNoTicks: number };
  /** The runner's work per push at the end of a synthetic 10-minute stress run (60 periods, 64 names). */
  push: { periodMs: number; tickMs: number; coreShare: number };
}

/**
 * What one push costs the runner, measured without the load around it: a period (grade with evaluate(),
 * build the snapshot, JSON) and a 2 s tick (snapshot and JSON only), median of `repeats`, at the end of a
 * 10-minute stress run, the largest a snapshot gets. coreShare: the share of a core at one period per 10 s
 * and one tick per 2 s.
 */
export function pushCost(repeats: number): DashboardCost['push'] {
  const { aggregate, intermediate } = stressResults();
  const targets = loadTargets(path.join(ROOT, 'config', 'targets.yml'));
  const run = { profile: 'stress', runTag: 'bench', users: 500, runSeconds: 600, mix: 'comprehensive' };
  const period: number[] = [];
  const tick: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const state = new LiveState(run, targets, intermediate[0]!.firstMetricAt!);
    for (const earlier of intermediate.slice(0, -1))
      state.receive({ btcw: 'period', period: earlier, aggregate });
    const now = intermediate.at(-1)!.lastMetricAt!;
    let startedAt = performance.now();
    state.receive({ btcw: 'period', period: intermediate.at(-1)!, aggregate });
    JSON.stringify(state.snapshot(now));
    period.push(performance.now() - startedAt);
    startedAt = performance.now();
    state.receive({ btcw: 'tick', t: now + 2000, ms: 2000, requests: 900, failures: 1 });
    JSON.stringify(state.snapshot(now + 2000));
    tick.push(performance.now() - startedAt);
  }
  const periodMs = median(period);
  const tickMs = median(tick);
  return { periodMs, tickMs, coreShare: periodMs / 10_000 + tickMs / 2000 };
}

const TICK = 100; // USER_HZ
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function ownCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0; // gone
  }
}

/** The process's child processes now. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      const childList = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      return childList === '' ? [] : childList.split(' ').map(Number);
    });
  } catch {
    return [];
  }
}

/** CPU-seconds of a process and all its descendants alive now (threads included). */
function treeCpu(pid: number): number {
  let cpu = ownCpu(pid);
  for (const child of childrenOf(pid)) cpu += treeCpu(child);
  return cpu;
}

/**
 * Reads an SSE stream, counting events, until the run has finished: what an open page costs the server. Then
 * it disconnects as a closed page does (the runner keeps serving while a page is connected).
 */
async function readEvents(url: string): Promise<number> {
  let events = 0;
  try {
    const res = await fetch(`${url}events`);
    const reader = res.body!.getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString();
      const parts = buf.split('\n\n');
      buf = parts.pop()!;
      events += parts.length;
      if (parts.some((p) => p.includes('"status":"finished"'))) {
        await reader.cancel();
        break;
      }
    }
  } catch {
    // the runner closed the stream at exit
  }
  return events;
}

async function oneRun(
  variant: Variant,
  apiUrl: string,
  options: DashboardCostOptions,
  outDir: string,
): Promise<DashboardRun> {
  const port = new URL(apiUrl).port;
  const factor = (options.runSeconds / 300).toFixed(4); // load: 5 minutes, 100 users
  const args = [
    path.join(ROOT, 'build/cli/main.js'),
    'run',
    'load',
    '--duration-factor',
    factor,
    '--users-factor',
    String(options.users / 100),
    '--think-factor',
    '0.05',
    '--no-report',
    '--workers',
    '1',
    '--seed',
    '7',
    '--out',
    outDir,
    ...(variant === 'closed' ? [] : ['--dashboard', '0']),
  ];
  const before = await apiRequests(apiUrl);
  const started = Date.now();
  const child = spawn('taskset', ['-c', '1', process.execPath, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      BTCW_API_PORT: port,
      ...(variant === 'open, no ticks' ? { BTCW_LIVE_TICK_MS: '0' } : {}),
    },
  });
  let out = '';
  let page: Promise<number> = Promise.resolve(0);
  child.stdout.on('data', (chunk: Buffer) => {
    const had = out.includes('btcw: dashboard: ');
    out = (out + chunk.toString()).slice(-20_000);
    const match = /btcw: dashboard: (http:\S+)/.exec(out);
    if (!had && match) page = readEvents(match[1]!);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  });
  const series: { ms: number; cpu: number; requests: number }[] = [];
  const runnerSeries: { ms: number; cpu: number; requests: number }[] = [];
  let polling = false;
  const poll = setInterval(async () => {
    if (polling) return;
    polling = true;
    try {
      const cpu = treeCpu(child.pid!);
      const own = ownCpu(child.pid!); // taskset execs the runner: the same process
      const requests = (await apiRequests(apiUrl)) - before;
      series.push({ ms: Date.now() - started, cpu, requests });
      runnerSeries.push({ ms: Date.now() - started, cpu: own, requests });
    } catch {
      // a missed poll only thins the series
    } finally {
      polling = false;
    }
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  // 0 or the verdict's 3/4: the load ran either way; anything else is a failed run.
  if (code !== 0 && code !== 3 && code !== 4)
    throw new Error(`dashboard ${variant}: the runner exited ${code}:\n${out.slice(-1500)}`);
  const requests = (await apiRequests(apiUrl)) - before;
  const run = {
    variant,
    requests,
    cpuPer1000: steadyCpuPer1000(series, requests),
    runnerCpuPer1000: steadyCpuPer1000(runnerSeries, requests),
    events: await page,
  };
  console.log(
    `dashboard ${variant.padEnd(15)} ${String(requests).padStart(6)} req  ` +
      `${run.cpuPer1000.toFixed(3)} CPU-s/1000 req steady (runner alone ` +
      `${(run.runnerCpuPer1000 * 1000).toFixed(1)} ms)  ${run.events} SSE events`,
  );
  return run;
}

export async function dashboardCost(options: DashboardCostOptions): Promise<DashboardCost> {
  const api = await startPinnedApi(['--seed-strategies', '100', '--bcrypt-cost', '4']);
  const runs: DashboardRun[] = [];
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'btcw-bench-dashboard-'));
  try {
    for (let repeat = 0; repeat < options.repeats; repeat++)
      for (const variant of VARIANTS) runs.push(await oneRun(variant, api.url, options, outDir));
  } finally {
    api.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
  const medianOf = (figure: 'cpuPer1000' | 'runnerCpuPer1000') =>
    Object.fromEntries(
      VARIANTS.map((v) => [v, median(runs.filter((r) => r.variant === v).map((r) => r[figure]))]),
    ) as Record<Variant, number>;
  const med = medianOf('cpuPer1000');
  const runnerMed = medianOf('runnerCpuPer1000');
  const ratios = { open: med.open / med.closed, openNoTicks: med['open, no ticks'] / med.closed };
  const push = pushCost(Math.max(5, options.repeats * 4));
  console.log(
    `dashboard: median CPU per 1000 requests, open / closed ${ratios.open.toFixed(3)}, ` +
      `open without ticks / closed ${ratios.openNoTicks.toFixed(3)}; the runner alone ` +
      VARIANTS.map((v) => `${v} ${(runnerMed[v] * 1000).toFixed(1)} ms`).join(', '),
  );
  console.log(
    `dashboard: one push at the end of a 10-minute stress run: a period ${push.periodMs.toFixed(1)} ms, ` +
      `a tick ${push.tickMs.toFixed(1)} ms: ${(push.coreShare * 100).toFixed(2)} % of a core`,
  );
  return { runs, medianCpuPer1000: med, medianRunnerCpuPer1000: runnerMed, ratios, push };
}
