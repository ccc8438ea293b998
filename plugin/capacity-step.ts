// One step of the capacity finder (commands/capacity.ts), graded in the main process: the 10 s periods
// that begin after the step's settle time, and after its users' logins are over, are merged (counters added,
// latency sketches merged exactly) and graded with evaluate(), and the generator's CPU over the same window
// is measured. The settle lasts while logins run: a period in which any first login ended is start-up, not
// the steady load the step offers. Bcrypt logins queue, so the last of a wave waited seconds: graded, those
// few would break the auth class of a step whose steady load the API met easily. The runner reads
// the result from the evaluation JSON's `capacityStep`. Off unless the script's variables hold
// `capacitySettleSeconds` (the runner sets it per step).

import type { CapacityStepResult } from '../grading/capacity-grading.js';
import { type ArtilleryReport, evaluate } from '../grading/evaluation.js';
import type { Targets } from '../grading/targets.js';

export type { CapacityStepResult };

import { FIRST_LOGIN_AT, GENERATOR_ADDED_MS, LOGINS } from '../lib/metrics.js';
import { cpuCoresBetween, GeneratorCpu, generatorBudget } from './generator-cpu.js';
import { PartialAggregate, type PeriodStats } from './partial-aggregate.js';

export const SETTLE_VARIABLE = 'capacitySettleSeconds';

export class CapacityStep {
  private readonly graded = new PartialAggregate();
  private readonly gradedIntermediate: ArtilleryReport[] = [];
  private runStart: number | null = null;
  private windowStart: number | null = null;
  private windowEnd: number | null = null;
  /** End of the last period still in its logins, ms since the epoch. */
  private loginsEnd: number | null = null;
  /** The last first login, ms after the first user started (FIRST_LOGIN_AT's max). */
  private lastLoginAt: number | null = null;
  private readonly cpu = new GeneratorCpu();

  constructor(private readonly settleSeconds: number) {}

  static fromVariables(variables: Record<string, unknown> | undefined): CapacityStep | null {
    const settle = Number(variables?.[SETTLE_VARIABLE]);
    return Number.isFinite(settle) && settle > 0 ? new CapacityStep(settle) : null;
  }

  /**
   * Called after the plugin's own PartialAggregate has read the same period: this one keeps the first graded
   * period's sketches and merges later ones into them, which the whole-run aggregate (that merges into the
   * run's first period's sketches, never graded here) has already read.
   */
  add(stats: PeriodStats): void {
    const first = stats.firstMetricAt;
    if (first !== undefined) this.runStart = Math.min(this.runStart ?? first, first);
    const start = Number(stats.period);
    const counters = stats.counters ?? {};
    const loginAt = stats.summaries?.[FIRST_LOGIN_AT]?.max;
    if (typeof loginAt === 'number') this.lastLoginAt = Math.max(this.lastLoginAt ?? 0, loginAt);
    // First logins only (re-logins and a class's own login tasks count elsewhere), so this ends.
    const loggingIn = (counters[LOGINS] ?? 0) > 0;
    if (this.windowStart === null && loggingIn)
      this.loginsEnd = Math.max(this.loginsEnd ?? 0, stats.lastMetricAt ?? start);
    if (this.runStart === null || !(start >= this.runStart + this.settleSeconds * 1000)) return;
    // Until the logins are over, a period is still the settle; once grading began, every period counts.
    if (this.windowStart === null && loggingIn) return;
    this.graded.add(stats);
    this.gradedIntermediate.push({ counters: stats.counters, summaries: stats.summaries });
    this.windowStart ??= start;
    this.windowEnd = stats.lastMetricAt ?? this.windowEnd;
  }

  result(targets: Targets): CapacityStepResult {
    this.cpu.stop();
    const periods = this.gradedIntermediate.length;
    const windowOk = this.windowStart !== null && this.windowEnd !== null;
    const aggregate = this.graded.aggregate();
    // To the millisecond where the processors say when each login ended; else to the end of its period.
    const loginMs =
      this.lastLoginAt ??
      (this.loginsEnd === null || this.runStart === null ? null : this.loginsEnd - this.runStart);
    return {
      settleSeconds: this.settleSeconds,
      loginSeconds: loginMs === null ? null : Math.round(loginMs / 100) / 10,
      gradedPeriods: periods,
      windowStart: this.windowStart,
      windowEnd: this.windowEnd,
      evaluation:
        periods === 0 ? null : evaluate({ aggregate, intermediate: this.gradedIntermediate }, targets),
      generator: {
        cores: windowOk ? cpuCoresBetween(this.cpu.samples, this.windowStart!, this.windowEnd!) : null,
        budget: generatorBudget(),
        addedP95: aggregate.summaries?.[GENERATOR_ADDED_MS]?.p95 ?? null,
      },
    };
  }
}
