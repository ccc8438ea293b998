// Regression verdicts: a run's snapshot against a baseline's, per endpoint, per operation class and overall.
// Pure. A worsening is a regression only when it is larger than the rule allows AND larger than what the
// data can show:
// - enough requests on both sides (`minRequests`; below: "too few requests to compare");
// - latency: the statistic rose by more than `latency` (relative) even when both values are read at the
//   worst of DDSketch's 1 % relative accuracy (so +20 % needs about +22.4 % measured), by at least
//   `minChangeMs` (loopback latencies of a few ms double from scheduler noise alone), and a one-sided
//   Welch t-test on the logarithms of the per-period values says, at 5 %, that the rise exceeds the
//   allowance: periods that scatter widely need a larger rise. Logarithms, because latency statistics are
//   skewed and the allowance is a ratio (a ratio becomes a difference). Needs 2 periods a side;
// - error rate: it rose by more than `errorRate` (absolute, 0.01 = one point) and a one-sided
//   two-proportion z-test says, at 5 %, that the rise exceeds the allowance.
// Endpoints and classes are judged against the run's common shift (commonShift(): the median endpoint's
// change, never below 1): on a busy machine a whole identical run can be 2-3x slower, which no single pair of
// runs can tell from a server-wide slowdown. The whole run's change is the overall check: a regression only
// when `runShift` is set (a dedicated runner against staging), otherwise shown as a `shift`. And a change
// must exceed 3 robust standard deviations of the endpoints' changes (runSpread()): the spread between the
// two runs, which the periods of one run cannot show (a stall, another process on the machine).
// When both runs carry the server's own time (Server-Timing `total`, which the embedded API sends), endpoints
// and classes are judged on it instead of the client's: a load generator starved of CPU delays every response
// it reads, by more than a slowed route adds, and the server's own time leaves that delay out. The whole
// run's check stays on the client's time (it is what a user waits).
import type { ArtilleryReport, Evaluation } from './evaluation.js';
import { EXIT } from './exit-codes.js';
import { type Snapshot, type SnapshotSubject, snapshotOf } from './metric-snapshot.js';
import type { RegressionSpec, Targets } from './targets.js';
import type {
  CheckKind,
  LatencySource,
  RegressionCheck,
  RegressionCoverage,
  RegressionResult,
  RegressionRule,
  Scope,
} from './types.js';

/** DDSketch's relative accuracy in Artillery's summaries (node_modules/artillery/lib/core/ssms.ts). */
export const SKETCH_ACCURACY = 0.01;
/** Periods each side needs for the spread test. */
export const MIN_PERIODS = 2;
/** The exit code of a run whose only failing finding is REGRESSION (listed in `failOn`). */
export const REGRESSION_EXIT_CODE = EXIT.REGRESSION;

export type {
  CheckKind,
  CheckStatus,
  LatencySource,
  RegressionCheck,
  RegressionCoverage,
  RegressionResult,
  RegressionRule,
  Scope,
} from './types.js';

/** Under this share of the run's requests under a compared check, "no regression" is INCONCLUSIVE. */
export const MIN_COMPARED_SHARE = 0.5;
const COMPARED: ReadonlySet<string> = new Set(['ok', 'noise', 'improved', 'regression', 'shift']);

/** How much a comparison compared; `requests` by endpoint name, of the run graded (after). */
export function coverageOf(
  checks: readonly RegressionCheck[],
  requests: ReadonlyMap<string, number>,
): RegressionCoverage {
  const compared = checks.filter((c) => COMPARED.has(c.status));
  const tooFew = checks.filter((c) => c.status === 'too-few');
  const tooFewRequests = tooFew.filter((c) => c.note.startsWith('too few requests')).length;
  const covered = new Set(compared.filter((c) => c.scope === 'endpoint').map((c) => c.subject));
  let all = 0;
  let under = 0;
  for (const [name, count] of requests) {
    all += count;
    if (covered.has(name)) under += count;
  }
  const requestShare = all > 0 ? under / all : 0;
  const regressions = checks.some((c) => c.status === 'regression');
  return {
    checks: checks.length,
    compared: compared.length,
    tooFewRequests,
    tooFewOther: tooFew.length - tooFewRequests,
    requestShare,
    inconclusive: !regressions && requestShare < MIN_COMPARED_SHARE,
  };
}

