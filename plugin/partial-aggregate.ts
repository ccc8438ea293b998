// The aggregate of the periods seen so far. Artillery's beforeExit report is empty when a run is interrupted
// (SIGINT), so the plugin rebuilds it: counters add up, and histograms are DDSketches, which merge exactly.
import type { ArtilleryReport, Summary } from '../grading/evaluation.js';

/** The part of @artilleryio/sketches-js's DDSketch used here. */
export interface Sketch {
  count: number;
  min: number;
  max: number;
  sum: number;
  merge(other: Sketch): void;
  getValueAtQuantile(quantile: number): number;
}

export interface PeriodStats extends ArtilleryReport {
  histograms?: Record<string, Sketch>;
}

const round = (n: number) => Math.round(n * 10) / 10; // as Artillery's own summaries

export class PartialAggregate {
  private readonly counters: Record<string, number> = {};
  private readonly sketches = new Map<string, Sketch>();
  private first: number | undefined;
  private last: number | undefined;

  add(stats: PeriodStats): void {
    for (const [name, value] of Object.entries(stats.counters ?? {}))
      this.counters[name] = (this.counters[name] ?? 0) + value;
    for (const [name, histogram] of Object.entries(stats.histograms ?? {})) {
      const agg = this.sketches.get(name);
      if (agg) agg.merge(histogram);
      else this.sketches.set(name, histogram); // a finished period's sketch is not reused by Artillery
    }
    if (stats.firstMetricAt !== undefined) this.first = Math.min(this.first ?? Infinity, stats.firstMetricAt);
    if (stats.lastMetricAt !== undefined) this.last = Math.max(this.last ?? -Infinity, stats.lastMetricAt);
  }

  aggregate(): ArtilleryReport {
    const summaries: Record<string, Summary> = {};
    for (const [name, sketch] of this.sketches) {
      if (sketch.count === 0) continue;
      const at = (p: number) => round(sketch.getValueAtQuantile(p));
      summaries[name] = {
        min: round(sketch.min),
        max: round(sketch.max),
        count: sketch.count,
        mean: round(sketch.sum / sketch.count),
        p50: at(0.5),
        median: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
      };
    }
    return { counters: { ...this.counters }, summaries, firstMetricAt: this.first, lastMetricAt: this.last };
  }
}
