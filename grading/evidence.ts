// How much a latency sample shows. Pure. A percentile target (p95 under 300 ms) is breached when more than
// 5 % of all requests, not of this sample, take 300 ms or more. From n requests of which k took that long,
// the breach is shown with confidence c when k is at least the smallest count that a share of exactly 5 %
// would reach with probability at most 1 - c (a one-sided binomial test; equivalently, the distribution-free
// lower confidence bound on the percentile, an order statistic, is at or over the bound). Nothing about the
// shape of the latency distribution is assumed. And below `minSamples` requests nothing is judged alone:
// a stall holds every request in flight at once, so the slow ones of a small sample are not independent
// draws, which the binomial test assumes. Such requests are judged inside their class's pool.
//
// k, the requests at or over the bound, comes from the plugin's worker half where it counted them for the
// run's tier bounds (`plugins.btcw-targets.slower.<bound>ms.<name>`, exact); otherwise from the sketch's
// order statistics: Artillery keeps no samples, only DDSketch summaries (exact min and max, p50 to p999 at
// 1 % relative accuracy), each of which says "at least this many requests were this slow".
import type { Targets } from './targets.js';
import type { Summary } from './types.js';

/** DDSketch's relative accuracy in Artillery's summaries (node_modules/artillery/lib/core/ssms.ts). */
export const SKETCH_ACCURACY = 0.01;

export interface EvidenceRule {
  /** Fewer requests than this are never judged alone: they are judged in their class's pool. */
  minSamples: number;
  /** How sure a latency FAIL must be (0.95: a share of exactly the percentile's tail fails 5 % of runs). */
  confidence: number;
}

export const DEFAULT_EVIDENCE: EvidenceRule = { minSamples: 20, confidence: 0.95 };

/** The rule in force: targets.yml `evidence:` over the defaults. */
export function evidenceRule(targets: Pick<Targets, 'evidence'>): EvidenceRule {
  return {
    minSamples: targets.evidence?.minSamples ?? DEFAULT_EVIDENCE.minSamples,
    confidence: targets.evidence?.confidence ?? DEFAULT_EVIDENCE.confidence,
  };
}

/**
 * - `met`: the statistic is within its target on at least minSamples requests;
 * - `breached`: the sample shows the target breached (enough requests at or over the bound);
 * - `unproven`: the statistic is over its target, but too few requests were that slow to show it;
 * - `too-few`: fewer than minSamples requests: not judged alone;
 * - `no-data`: no latency was recorded.
 */
export type EvidenceStatus = 'met' | 'breached' | 'unproven' | 'too-few' | 'no-data';

export interface LatencyEvidence {
  status: EvidenceStatus;
  /** Requests with a response time (n). */
  samples: number;
  /** The bound in ms: the target tier's upper bound (exclusive). */
  bound: number;
  /** Requests that took `bound` ms or more (k): exact when counted, else at least this many. */
  slower: number;
  /** Whether `slower` was counted exactly (the worker half) or bounded from the sketch. */
  exact: boolean;
  /** The fewest slower requests that show the breach at this sample size; null: no count can (mean). */
  needed: number | null;
  /** The rule's minimum sample, for the words. */
  minSamples: number;
}

/** The tail share a statistic bounds: p95 → 0.05; null for the mean, which no count bounds. */
export function tailShare(statistic: 'mean' | 'p50' | 'p95' | 'p99'): number | null {
  if (statistic === 'mean') return null;
  return 1 - Number(statistic.slice(1)) / 100;
}

/**
 * The fewest of `samples` requests at or over the bound that show, with `confidence`, that more than
 * `share` of all requests are: the smallest k with P(Binomial(samples, share) >= k) <= 1 - confidence.
 * Null when even every request being slow would not show it.
 */
export function breachCount(samples: number, share: number, confidence: number): number | null {
  if (!(samples > 0) || !(share > 0 && share < 1)) return null;
  const alpha = 1 - confidence;
  // P(K <= k) summed upwards in log space: (1 - share)^n underflows for large n.
  const logOdds = Math.log(share) - Math.log1p(-share);
  let logPmf = samples * Math.log1p(-share);
  let below = 0; // P(K < k)
  for (let slow = 0; slow <= samples; slow++) {
    if (1 - below <= alpha) return slow;
    below += Math.exp(logPmf);
    logPmf += Math.log((samples - slow) / (slow + 1)) + logOdds;
  }
  return null;
}