/** "3 of 94 checks compared; 81 had too few requests" (and the share of requests they covered). */
export function coverageText(coverage: RegressionCoverage): string {
  const parts = [`${coverage.compared} of ${coverage.checks} checks compared`];
  if (coverage.tooFewRequests > 0) parts.push(`${coverage.tooFewRequests} had too few requests`);
  if (coverage.tooFewOther > 0) parts.push(`${coverage.tooFewOther} too few periods or no latency`);
  parts.push(`${(coverage.requestShare * 100).toFixed(0)} % of the run's requests under a compared endpoint`);
  return parts.join('; ');
}

export const DEFAULT_REGRESSION = {
  latency: 0.2,
  errorRate: 0.01,
  minRequests: 50,
  minChangeMs: 10,
} as const;

/** The rule in force: targets.yml `regression:` over the defaults; the statistic defaults to the targets'. */
export function regressionRule(
  targets: Pick<Targets, 'statistic'> & { regression?: RegressionSpec },
): RegressionRule {
  const spec = targets.regression ?? {};
  return {
    statistic: spec.statistic ?? targets.statistic,
    latency: spec.latency ?? DEFAULT_REGRESSION.latency,
    errorRate: spec.errorRate ?? DEFAULT_REGRESSION.errorRate,
    minRequests: spec.minRequests ?? DEFAULT_REGRESSION.minRequests,
    minChangeMs: spec.minChangeMs ?? DEFAULT_REGRESSION.minChangeMs,
    runShift: spec.runShift,
    classes: spec.classes ?? {},
    endpoints: spec.endpoints ?? {},
  };
}

// ---- statistics ------------------------------------------------------------------------------------------

/** One-sided 5 % critical values of Student's t by degrees of freedom (the next lower df is used). */
const T_95: Array<[number, number]> = [
  [1, 6.314],
  [2, 2.92],
  [3, 2.353],
  [4, 2.132],
  [5, 2.015],
  [6, 1.943],
  [7, 1.895],
  [8, 1.86],
  [9, 1.833],
  [10, 1.812],
  [12, 1.782],
  [15, 1.753],
  [20, 1.725],
  [30, 1.697],
  [60, 1.671],
  [120, 1.658],
];
/** One-sided 5 % critical value of the standard normal distribution. */
const Z_95 = 1.645;

export function tCritical(df: number): number {
  // Below 1 degree of freedom: the most cautious value; from 120 on, the table's last (close to z).
  let value = T_95[0]![1];
  for (const [degrees, critical] of T_95) if (df >= degrees) value = critical;
  return value;
}

function meanVar(xs: readonly number[]): [number, number] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return [mean, variance];
}

/**
 * One-sided Welch t-test: is mean(after) - mean(before) larger than `margin`? Returns the t statistic, the
 * Welch-Satterthwaite degrees of freedom and the decision at 5 %. Each side needs 2 values.
 */
export function welchExceeds(
  before: readonly number[],
  after: readonly number[],
  margin: number,
): { t: number; df: number; significant: boolean } {
  const [mb, vb] = meanVar(before);
  const [ma, va] = meanVar(after);
  const sb = vb / before.length;
  const sa = va / after.length;
  const se = Math.sqrt(sb + sa);
  const diff = ma - mb - margin;
  if (se === 0) return { t: diff > 0 ? Infinity : -Infinity, df: Infinity, significant: diff > 0 };
  const df = (sb + sa) ** 2 / (sb ** 2 / (before.length - 1) + sa ** 2 / (after.length - 1));
  const statistic = diff / se;
  return { t: statistic, df, significant: statistic > tCritical(df) };
}

