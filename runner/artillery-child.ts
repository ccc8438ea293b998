// What `run` and each capacity step hand to Artillery: its command line and environment, and the sweep of
// the run's test data afterwards. One place, so the two cannot drift apart.
import path from 'node:path';
import { PLAN_ENV } from '../lib/run-plan.js';
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

/** What the run plan settles: the child gets none of them from the shell, only the plan that holds them. */
const PLANNED_VARIABLES = [
  'BTCW_RUN_TAG',
  'BTCW_SEED',
  'BTCW_WORKERS',
  'BTCW_GUARD',
  'BTCW_BASELINE',
  'BTCW_TARGETS_FILE',
  'BTCW_BASELINES_DIR',
];

/**
 * The child's environment: the shell's (credentials, dotenv), the run plan's file as BTCW_PLAN, and
 * `extra`. The variables the plan settles are removed, so nothing in Artillery can resolve them again.
 */
export function artilleryEnv(
  planFile: string,
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ARTILLERY_DISABLE_TELEMETRY: 'true',
    [PLAN_ENV]: planFile,
  };
  for (const name of PLANNED_VARIABLES) delete env[name];
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
