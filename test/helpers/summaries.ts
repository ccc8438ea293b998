// A metrics-by-endpoint summary for synthetic results: the tests grade p95, so only its shape around p95
// varies between suites (max and p99).
import type { Summary } from '../../grading/evaluation.js';

/** p95 over `count` requests: min 1, mean and p50 half of p95; max and p99 default to p95. */
export function summaryAt(p95: number, count: number, shape: { max?: number; p99?: number } = {}): Summary {
  return { min: 1, max: shape.max ?? p95, count, mean: p95 / 2, p50: p95 / 2, p95, p99: shape.p99 ?? p95 };
}
