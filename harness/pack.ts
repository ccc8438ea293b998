// Runs the pack's own command (`node build/cli/main.js run <profile>`) against a reference API that the
// test started in-process, so the test can inspect the API's data and switch its faults during the run.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Evaluation } from '../grading/evaluation.js';
import { TAG_PATTERN } from '../lib/tagged-cleanup.js';
import { type FaultConfig, NO_FAULTS } from '../reference-api/faults.js';
import type { RunningApi } from '../reference-api/server.js';
import { tempDir } from './temp-dir.js';

export { ROOT } from '../lib/root.js';

import { ROOT } from '../lib/root.js';
export const CLI = path.join(ROOT, 'build', 'cli', 'main.js');

export interface PackRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  outDir: string;
  results?: {
    aggregate: {
      counters: Record<string, number>;
      summaries: Record<string, { count: number; p99: number }>;
      firstMetricAt: number;
      lastMetricAt: number;
    };
  };
  evaluation?: Evaluation;
  document?: { meta: Record<string, unknown>; intermediate: unknown[] };
}

export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  onStart?: (pid: number) => void,
  onOutput?: (text: string) => void,
): Promise<Omit<PackRun, 'outDir'>> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onStart?.(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onOutput?.(stdout);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, stdout, stderr, wallMs: Date.now() - started };
}

/** Runs a profile compressed to seconds, with a fixed seed, and loads what it wrote. */
export async function runPack(
  profile: string,
  port: number,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
  opts: { report?: boolean; onStart?: (pid: number) => void; onOutput?: (stdoutSoFar: string) => void } = {},
): Promise<PackRun> {
  const outDir = tempDir('btcw-e2e-');
  const args = [
    'run',
    profile,
    '--out',
    outDir,
    '--seed',
    '42',
    ...(opts.report ? [] : ['--no-report']),
    ...extraArgs,
  ];
  const result = await runCli(args, { BTCW_API_PORT: String(port), ...env }, opts.onStart, opts.onOutput);
  const files = readdirSync(outDir);
  const resultsFile = files.find((f) => f.endsWith('.json') && !f.endsWith('.evaluation.json'));
  const evalFile = files.find((f) => f.endsWith('.evaluation.json'));
  const run: PackRun = { ...result, outDir };
  if (resultsFile) run.results = JSON.parse(readFileSync(path.join(outDir, resultsFile), 'utf8'));
  if (evalFile) {
    run.document = JSON.parse(readFileSync(path.join(outDir, evalFile), 'utf8'));
    run.evaluation = (run.document as unknown as { evaluation: Evaluation }).evaluation;
  }
  return run;
}

/**
 * Runs a profile (smoke unless told) against an in-process API and switches its faults on once the run's
 * set-up has made its three fixture strategies, so the set-up itself is clean; faults are off again and
 * leftovers are cleaned up afterwards (a faulty after-hook may not have managed).
 */
export async function runPackWithFaults(
  api: RunningApi,
  faults: Partial<FaultConfig>,
  extraArgs: string[],
  env: Record<string, string> = {},
  profile = 'smoke',
): Promise<PackRun> {
  api.state.faults = { ...NO_FAULTS };
  const known = new Set(api.state.store.activeStrategies().map((s) => s.id));
  const poll = setInterval(() => {
    if (
      api.state.store.activeStrategies().filter((s) => !known.has(s.id) && TAG_PATTERN.test(s.name)).length >=
      3
    ) {
      api.state.faults = { ...NO_FAULTS, ...faults };
      clearInterval(poll);
    }
  }, 5);
  try {
    return await runPack(profile, api.port, extraArgs, env);
  } finally {
    clearInterval(poll);
    api.state.faults = { ...NO_FAULTS };
    await runCli(['cleanup'], { BTCW_API_PORT: String(api.port) });
  }
}
