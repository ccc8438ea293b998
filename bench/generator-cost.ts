// What the pack costs as a load generator, against bare Artillery on the same request mix (issue #7, items
// 1 and 2): generator CPU-seconds per 1,000 requests, start-up (command to first request at the server),
// and peak RSS at 50 and at 1,000 users. The embedded API runs on core 0, Artillery on core 1.
//   npm run bench:generator      (about 3 minutes; BENCH_RUN_SECONDS=20 per run by default)
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startPinnedApi } from './pinned-api.js';

const ARTILLERY = path.join(ROOT, 'node_modules/artillery/bin/run');
const RUN_SECONDS = Number(process.env.BENCH_RUN_SECONDS ?? 20);
const TICK = 100; // /proc clock ticks per second (USER_HZ)

interface Sample { cpuSeconds: number; peakRssMiB: number }

function sample(pid: number): Sample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICK; // utime + stime, all threads (workers included)
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return { cpuSeconds: cpu, peakRssMiB: hwm ? Number(hwm[1]) / 1024 : 0 };
  } catch {
    return null;
  }
}


/** Requests the API has answered on its /api routes (not these /__admin polls themselves). */
async function serverRequests(url: string): Promise<number> {
  const stats = (await (await fetch(`${url}/__admin/stats`)).json()) as { routes: Record<string, { count: number }> };
  return Object.entries(stats.routes).filter(([route]) => route.startsWith('/api/')).reduce((a, [, r]) => a + r.count, 0);
}

interface Measured { name: string; requests: number; cpuSeconds: number; startupCpuSeconds: number; cpuPer1000: number; startupMs: number; peakRssMiB: number; wallSeconds: number }

/** Runs one `artillery run` pinned to core 1, sampling its CPU and peak RSS, and timing its first request. */
async function measure(name: string, args: string[], url: string, env: Record<string, string> = {}): Promise<Measured> {
  const before = await serverRequests(url);
  const started = Date.now();
  const child = spawn('taskset', ['-c', '1', process.execPath, ARTILLERY, 'run', ...args, '--target', url], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', ...env },
  });
  let last: Sample = { cpuSeconds: 0, peakRssMiB: 0 };
  let startupMs = -1;
  let startupCpu = 0;
  const poll = setInterval(async () => {
    const s = sample(child.pid!);
    // An exiting process's status has no VmHWM: keep the highest peak seen.
    if (s) last = { cpuSeconds: Math.max(last.cpuSeconds, s.cpuSeconds), peakRssMiB: Math.max(last.peakRssMiB, s.peakRssMiB) };
    if (startupMs < 0 && (await serverRequests(url)) > before) {
      startupMs = Date.now() - started;
      startupCpu = last.cpuSeconds; // CPU spent before the first request: start-up, not load generation
    }
  }, 25);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(poll);
  if (code !== 0) throw new Error(`${name}: artillery exited ${code}`);
  const requests = (await serverRequests(url)) - before;
  const m = {
    name, requests, cpuSeconds: last.cpuSeconds, startupCpuSeconds: startupCpu, cpuPer1000: ((last.cpuSeconds - startupCpu) / requests) * 1000, startupMs,
    peakRssMiB: Math.round(last.peakRssMiB), wallSeconds: (Date.now() - started) / 1000,
  };
  console.log(`${name.padEnd(36)} ${String(requests).padStart(6)} req  ${m.cpuSeconds.toFixed(1).padStart(5)} CPU-s (${startupCpu.toFixed(1)} before the first request)  ${m.cpuPer1000.toFixed(2)} CPU-s/1000 req after it  start-up ${startupMs} ms  peak RSS ${m.peakRssMiB} MiB`);
  return m;
}

async function main(): Promise<void> {
  const api = await startPinnedApi(['--seed-strategies', '100', '--bcrypt-cost', '4']);
  const cycles = Math.max(1, Math.round((RUN_SECONDS * 24) / 38)); // about 24 tasks/s per user at 40 ms think
  // flows.yml first: the processor path resolves relative to the first input file.
  const pack = ['scenarios/flows.yml', '-i', 'bench/flows/pack-profile.yml', '-i', 'config/environments.yml', '-e', 'local'];
  const results: Measured[] = [];
  try {
    const vars = (o: Record<string, unknown>) => ['-v', JSON.stringify(o)];
    results.push(await measure('bare YAML, 50 users', ['bench/flows/strategy-read-bare.yml', ...vars({ cycles })], api.url));
    results.push(await measure('bare YAML + JS processor, 50 users', ['bench/flows/strategy-read-bare.yml', '-i', 'bench/flows/bare-with-processor.yml', ...vars({ cycles })], api.url));
    const packEnv = { BTCW_TARGETS_FILE: path.join(ROOT, 'config/targets.yml') };
    results.push(await measure('pack (flows.yml), 50 users', [...pack, '--overrides', JSON.stringify({ config: { variables: { runSeconds: RUN_SECONDS } } })], api.url, packEnv));
    const thousand = { config: { phases: [{ duration: 5, arrivalRate: 200, maxVusers: 1000 }] } };
    // 1,000 users that stay for the whole run: mean think 0.5 s on both sides (38 tasks ~ 19 s).
    results.push(await measure('bare YAML, 1000 users', ['bench/flows/strategy-read-bare.yml', '--overrides', JSON.stringify(thousand), ...vars({ cycles: 1, thinkMs: 500 })], api.url));
    results.push(await measure('pack (flows.yml), 1000 users', [...pack, '--overrides', JSON.stringify({ config: { ...thousand.config, variables: { runSeconds: RUN_SECONDS, thinkFactor: 0.25 } } })], api.url, packEnv));
  } finally {
    api.stop();
  }
  const out = path.join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'generator-cost.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: os.cpus()[0]?.model, runSeconds: RUN_SECONDS, results }, null, 1));
  const [bare, bareJs, packed, bare1000, pack1000] = results as [Measured, Measured, Measured, Measured, Measured];
  console.log(`pack / bare CPU per 1000 requests: ${(packed.cpuPer1000 / bare.cpuPer1000).toFixed(2)}x (goal <= 1.10x)`);
  console.log(`pack / bare+JS-processor start-up: ${(packed.startupMs / bareJs.startupMs).toFixed(2)}x (goal <= 1x)`);
  console.log(`pack / bare peak RSS at 1000 users: ${(pack1000.peakRssMiB / bare1000.peakRssMiB).toFixed(2)}x (goal <= 1.10x)`);
}

await main();
