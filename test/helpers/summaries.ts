// A metrics-by-endpoint summary for synthetic results: the tests grade p95, so only its shape around p95
// varies between suites (max and p99). Artillery's whole ladder is there (p75, p90): the evidence rule
// (grading/evidence.ts) reads each rung as an order statistic.
import type { Summary } from '../../grading/evaluation.js';

/** p95 over `count` requests: min 1, mean and p50 half of p95, p75 and p90 0.8 and 0.9 of it. */
export function summaryAt(p95: number, count: number, shape: { max?: number; p99?: number } = {}): Summary {
  return {
    min: 1,
    max: shape.max ?? p95,
    count,
    mean: p95 / 2,
    p50: p95 / 2,
    p75: p95 * 0.8,
    p90: p95 * 0.9,
    p95,
    p99: shape.p99 ?? p95,
  };
}

/** Every request at `ms`: what a route with added latency looks like (min = max = every rung). */
export const flatSummary = (ms: number, count: number): Summary => ({
  min: ms,
  max: ms,
  count,
  mean: ms,
  p50: ms,
  p75: ms,
  p90: ms,
  p95: ms,
  p99: ms,
  p999: ms,
});
