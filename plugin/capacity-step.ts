// One step of the capacity finder (commands/capacity.ts), graded in the main process: the 10 s periods
// that begin after the step's settle time are merged (counters added, latency sketches merged exactly) and
// graded with evaluate(), and the generator's CPU over the same window is measured. The runner reads the
// result from the evaluation JSON's `capacityStep`. Off unless the script's variables hold
// `capacitySettleSeconds` (the runner sets it per step).

import type { CapacityStepResult } from '../grading/capacity-grading.js';
import { type ArtilleryReport, evaluate } from '../grading/evaluation.js';
import type { Targets } from '../grading/targets.js';

export type { CapacityStepResult };

import { GENERATOR_ADDED_MS } from '../lib/metrics.js';
import { cpuCoresBetween, GeneratorCpu, generatorBudget } from './generator-cpu.js';
import { PartialAggregate, type PeriodStats } from './partial-aggregate.js';

export const SETTLE_VARIABLE = 'capacitySettleSeconds';

export class CapacityStep {
  private readonly graded = new PartialAggregate();
  private readonly gradedIntermediate: ArtilleryReport[] = [];
  private runStart: number | null = null;
  private windowStart: number | null = null;
  private windowEnd: number | null = null;
  private readonly cpu = new GeneratorCpu();

  constructor(private readonly settleSeconds: number) {}

  static fromVariables(variables: Record<string, unknown> | undefined): CapacityStep | null {
    const s = Number(variables?.[SETTLE_VARIABLE]);
    return Number.isFinite(s) && s > 0 ? new CapacityStep(s) : null;
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
    if (this.runStart === null || !(start >= this.runStart + this.settleSeconds * 1000)) return;
    this.graded.add(stats);
    this.gradedIntermediate.push({ counters: stats.counters, summaries: stats.summaries });
    this.windowStart ??= start;
    this.windowEnd = stats.lastMetricAt ?? this.windowEnd;
  }

  result(targets: Targets): CapacityStepResult {
    this.cpu.stop();
    const n = this.gradedIntermediate.length;
    const windowOk = this.windowStart !== null && this.windowEnd !== null;
    const aggregate = this.graded.aggregate();
    return {
      settleSeconds: this.settleSeconds,
      gradedPeriods: n,
      windowStart: this.windowStart,
      windowEnd: this.windowEnd,
      evaluation: n === 0 ? null : evaluate({ aggregate, intermediate: this.gradedIntermediate }, targets),
      generator: {
        cores: windowOk ? cpuCoresBetween(this.cpu.samples, this.windowStart!, this.windowEnd!) : null,
        budget: generatorBudget(),
        addedP95: aggregate.summaries?.[GENERATOR_ADDED_MS]?.p95 ?? null,
      },
    };
  }
}
