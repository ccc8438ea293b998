// From a run's parsed options to its plan (lib/run-plan.ts): the one place where the targets file, the
// baselines folder, the admin credentials' source, the worker count and the engine are resolved for a run
// (the tag, the seed and the guard switch come resolved with the options);
// the commands that grade saved files (evaluate, report, compare) resolve the first two here as well.
import { baselinesDir } from '../documents/baseline-file.js';
import { adminSource } from '../lib/credentials.js';
import { type Engine, type RunPlan, resolveEngine, targetsFileFromEnv } from '../lib/run-plan.js';
import { ROOT, TARGETS_FILE } from './profiles.js';
import type { RunOptions } from './run-options.js';

/** The one resolution of the targets file: BTCW_TARGETS_FILE, else config/targets.yml. */
export function resolveTargetsFile(vars: NodeJS.ProcessEnv): string {
  return targetsFileFromEnv(vars) ?? TARGETS_FILE;
}

/** The one resolution of the baselines folder: BTCW_BASELINES_DIR, else the pack's baselines/. */
export function resolveBaselinesDir(vars: NodeJS.ProcessEnv): string {
  return baselinesDir(ROOT, vars);
}

export function planRun(opts: RunOptions, runTag: string, vars: NodeJS.ProcessEnv, engine?: Engine): RunPlan {
  return {
    version: 1,
    profile: opts.profileName,
    runTag,
    seed: opts.seed ?? null,
    environment: opts.environment,
    targetsFile: resolveTargetsFile(vars),
    baselinesDir: resolveBaselinesDir(vars),
    baseline: opts.baselines.baseline ?? null,
    adminCredentials: adminSource(vars),
    workers: opts.workers ?? null,
    guard: opts.guard,
    engine: resolveEngine(opts.profileName, engine ?? opts.engine),
  };
}