const RUNGS: ReadonlyArray<readonly [string, number]> = [
  ['p50', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p999', 0.999],
];

/**
 * At least how many of a summary's requests took `bound` ms or more. DDSketch's quantile q is the request of
 * rank floor(q (n - 1)) (0-based), read within 1 % relative; if it reads at or over bound × 1.01, that one
 * and every one above it took at least `bound`. Min and max are exact.
 */
export function slowerInSummary(summary: Summary | undefined, bound: number): number {
  if (!summary || !(summary.count > 0)) return 0;
  const count = summary.count;
  if (summary.min >= bound) return count;
  let slower = summary.max >= bound ? 1 : 0;
  const values = summary as unknown as Record<string, unknown>;
  for (const [key, quantile] of RUNGS) {
    const reading = values[key];
    if (typeof reading === 'number' && reading >= bound * (1 + SKETCH_ACCURACY))
      slower = Math.max(slower, count - Math.floor(quantile * (count - 1)));
  }
  return slower;
}

/**
 * At least how many requests took `bound` ms or more, from the whole run's summary and from each period's:
 * the periods' bounds add up (disjoint requests), and a slow period's ladder says more than the whole run's.
 */
export function slowerInSketches(
  whole: Summary | undefined,
  periods: ReadonlyArray<Summary | undefined>,
  bound: number,
): number {
  const fromWhole = slowerInSummary(whole, bound);
  let fromPeriods = 0;
  for (const period of periods) fromPeriods += slowerInSummary(period, bound);
  return Math.min(whole?.count ?? 0, Math.max(fromWhole, fromPeriods));
}

export interface EvidenceInput {
  statistic: 'mean' | 'p50' | 'p95' | 'p99';
  /** The statistic's value, null without latency. */
  value: number | null;
  samples: number;
  bound: number;
  slower: number;
  exact: boolean;
  /** Whether the statistic reads over its bound; default: value >= bound (a pool of bounds says itself). */
  over?: boolean;
}

/** The evidence rule on one sample: an endpoint's requests, or a class's pool. */
export function judgeLatency(input: EvidenceInput, rule: EvidenceRule = DEFAULT_EVIDENCE): LatencyEvidence {
  const { statistic, value, samples, bound, exact } = input;
  const slower = Math.min(samples, Math.max(0, input.slower));
  const share = tailShare(statistic);
  const needed = share === null ? null : breachCount(samples, share, rule.confidence);
  const base = { samples, bound, slower, exact, needed, minSamples: rule.minSamples };
  if (value === null || !(samples > 0)) return { ...base, status: 'no-data' };
  if (samples < rule.minSamples) return { ...base, status: 'too-few' };
  if (!(input.over ?? value >= bound)) return { ...base, status: 'met' };
  // The mean has no count that shows it: enough requests and the mean over the bound is the evidence.
  if (share === null) return { ...base, status: 'breached' };
  return { ...base, status: needed !== null && slower >= needed ? 'breached' : 'unproven' };
}

/** Why a check was not judged alone, in a few words: "on 5 requests: too few to judge alone". */
export function evidenceNote(evidence: LatencyEvidence): string {
  const atLeast = evidence.exact ? '' : 'at least ';
  switch (evidence.status) {
    case 'too-few':
      return `on ${evidence.samples} requests: too few to judge alone (fewer than ${evidence.minSamples})`;
    case 'unproven':
      return (
        `on ${evidence.samples} requests: ${atLeast}${evidence.slower} took ${evidence.bound} ms or more, ` +
        `${evidence.needed ?? '-'} needed to show the target missed`
      );
    case 'breached':
      return `${atLeast}${evidence.slower} of ${evidence.samples} requests took ${evidence.bound} ms or more`;
    case 'met':
      return `on ${evidence.samples} requests`;
    default:
      return 'no latency recorded';
  }
}
