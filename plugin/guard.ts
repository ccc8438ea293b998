// The live error-rate guard's Artillery side. It listens to the main process's `stats` events, which carry
// every worker thread's period merged, so its figures are whole-run with any number of workers; the window
// and levels are grading/error-rate-guard.ts's. A warning is one console line (and one dashboard line); a
// stop takes the Stop button's path: Artillery's own graceful shutdown with `earlyStop`, as its SIGINT
// handler calls it (the after hook's clean-up runs, then the workers stop), with the guard's exit code.
import {
  ErrorRateGuard,
  GUARD_EXIT_CODE,
  type GuardEvent,
  type GuardRecord,
  guardRule,
  periodSlice,
} from '../grading/error-rate-guard.js';
import type { ArtilleryReport } from '../grading/evaluation.js';
import type { Targets } from '../grading/targets.js';

export interface GuardHost {
  /** Artillery's graceful shutdown (global.artillery.shutdown), absent outside Artillery. */
  shutdown?: ((opts: { earlyStop: boolean; exitCode: number }) => Promise<void> | void) | undefined;
  log(line: string): void;
  /** The dashboard's feed, when there is one. */
  feed?: ((event: GuardEvent) => void) | undefined;
}

interface Phase {
  duration?: number | string;
}

/** Seconds users keep arriving: the phases' durations (the profile as scaled by the runner's overrides). */
export function arrivalSeconds(phases: readonly unknown[] | undefined): number {
  let seconds = 0;
  for (const phase of phases ?? []) {
    const duration = Number((phase as Phase | null)?.duration);
    if (Number.isFinite(duration) && duration > 0) seconds += duration;
  }
  return seconds;
}

export class LiveGuard {
  private constructor(
    private readonly guard: ErrorRateGuard,
    private readonly targets: Targets,
    private readonly host: GuardHost,
  ) {}

  /** The guard for a run, or null when it is off (targets `enabled: false`, or the run's --no-guard). */
  static forRun(
    targets: Targets,
    phases: readonly unknown[] | undefined,
    settings: { guard: boolean },
    host: GuardHost,
  ): LiveGuard | null {
    if (!settings.guard) return null;
    const rule = guardRule(targets);
    if (rule === null) return null;
    return new LiveGuard(new ErrorRateGuard(rule, arrivalSeconds(phases)), targets, host);
  }

  /** One reporting period, every worker's figures merged. */
  period(stats: ArtilleryReport): void {
    const slice = periodSlice(stats, this.targets);
    if (slice === null) return;
    for (const event of this.guard.add(slice)) {
      this.host.log(`btcw-guard: ${event.message}`);
      this.host.feed?.(event);
      if (event.action === 'stop') void this.host.shutdown?.({ earlyStop: true, exitCode: GUARD_EXIT_CODE });
    }
  }

  result(): GuardRecord {
    return this.guard.result();
  }

  stopped(): boolean {
    return this.guard.result().stop !== null;
  }
}