/** One-sided two-proportion z-test: is rate(after) - rate(before) larger than `margin`? */
export function proportionExceeds(
  failedBefore: number,
  before: number,
  failedAfter: number,
  after: number,
  margin: number,
): { z: number; significant: boolean } {
  const pb = failedBefore / before;
  const pa = failedAfter / after;
  const se = Math.sqrt((pb * (1 - pb)) / before + (pa * (1 - pa)) / after);
  const diff = pa - pb - margin;
  if (se === 0) return { z: diff > 0 ? Infinity : -Infinity, significant: diff > 0 };
  const statistic = diff / se;
  return { z: statistic, significant: statistic > Z_95 };
}

// ---- checks -----------------------------------------------------------------------------------------------

const pctText = (r: number) => `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)} %`;
const pointsText = (r: number) => `${r >= 0 ? '+' : ''}${(r * 100).toFixed(2)} points`;

function tooFew(after: SnapshotSubject, before: SnapshotSubject, min: number): string | null {
  if (before.requests >= min && after.requests >= min) return null;
  return `too few requests to compare (${before.requests} before, ${after.requests} after; at least ${min})`;
}

/**
 * The latency check of one subject (pure): the statistic's change against the allowance and the noise.
 * `shift` is the run's common shift (commonShift()): the subject is judged against its baseline value times
 * the shift, i.e. against how much slower the whole run was; 1 judges the raw change.
 */
export function latencyCheck(
  before: SnapshotSubject,
  after: SnapshotSubject,
  allowed: number,
  rule: Pick<RegressionRule, 'statistic' | 'minRequests' | 'minChangeMs'>,
  shift = 1,
  spread = 0,
  source: LatencySource = 'client',
): Omit<RegressionCheck, 'scope' | 'subject'> {
  const stat = rule.statistic;
  const beforeValue = before.stats?.[stat] ?? null;
  const afterValue = after.stats?.[stat] ?? null;
  const base = {
    kind: 'latency' as const,
    before: beforeValue,
    after: afterValue,
    allowed,
    ...(source === 'server' ? { source } : {}),
  };
  const few = tooFew(after, before, rule.minRequests);
  if (few !== null || afterValue === null || beforeValue === null)
    return { ...base, change: null, status: 'too-few', note: few ?? 'no latency recorded on one side' };
  const change = beforeValue > 0 ? afterValue / beforeValue - 1 : afterValue > 0 ? Infinity : 0;
  const expected = beforeValue * shift;
  const beyond = expected > 0 ? afterValue / expected - 1 : change;
  const text =
    (source === 'server' ? 'server time ' : '') +
    (shift === 1
      ? pctText(change)
      : `${pctText(change)}, ${pctText(beyond)} beyond the run's ×${shift.toFixed(2)}`);
  if (beyond <= allowed)
    return {
      ...base,
      change,
      status: change < -allowed ? 'improved' : 'ok',
      note: `${text}, within ${pctText(allowed)}`,
    };
  if (afterValue - expected < rule.minChangeMs)
    return {
      ...base,
      change,
      status: 'noise',
      note: `${text}: ${(afterValue - expected).toFixed(1)} ms, below ${rule.minChangeMs} ms`,
    };
  // Both values may be off by 1 % relative, in opposite directions.
  const worst = (afterValue * (1 - SKETCH_ACCURACY)) / (expected * (1 + SKETCH_ACCURACY)) - 1;
  if (worst <= allowed)
    return {
      ...base,
      change,
      status: 'noise',
      note: `${text}: over the allowed ${pctText(allowed)}, but not by more than DDSketch's 1 % error a side`,
    };
  // The two runs' own disagreement, read from the other endpoints (runSpread()).
  if (spread > 0 && Math.log(afterValue / expected) <= SPREAD_K * spread)
    return {
      ...base,
      change,
      status: 'noise',
      note: `${text}, within the endpoints' run-to-run spread (×${Math.exp(SPREAD_K * spread).toFixed(2)})`,
    };
  const logs = (subject: SnapshotSubject) =>
    subject.periods
      .map((p) => p.stats?.[stat])
      .filter((v): v is number => v !== undefined && v > 0)
      .map(Math.log);
  const pb = logs(before);
  const pa = logs(after);
  if (pb.length < MIN_PERIODS || pa.length < MIN_PERIODS)
    return {
      ...base,
      change,
      status: 'too-few',
      note:
        `too few 10 s periods to compare ` +
        `(${pb.length} before, ${pa.length} after; at least ${MIN_PERIODS})`,
    };
  const test = welchExceeds(pb, pa, Math.log(1 + allowed) + Math.log(shift));
  if (!test.significant)
    return {
      ...base,
      change,
      status: 'noise',
      note: `${text}, within the spread of the 10 s periods (t ${test.t.toFixed(2)})`,
    };
  return { ...base, change, status: 'regression', note: `${text}, allowed ${pctText(allowed)}` };
}

