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
  getValueAtQuantile(q: number): number;
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
    for (const [k, v] of Object.entries(stats.counters ?? {})) this.counters[k] = (this.counters[k] ?? 0) + v;
    for (const [k, h] of Object.entries(stats.histograms ?? {})) {
      const agg = this.sketches.get(k);
      if (agg) agg.merge(h);
      else this.sketches.set(k, h); // a finished period's sketch is not reused by Artillery
    }
    if (stats.firstMetricAt !== undefined) this.first = Math.min(this.first ?? Infinity, stats.firstMetricAt);
    if (stats.lastMetricAt !== undefined) this.last = Math.max(this.last ?? -Infinity, stats.lastMetricAt);
  }

  aggregate(): ArtilleryReport {
    const summaries: Record<string, Summary> = {};
    for (const [k, s] of this.sketches) {
      if (s.count === 0) continue;
      const q = (p: number) => round(s.getValueAtQuantile(p));
      summaries[k] = {
        min: round(s.min),
        max: round(s.max),
        count: s.count,
        mean: round(s.sum / s.count),
        p50: q(0.5),
        median: q(0.5),
        p95: q(0.95),
        p99: q(0.99),
      };
    }
    return { counters: { ...this.counters }, summaries, firstMetricAt: this.first, lastMetricAt: this.last };
  }
}
