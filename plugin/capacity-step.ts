// One step of the capacity finder (commands/capacity.ts), graded in the main process: the 10 s periods
// that begin after the step's settle time, and after its users' logins are over, are merged (counters added,
// latency sketches merged exactly) and graded with evaluate(), and the generator's CPU over the same window
// is measured. The settle lasts while logins run: the login wave (first logins more than LOGIN_SHARE of a
// period's requests) and the period right after it, if any first login ended there, are start-up, not the
// steady load the step offers. Bcrypt logins queue, so the wave's last few waited seconds: graded, they
// broke the auth class of a step whose steady load the API met easily. Later stragglers (a login retried
// after a backoff) are steady load: a window that waited for them could wait for ever. The runner reads
// the result from the evaluation JSON's `capacityStep`. Off unless the script's variables hold
// `capacitySettleSeconds` (the runner sets it per step).

import type { CapacityStepResult } from '../grading/capacity-grading.js';
import { type ArtilleryReport, evaluate } from '../grading/evaluation.js';
import type { Targets } from '../grading/targets.js';

export type { CapacityStepResult };

import { FIRST_LOGIN_AT, GENERATOR_ADDED_MS, HTTP_REQUESTS, LOGINS } from '../lib/metrics.js';
import { cpuCoresBetween, GeneratorCpu, generatorBudget } from './generator-cpu.js';
import { PartialAggregate, type PeriodStats } from './partial-aggregate.js';

export const SETTLE_VARIABLE = 'capacitySettleSeconds';
/** The share of a period's requests above which its first logins are the login wave. */
export const LOGIN_SHARE = 0.02;

export class CapacityStep {
  private readonly graded = new PartialAggregate();
  private readonly gradedIntermediate: ArtilleryReport[] = [];
  private runStart: number | null = null;
  private windowStart: number | null = null;
  private windowEnd: number | null = null;
  /** End of the last period still in its logins, ms since the epoch. */
  private loginsEnd: number | null = null;
  /** The last first login of the start-up, ms after the first user started (FIRST_LOGIN_AT's max). */
  private lastLoginAt: number | null = null;
  /** The period before was the login wave. */
  private afterWave = false;
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
    // First logins only: re-logins and a class's own login tasks count elsewhere.
    const logins = counters[LOGINS] ?? 0;
    const wave = logins > LOGIN_SHARE * (counters[HTTP_REQUESTS] ?? 0);
    const loggingIn = wave || (logins > 0 && this.afterWave);
    this.afterWave = wave;
    if (this.windowStart === null && loggingIn) {
      this.loginsEnd = Math.max(this.loginsEnd ?? 0, stats.lastMetricAt ?? start);
      const loginAt = stats.summaries?.[FIRST_LOGIN_AT]?.max;
      if (typeof loginAt === 'number') this.lastLoginAt = Math.max(this.lastLoginAt ?? 0, loginAt);
    }
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
    // When the last start-up login ended, where the processors say so; else the end of its period.
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
