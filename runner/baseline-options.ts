// --baseline NAME|FILE and --save-baseline NAME: resolved and checked before any load (a baseline of
// another profile, pack, version or engine, or a file that is not a baseline, is one line and exit 2).

import {
  BaselineError,
  baselinePath,
  baselinesDir,
  readBaseline,
  resolveBaseline,
} from '../documents/baseline-file.js';
import { UsageError } from '../lib/usage-error.js';
import { ROOT } from './profiles.js';

export interface BaselineOptions {
  /** The baseline file the run is also graded against (absolute); the plugin reads it from the run plan. */
  baseline: string | undefined;
  /** Where the run's baseline is saved afterwards (absolute). */
  saveBaseline: string | undefined;
}

export function baselineOptions(
  baselineArg: string | undefined,
  saveArg: string | undefined,
  profile: string,
  vars: NodeJS.ProcessEnv,
  engine?: string,
): BaselineOptions {
  const dir = baselinesDir(ROOT, vars);
  try {
    let baseline: string | undefined;
    if (baselineArg !== undefined && baselineArg !== '') {
      baseline = resolveBaseline(baselineArg, profile, dir);
      readBaseline(baseline, profile, engine);
    }
    const saveBaseline = saveArg === undefined ? undefined : baselinePath(dir, profile, saveArg);
    return { baseline, saveBaseline };
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}
