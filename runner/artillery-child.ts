// What `run` and each capacity step hand to Artillery: its command line and environment, and the sweep of
// the run's test data afterwards. One place, so the two cannot drift apart.
import path from 'node:path';
import { loginAndSweep } from '../lib/tagged-cleanup.js';
import { ENVIRONMENTS_FILE, FLOWS_FILE, ROOT, WORKER_COUNT_PRELOAD } from './profiles.js';
import type { RunOptions } from './run-options.js';

const ARTILLERY = path.join(ROOT, 'node_modules', 'artillery', 'bin', 'run');

/** `node <args>`: Artillery on the profile, the flows and the environments, with these overrides. */
export function artilleryArgs(run: RunOptions, overrides: unknown, results: string): string[] {
  return [
    // --workers: Artillery has no flag for its thread count; the preload sets it (lib/).
    ...(run.workers === undefined ? [] : ['--require', WORKER_COUNT_PRELOAD]),
    ARTILLERY,
    'run',
    run.profile.file,
    '-i',
    FLOWS_FILE,
    '-i',
    ENVIRONMENTS_FILE,
    '-e',
    run.environment,
    '--target',
    run.target.origin,
    '--overrides',
    JSON.stringify(overrides),
    '-o',
    results,
  ];
}

/**
 * The child's environment: the shell's, the run's tag, seed and worker count, and `extra`. BTCW_BASELINE
 * reaches the plugin only through `extra` (as the options resolved it), never from the shell.
 */
export function artilleryEnv(
  run: RunOptions,
  runTag: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BTCW_RUN_TAG: runTag,
    ARTILLERY_DISABLE_TELEMETRY: 'true',
    ...(run.seed ? { BTCW_SEED: run.seed } : {}),
    ...(run.workers === undefined ? {} : { BTCW_WORKERS: String(run.workers) }),
    // The plugin's guard reads it (plugin/guard.ts GUARD_ENV).
    ...(run.guard ? {} : { BTCW_GUARD: 'off' }),
  };
  delete env.BTCW_BASELINE;
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

/** Safety net: the flow's after-hook deletes the run's strategies; this catches a run that died first. */
export async function sweepRun(run: RunOptions, runTag: string, log: (line: string) => void): Promise<void> {
  try {
    const { deleted } = await loginAndSweep(run.target.origin, run.creds.user, runTag);
    if (deleted > 0) log(`cleanup: deleted ${deleted} leftover strategies tagged ${runTag}`);
  } catch (error) {
    log(
      `cleanup failed (${(error as Error).message}): ` +
        `run "npm run cleanup -- --env ${run.environment}" to remove strategies tagged ${runTag}`,
    );
  }
}