/** Endpoints a common shift needs: with fewer, one slowed endpoint could be the median. */
export const MIN_SHIFT_ENDPOINTS = 5;
/** How many robust standard deviations of the endpoints' changes a change must exceed (runSpread()). */
export const SPREAD_K = 3;

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Server time when both runs carry it for some endpoint, else the client's (a baseline from before). */
export function latencySource(before: Snapshot, after: Snapshot): LatencySource {
  const has = (s: Snapshot) => s.endpoints.some((x) => x.serverStats);
  return has(before) && has(after) ? 'server' : 'client';
}

/** The subject as `source` sees it: for the server, its server statistics stand in for the client's. */
export function viewOf(subject: SnapshotSubject, source: LatencySource): SnapshotSubject {
  if (source === 'client') return subject;
  return {
    ...subject,
    stats: subject.serverStats ?? null,
    periods: subject.periods.map((p) => ({ ...p, stats: p.serverStats ?? null })),
  };
}

/** log(after / before) of the statistic for the endpoints with enough requests on both sides. */
function logRatios(
  before: Snapshot,
  after: Snapshot,
  rule: RegressionRule,
  source: LatencySource = 'client',
): number[] {
  const beforeByName = new Map(before.endpoints.map((x) => [x.name, x]));
  const out: number[] = [];
  for (const endpoint of after.endpoints) {
    const beforeEndpoint = beforeByName.get(endpoint.name);
    const va = viewOf(endpoint, source).stats?.[rule.statistic];
    const vb = beforeEndpoint && viewOf(beforeEndpoint, source).stats?.[rule.statistic];
    if (!beforeEndpoint || va === undefined || vb === undefined || !(vb > 0) || !(va > 0)) continue;
    if (endpoint.requests < rule.minRequests || beforeEndpoint.requests < rule.minRequests) continue;
    out.push(Math.log(va / vb));
  }
  return out;
}

/**
 * The run's common shift: the median ratio (after / before) of the statistic over the endpoints with enough
 * requests on both sides, never below 1. On a shared or busy machine a whole run can be 2-3× slower than an
 * identical one (measured: BENCHMARKS.md, regression rule); judging each endpoint against that shift flags
 * the endpoints that got slower than the rest, and the shift itself is the overall check's business. A
 * faster run (median below 1) is not used: its unchanged endpoints would look slower.
 */
export function commonShift(
  before: Snapshot,
  after: Snapshot,
  rule: RegressionRule,
  source: LatencySource = 'client',
): number {
  const logs = logRatios(before, after, rule, source);
  return logs.length < MIN_SHIFT_ENDPOINTS ? 1 : Math.max(1, Math.exp(median(logs)));
}

/**
 * How much the two runs disagree endpoint by endpoint, whatever changed: the robust standard deviation
 * (1.4826 × the median absolute deviation) of the endpoints' log changes. The 10 s periods show the spread
 * within a run; this shows the spread between the two runs (a stall, another process on the machine), which
 * one baseline run cannot. A change must exceed SPREAD_K of it: a few slowed endpoints stand out, as they
 * leave the median and its deviation to the others. 0 with fewer than MIN_SHIFT_ENDPOINTS endpoints.
 */
export function runSpread(
  before: Snapshot,
  after: Snapshot,
  rule: RegressionRule,
  source: LatencySource = 'client',
): number {
  const logs = logRatios(before, after, rule, source);
  if (logs.length < MIN_SHIFT_ENDPOINTS) return 0;
  const mid = median(logs);
  return 1.4826 * median(logs.map((x) => Math.abs(x - mid)));
}

