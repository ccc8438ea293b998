// From a run's parsed options to its plan (lib/run-plan.ts): the one place where the targets file, the
// baselines folder, the admin credentials' source, the worker count and the engine are resolved for a run.
import { baselinesDir } from '../documents/baseline-file.js';
import { type Engine, type RunPlan, resolveEngine } from '../lib/run-plan.js';
import { ROOT, TARGETS_FILE } from './profiles.js';
import type { RunOptions } from './run-options.js';

export function planRun(opts: RunOptions, runTag: string, vars: NodeJS.ProcessEnv, engine?: Engine): RunPlan {
  return {
    version: 1,
    profile: opts.profileName,
    runTag,
    environment: opts.environment,
    targetsFile: vars.BTCW_TARGETS_FILE || TARGETS_FILE,
    baselinesDir: baselinesDir(ROOT, vars),
    baseline: opts.baselines.baseline ?? null,
    adminCredentials: vars.BTCW_ADMIN_USERNAME && vars.BTCW_ADMIN_PASSWORD ? 'given' : 'default',
    workers: opts.workers ?? null,
    engine: resolveEngine(opts.profileName, engine ?? opts.engine),
  };
}