/** The error-rate check of one subject (pure). */
export function errorRateCheck(
  before: SnapshotSubject,
  after: SnapshotSubject,
  allowed: number,
  minRequests: number,
): Omit<RegressionCheck, 'scope' | 'subject'> {
  const base = { kind: 'error-rate' as const, before: before.errorRate, after: after.errorRate, allowed };
  const few = tooFew(after, before, minRequests);
  if (few !== null) return { ...base, change: null, status: 'too-few', note: few };
  const change = after.errorRate - before.errorRate;
  if (change <= allowed)
    return {
      ...base,
      change,
      status: change < -allowed ? 'improved' : 'ok',
      note: `${pointsText(change)}, within ${pointsText(allowed)}`,
    };
  const test = proportionExceeds(before.failed, before.requests, after.failed, after.requests, allowed);
  if (!test.significant)
    return {
      ...base,
      change,
      status: 'noise',
      note: `${pointsText(change)}, within chance (z ${test.z.toFixed(2)})`,
    };
  return {
    ...base,
    change,
    status: 'regression',
    note: `${pointsText(change)}, allowed ${pointsText(allowed)}`,
  };
}

const ABSENT: SnapshotSubject = { requests: 0, failed: 0, errorRate: 0, stats: null, periods: [] };

/** Every check against a baseline: latency per endpoint, class, overall; error rate per endpoint, overall. */
export function compareSnapshots(
  before: Snapshot,
  after: Snapshot,
  rule: RegressionRule,
  baseline: RegressionResult['baseline'],
): RegressionResult {
  const checks: RegressionCheck[] = [];
  const push = (scope: Scope, subject: string, check: Omit<RegressionCheck, 'scope' | 'subject'>) =>
    checks.push({ scope, subject, ...check });
  const presence = (kind: CheckKind, scope: Scope, subject: string, isNew: boolean, allowed: number) =>
    push(scope, subject, {
      kind,
      before: null,
      after: null,
      change: null,
      allowed,
      status: isNew ? 'new' : 'gone',
      note: isNew ? 'not in the baseline' : 'not in this run',
    });

  const source = latencySource(before, after);
  const shift = commonShift(before, after, rule, source);
  const spread = runSpread(before, after, rule, source);
  const clientShift = source === 'client' ? shift : commonShift(before, after, rule);
  const clientSpread = source === 'client' ? spread : runSpread(before, after, rule);
  // A subject without the server's time on both sides (every request failed, say) is judged on the client's.
  const judge = (was: SnapshotSubject, now: SnapshotSubject, allowed: number) =>
    source === 'server' && was.serverStats && now.serverStats
      ? latencyCheck(viewOf(was, source), viewOf(now, source), allowed, rule, shift, spread, source)
      : latencyCheck(was, now, allowed, rule, clientShift, clientSpread);
  const beforeEp = new Map(before.endpoints.map((x) => [x.name, x]));
  const afterEp = new Map(after.endpoints.map((x) => [x.name, x]));
  const names = [...new Set([...beforeEp.keys(), ...afterEp.keys()])].sort();
  for (const name of names) {
    const beforeEndpoint = beforeEp.get(name);
    const afterEndpoint = afterEp.get(name);
    const cls = (afterEndpoint ?? beforeEndpoint)!.class;
    const latency = rule.endpoints[name]?.latency ?? rule.classes[cls]?.latency ?? rule.latency;
    const errors = rule.endpoints[name]?.errorRate ?? rule.classes[cls]?.errorRate ?? rule.errorRate;
    if (!afterEndpoint || !beforeEndpoint) {
      presence('latency', 'endpoint', name, !beforeEndpoint, latency);
      continue;
    }
    push('endpoint', name, judge(beforeEndpoint, afterEndpoint, latency));
    push('endpoint', name, errorRateCheck(beforeEndpoint, afterEndpoint, errors, rule.minRequests));
  }
  const beforeCls = new Map(before.classes.map((c) => [c.class, c]));
  for (const afterClass of after.classes) {
    const beforeClass = beforeCls.get(afterClass.class);
    const latency = rule.classes[afterClass.class]?.latency ?? rule.latency;
    push('class', afterClass.class, judge(beforeClass ?? ABSENT, afterClass, latency));
  }
  // The whole run's change: a regression only under regression.runShift; otherwise shown as a shift.
  const overall = latencyCheck(before.overall, after.overall, rule.runShift ?? rule.latency, rule);
  if (rule.runShift === undefined && overall.status === 'regression')
    push('overall', 'all requests', {
      ...overall,
      status: 'shift',
      note: `${overall.note}: the whole run moved (set regression.runShift to judge it)`,
    });
  else push('overall', 'all requests', overall);
  push(
    'overall',
    'all requests',
    errorRateCheck(before.overall, after.overall, rule.errorRate, rule.minRequests),
  );
  return {
    baseline,
    rule,
    source,
    shift,
    spread,
    checks,
    regressions: checks.filter((c) => c.status === 'regression').length,
    coverage: coverageOf(checks, new Map(after.endpoints.map((x) => [x.name, x.requests]))),
  };
}

/** The regressions, the largest change first (a change is relative for latency, points for errors). */
export function regressionsOf(result: RegressionResult): RegressionCheck[] {
  return result.checks
    .filter((c) => c.status === 'regression')
    .sort((a, b) => (b.change ?? 0) - (a.change ?? 0) || a.subject.localeCompare(b.subject));
}

/**
 * The exit code of a graded run with its comparison: a failing verdict first (3), then regressions (5),
 * then a warning (4), each only when `failOn` lists it.
 */
export function exitCodeWith(
  verdictExitCode: number,
  verdict: 'PASS' | 'WARN' | 'FAIL',
  result: RegressionResult | undefined,
  failOn: readonly string[],
): number {
  if (verdict === 'FAIL' && verdictExitCode !== 0) return verdictExitCode;
  if (result && result.regressions > 0 && failOn.includes('REGRESSION')) return REGRESSION_EXIT_CODE;
  return verdictExitCode;
}

/** One line per regression: `<subject> p95 12.0 → 61.0 ms (+408.3 %)`. */
export function regressionLine(check: RegressionCheck, statistic: string): string {
  const what = check.scope === 'class' ? `class ${check.subject}` : check.subject;
  if (check.kind === 'error-rate')
    return (
      `${what} error rate ${((check.before ?? 0) * 100).toFixed(2)} % → ` +
      `${((check.after ?? 0) * 100).toFixed(2)} % ` +
      `(${pointsText(check.change ?? 0)}, allowed ${pointsText(check.allowed)})`
    );
  return (
    `${what} ${statistic} ${check.before?.toFixed(1)} → ${check.after?.toFixed(1)} ms` +
    `${check.source === 'server' ? ' at the server' : ''} ` +
    `(${pctText(check.change ?? 0)}, allowed ${pctText(check.allowed)})`
  );
}

/** What grading needs of a baseline file (documents/baseline-file.ts). */
export interface BaselineLike {
  name: string;
  savedAt?: string | null;
  run?: { runTag?: string | null };
  snapshot: Snapshot;
}

/** A graded run, graded also against a baseline: the comparison attached, the exit code adjusted. */
export function gradeWithBaseline(
  evaluation: Evaluation,
  periods: readonly ArtilleryReport[],
  baseline: BaselineLike,
  file: string | null,
  targets: Pick<Targets, 'statistic' | 'failOn' | 'regression'>,
): Evaluation {
  const result = compareSnapshots(
    baseline.snapshot,
    snapshotOf(evaluation, periods),
    regressionRule(targets),
    {
      name: baseline.name,
      file,
      runTag: baseline.run?.runTag ?? null,
      savedAt: baseline.savedAt ?? null,
    },
  );
  return {
    ...evaluation,
    regression: result,
    exitCode: exitCodeWith(evaluation.exitCode, evaluation.verdict, result, targets.failOn),
  };
}
