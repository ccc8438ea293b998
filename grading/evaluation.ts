// evaluate(results, targets): the one grading code. Pure: the plugin calls it at test end, the CLI on a
// saved `artillery run -o` JSON, and the HTML report shows its output.
import {
  BY_ENDPOINT,
  CLASS_RESPONSE_TIME,
  ENGINE_ERROR,
  FAILED,
  HOOK_FAILED,
  HTTP_RESPONSE_TIME,
  JUDGED_RESPONSES,
  LOGIN_RETRIES,
  LOGINS,
  RELOGINS,
  SERVER_TIME,
  SERVER_TIME_CLASS,
  SKIPPED,
  slowerKey,
  UNEXPECTED_401,
  USERS_STARTED,
  USERS_STOPPED,
} from '../lib/metrics.js';
import { peakConcurrentUsers } from './concurrent-users.js';
import {
  evidenceNote,
  evidenceRule,
  judgeLatency,
  type LatencyEvidence,
  slowerInSketches,
  tailShare,
} from './evidence.js';
import { EXIT } from './exit-codes.js';
import type { ClassRuleSpec, Statistic, Targets, Tier, Verdict } from './targets.js';
import { responseTimeFor, TIERS } from './targets.js';
import type {
  ArtilleryResults,
  ErrorLevel,
  GuardRecord,
  RegressionResult,
  RunStop,
  Summary,
} from './types.js';

export type { ArtilleryReport, ArtilleryResults, ErrorLevel, Summary } from './types.js';

/** `one-off`: the class's traffic was not the steady load (start-up logins): no throughput verdict. */
export type ThroughputStatus = 'pass' | 'fail' | 'not-exercised' | 'no-target' | 'one-off';

export interface Latency {
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface EndpointResult {
  name: string;
  class: string;
  requests: number;
  failed: number;
  errorRate: number;
  throughput: number | null;
  latency: Latency | null;
  /** The server's own time (Server-Timing), when it sends it: what a busy generator cannot inflate. */
  serverLatency?: Latency | null;
  statistic: Statistic;
  value: number | null;
  tier: Tier | null;
  targetTier: Tier;
  /** The statistic is within the target tier (what was measured, whatever the evidence). */
  meetsTarget: boolean;
  /**
   * What the sample shows against the target tier's bound (grading/evidence.ts): only `breached` fails the
   * run; `too-few` and `unproven` are judged in the class's pool. Absent in evaluations saved before it.
   */
  evidence?: LatencyEvidence;
  /** Every status received, failed or not (metrics-by-endpoint). */
  codes: Record<string, number>;
  /** Every network error and timeout (all of them are failures). */
  errors: Record<string, number>;
  /** The failed requests, by status and by error code: they add up to `failed`. */
  failures: FailureCounts;
}

/**
 * Failed requests by status (`codes`: a status the request's expectation does not list) and by network error
 * code (`errors`). Results from before version 2 give only a total per request name: what the network errors
 * do not explain is then under errors[UNRECORDED].
 */
export interface FailureCounts {
  codes: Record<string, number>;
  errors: Record<string, number>;
}

/** The error key of failures whose status older results did not record. */
export const UNRECORDED = 'status not recorded (older results)';

export interface ClassResult {
  class: string;
  requests: number;
  failed: number;
  errorRate: number;
  throughput: number | null;
  throughputTarget: number | null;
  throughputStatus: ThroughputStatus;
  /**
   * The share of the class's requests in the later half of the run (an even load puts about half there),
   * from the 10 s periods; null without periods. Below STEADY_SHARE the class is `one-off` traffic.
   */
  laterShare?: number | null;
  latency: Latency | null;
  /** The server's own time (Server-Timing), when the server sends it. */
  serverLatency?: Latency | null;
  /** True when no per-class histogram existed and the slowest endpoint's statistic stands in. */
  latencyApproximate: boolean;
  value: number | null;
  tier: Tier | null;
  /**
   * The class's pool, every request against its own endpoint's target bound, on the run's statistic: the
   * latency check of the endpoints too small to judge alone. Absent in evaluations saved before it.
   */
  evidence?: LatencyEvidence;
  /** The same pool against each endpoint's `acceptable` bound: a class is saturated only when it shows it. */
  saturation?: LatencyEvidence;
}

/** What a reason is about: the findings (grading/findings.ts) rank and group by it. */
export type ReasonKind =
  | 'no-requests'
  | 'users-lost'
  | 'error-rate'
  | 'saturated'
  | 'broken'
  | 'slow'
  | 'slow-class';

/** Stop reasons that are the load generator's own errors, not the API's: a failed hook, an engine bug. */
export const GENERATOR_STOPS: readonly string[] = [HOOK_FAILED, ENGINE_ERROR];

/** The generator's own stops among a run's stop reasons (pack.usersStopped), with their total. */
export function generatorStops(usersStopped: Readonly<Record<string, number>>): {
  byReason: Array<[string, number]>;
  total: number;
} {
  const byReason = GENERATOR_STOPS.map((reason): [string, number] => [
    reason,
    usersStopped[reason] ?? 0,
  ]).filter(([, count]) => count > 0);
  return { byReason, total: byReason.reduce((sum, [, count]) => sum + count, 0) };
}

export interface Reason {
  verdict: Exclude<Verdict, 'PASS'>;
  kind: ReasonKind;
  /** The class (saturated, slow-class) or request name (broken, slow) it is about. */
  subject?: string;
  message: string;
}

export interface PackCounters {
  logins: number;
  relogins: number;
  /** First logins tried again after a 5xx, timeout or network error (btcw.login_retries). */
  loginRetries: number;
  unexpected401: number;
  usersStarted: Record<string, number>;
  usersStopped: Record<string, number>;
  skipped: Record<string, number>;
  peakConcurrentUsers: number | null;
}

export interface Evaluation {
  verdict: Verdict;
  exitCode: number;
  reasons: Reason[];
  statistic: Statistic;
  durationSeconds: number | null;
  overall: {
    requests: number;
    failed: number;
    errorRate: number;
    errorLevel: ErrorLevel;
    throughput: number | null;
    latency: Latency | null;
    value: number | null;
    tier: Tier | null;
    /** The run's failed requests by status and error code (the endpoints' failures added up). */
    failures: FailureCounts;
  };
  classes: ClassResult[];
  endpoints: EndpointResult[];
  pack: PackCounters;
  /** The comparison with a baseline, when the run was graded against one (grading/regression.ts). */
  regression?: RegressionResult;
  /** Set when the run ended early (grading/run-stop.ts): its kind is the verdict shown. */
  stop?: RunStop;
  /** The live guard's events, when it ran (its stop, if any, is also the run's `stop`: ABORTED). */
  guard?: GuardRecord;
}

export const EXIT_CODES = { PASS: EXIT.PASS, WARN: EXIT.WARN, FAIL: EXIT.FAIL } as const;
/**
 * A class whose later half of the run holds less than this share of its requests was not a steady load
 * (an even load puts about half there; a module run's start-up logins none): no throughput verdict.
 */
export const STEADY_SHARE = 0.2;
/** Artillery's reporting period, for a period that does not say when its last metric came. */
const PERIOD_MS = 10_000;
/** An endpoint is broken when it failed at least errorRate.brokenEndpoint of at least this many requests. */
export const BROKEN_MIN_REQUESTS = 5;

const CODE_RE = /^(.+)\.codes\.(\d{3})$/;
const ERROR_RE = /^(.+)\.errors\.(.+)$/;
const NAME_RE = /^([A-Z]+)\s+(\S+)/;

export function tierOf(valueMs: number, tiers: Targets['responseTime']): Tier {
  if (valueMs < tiers.excellent) return 'excellent';
  if (valueMs < tiers.good) return 'good';
  if (valueMs < tiers.acceptable) return 'acceptable';
  if (valueMs < tiers.poor) return 'poor';
  return 'unacceptable';
}

export function meets(tier: Tier, target: Tier): boolean {
  return TIERS.indexOf(tier) <= TIERS.indexOf(target);
}

export function errorLevel(
  rate: number,
  levels: Pick<Targets['errorRate'], 'acceptable' | 'warning' | 'critical'>,
): ErrorLevel {
  if (rate < levels.acceptable) return 'ok';
  if (rate < levels.warning) return 'warning';
  if (rate < levels.critical) return 'high';
  return 'critical';
}

/** Operation class of a request name by the first matching rule; "other" when none matches. */
export function classify(name: string, rules: readonly ClassRuleSpec[]): string {
  const match = NAME_RE.exec(name);
  const method = match?.[1] ?? '';
  const path = match?.[2] ?? name;
  for (const rule of rules) {
    if (rule.method && !rule.method.includes(method)) continue;
    if (rule.path && !new RegExp(rule.path).test(path)) continue;
    if (rule.name && !new RegExp(rule.name).test(name)) continue;
    return rule.class;
  }
  return 'other';
}

function latencyOf(summary: Summary | undefined): Latency | null {
  if (!summary || !(summary.count > 0)) return null;
  return {
    min: summary.min,
    mean: summary.mean,
    p50: summary.p50 ?? summary.median ?? 0,
    p95: summary.p95,
    p99: summary.p99,
    max: summary.max,
  };
}

function counterMap(counters: Record<string, number>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(counters))
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

const rateOf = (failed: number, requests: number) => (requests > 0 ? failed / requests : 0);
const fmtPct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 2 : 1)} %`;
const fmtRps = (r: number) => `${r.toFixed(r < 10 ? 2 : 1)} req/s`;

export interface NameCounts {
  codes: Record<string, number>;
  errors: Record<string, number>;
  requests: number;
  failures: FailureCounts;
  /** sum(failures.codes) + sum(failures.errors). */
  failed: number;
}

/** NameCounts in Maps: cheap to build for every period (objects keyed by status codes are not). */
export interface NameTally {
  codes: Map<string, number>;
  errors: Map<string, number>;
  failedCodes: Map<string, number>;
  failedErrors: Map<string, number>;
  requests: number;
  failed: number;
}

/** Whether this plugin's worker half judged a run's responses by their expectations (its counters exist). */
export function judgedByExpectation(counters: Record<string, number>): boolean {
  if ((counters[JUDGED_RESPONSES] ?? 0) > 0) return true;
  for (const key in counters) if (key.startsWith(FAILED)) return true;
  return false;
}

const addTo = (counts: Record<string, number>, key: string, count: number) => {
  counts[key] = (counts[key] ?? 0) + count;
};
const addIn = (counts: Map<string, number>, key: string, count: number) => {
  counts.set(key, (counts.get(key) ?? 0) + count);
};
const total = (counts: Map<string, number>) => {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
};

/**
 * Requests and failures per request name, from one set of counters (the whole run's, or one period's).
 * Codes and network errors come from metrics-by-endpoint. Failures come from this plugin's worker half when
 * it ran (`judged`: it knows each request's expected codes and counts each failure under its status or error
 * code), otherwise from Locust's rule: a status from 400 up, or a network error.
 */
export function tallyByName(
  counters: Record<string, number>,
  judged = judgedByExpectation(counters),
): Map<string, NameTally> {
  const byName = new Map<string, NameTally>();
  const entry = (name: string) => {
    let tally = byName.get(name);
    if (!tally) {
      tally = {
        codes: new Map(),
        errors: new Map(),
        failedCodes: new Map(),
        failedErrors: new Map(),
        requests: 0,
        failed: 0,
      };
      byName.set(name, tally);
    }
    return tally;
  };
  const legacyTotals = new Map<string, number>();
  for (const key in counters) {
    const value = counters[key]!;
    if (key.startsWith(BY_ENDPOINT)) {
      const rest = key.slice(BY_ENDPOINT.length);
      const codeMatch = CODE_RE.exec(rest);
      if (codeMatch) addIn(entry(codeMatch[1]!).codes, codeMatch[2]!, value);
      else {
        const errorMatch = ERROR_RE.exec(rest);
        if (errorMatch) addIn(entry(errorMatch[1]!).errors, errorMatch[2]!, value);
      }
    } else if (judged && key.startsWith(FAILED)) {
      const rest = key.slice(FAILED.length);
      const codeMatch = CODE_RE.exec(rest);
      if (codeMatch) addIn(entry(codeMatch[1]!).failedCodes, codeMatch[2]!, value);
      else {
        const errorMatch = ERROR_RE.exec(rest);
        if (errorMatch) addIn(entry(errorMatch[1]!).failedErrors, errorMatch[2]!, value);
        else addIn(legacyTotals, rest, value);
      }
    }
  }
  for (const [name, all] of legacyTotals) {
    // Older results: one total per name. Network errors are always failures; the rest had some status.
    const tally = entry(name);
    if (tally.failedCodes.size + tally.failedErrors.size > 0) continue;
    let left = all;
    for (const [code, count] of tally.errors) {
      const take = Math.min(count, left);
      if (take > 0) tally.failedErrors.set(code, take);
      left -= take;
    }
    if (left > 0) tally.failedErrors.set(UNRECORDED, left);
  }
  for (const tally of byName.values()) {
    if (!judged) {
      tally.failedErrors = new Map(tally.errors);
      for (const [code, count] of tally.codes) if (Number(code) >= 400) tally.failedCodes.set(code, count);
    }
    tally.failed = total(tally.failedCodes) + total(tally.failedErrors);
    // A failure counted at a period's edge may land in the period after its response: never more failed
    // requests than requests.
    tally.requests = Math.max(total(tally.codes) + total(tally.errors), tally.failed);
  }
  return byName;
}

/** tallyByName with plain objects, as the evaluation holds them. */
export function countsByName(
  counters: Record<string, number>,
  judged = judgedByExpectation(counters),
): Map<string, NameCounts> {
  const out = new Map<string, NameCounts>();
  for (const [name, tally] of tallyByName(counters, judged)) {
    out.set(name, {
      codes: Object.fromEntries(tally.codes),
      errors: Object.fromEntries(tally.errors),
      requests: tally.requests,
      failures: {
        codes: Object.fromEntries(tally.failedCodes),
        errors: Object.fromEntries(tally.failedErrors),
      },
      failed: tally.failed,
    });
  }
  return out;
}

/** How a failure key reads in the report and the CSV: `HTTP 500`, `HTTP 200 (unexpected)`, `ECONNRESET`. */
export function failureLabel(kind: 'codes' | 'errors', key: string): string {
  if (kind === 'errors') return key;
  return Number(key) < 400 ? `HTTP ${key} (unexpected)` : `HTTP ${key}`;
}

/** One row per status or error code of a set of failures, most frequent first. */
export function failureRows(failures: FailureCounts): Array<{ label: string; count: number }> {
  return [
    ...Object.entries(failures.codes).map(([key, count]) => ({
      label: failureLabel('codes', key),
      count,
    })),
    ...Object.entries(failures.errors).map(([key, count]) => ({
      label: failureLabel('errors', key),
      count,
    })),
  ]
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

export function evaluate(results: ArtilleryResults, targets: Targets): Evaluation {
  const agg = results.aggregate ?? {};
  const counters = agg.counters ?? {};
  const summaries = agg.summaries ?? {};
  const stat = targets.statistic;
  const span =
    agg.firstMetricAt !== undefined && agg.lastMetricAt !== undefined
      ? (agg.lastMetricAt - agg.firstMetricAt) / 1000
      : 0;
  const duration = span > 0 ? span : null;
  const perSecond = (n: number) => (duration === null ? null : n / duration);

  const rule = evidenceRule(targets);
  const periods = results.intermediate ?? [];
  // Requests of a name at or over a bound: the worker half's exact count, else what the sketches show.
  const slowerOf = (name: string, bound: number): { slower: number; exact: boolean } => {
    const counted = counters[slowerKey(bound, name)];
    if (counted !== undefined) return { slower: counted, exact: true };
    const key = `${BY_ENDPOINT}response_time.${name}`;
    const inPeriods = periods.map((p) => p.summaries?.[key]);
    return { slower: slowerInSketches(summaries[key], inPeriods, bound), exact: false };
  };

  const endpoints: EndpointResult[] = [];
  for (const [name, { codes, errors, requests, failed, failures }] of countsByName(counters)) {
    const override = targets.endpoints?.[name];
    const rt = responseTimeFor(targets, name);
    const statistic = override?.statistic ?? stat;
    const latency = latencyOf(summaries[`${BY_ENDPOINT}response_time.${name}`]);
    const value = latency ? latency[statistic] : null;
    const tier = value === null ? null : tierOf(value, rt);
    const bound = rt[rt.target];
    const samples = summaries[`${BY_ENDPOINT}response_time.${name}`]?.count ?? 0;
    const evidence = judgeLatency({ statistic, value, samples, bound, ...slowerOf(name, bound) }, rule);
    endpoints.push({
      name,
      class: classify(name, targets.classes),
      requests,
      failed,
      errorRate: rateOf(failed, requests),
      throughput: perSecond(requests),
      latency,
      serverLatency: latencyOf(summaries[`${SERVER_TIME}${name}`]),
      statistic,
      value,
      tier,
      targetTier: rt.target,
      meetsTarget: tier === null || meets(tier, rt.target),
      evidence,
      codes,
      errors,
      failures,
    });
  }
  endpoints.sort((a, b) => a.name.localeCompare(b.name));

  // Where each class's requests fell in time: the later half of the run's periods against all of them.
  const laterByClass = new Map<string, { later: number; all: number }>();
  const startMs = agg.firstMetricAt;
  const endMs = agg.lastMetricAt;
  if (periods.length > 0 && startMs !== undefined && endMs !== undefined && endMs > startMs) {
    const middle = (startMs + endMs) / 2;
    for (const period of periods) {
      const at = period.firstMetricAt ?? Number(period.period);
      if (!Number.isFinite(at)) continue;
      // The share of the period that lies in the later half, not its start alone: a run of one period
      // (or one ending with a short one) would otherwise put nothing in the later half.
      const until = Math.max(period.lastMetricAt ?? at + PERIOD_MS, at + 1);
      const laterPart = Math.min(1, Math.max(0, (until - Math.max(at, middle)) / (until - at)));
      for (const [name, tally] of tallyByName(period.counters ?? {})) {
        const cls = classify(name, targets.classes);
        const entry = laterByClass.get(cls) ?? { later: 0, all: 0 };
        entry.all += tally.requests;
        entry.later += tally.requests * laterPart;
        laterByClass.set(cls, entry);
      }
    }
  }

  const reasons: Reason[] = [];
  const classNames = [
    ...new Set([...endpoints.map((e) => e.class), ...Object.keys(targets.throughput)]),
  ].sort();
  const classes: ClassResult[] = classNames.map((cls) => {
    const eps = endpoints.filter((e) => e.class === cls);
    const requests = eps.reduce((a, e) => a + e.requests, 0);
    const failed = eps.reduce((a, e) => a + e.failed, 0);
    const own = latencyOf(summaries[`${CLASS_RESPONSE_TIME}${cls}`]);
    const slowest =
      eps.filter((e) => e.latency).sort((a, b) => b.latency![stat] - a.latency![stat])[0]?.latency ?? null;
    const latency = own ?? slowest;
    const value = latency ? latency[stat] : null;
    const tier = value === null ? null : tierOf(value, targets.responseTime);
    // The pool: every request of the class against its own endpoint's bound (logins have their own).
    const pool = (boundOf: (rt: Targets['responseTime']) => number): LatencyEvidence => {
      let samples = 0;
      let slower = 0;
      let exact = true;
      let over = false;
      for (const ep of eps) {
        if (!ep.evidence || ep.latency === null) continue;
        const bound = boundOf(responseTimeFor(targets, ep.name));
        const counted = bound === ep.evidence.bound ? ep.evidence : slowerOf(ep.name, bound);
        samples += ep.evidence.samples;
        slower += counted.slower;
        exact &&= counted.exact;
        if (ep.latency[stat] >= bound) over = true;
      }
      // The pool reads over its bounds when one of its endpoints does (an endpoint within its own bound
      // cannot raise the pool's slow share above the tail) and its slow requests are more than that tail.
      const share = tailShare(stat);
      const overall = over && (share === null || slower > share * samples);
      const bound = boundOf(targets.responseTime);
      return judgeLatency({ statistic: stat, value, samples, bound, slower, exact, over: overall }, rule);
    };
    const evidence = pool((rt) => rt[rt.target]);
    const saturation = pool((rt) => rt.acceptable);
    const throughput = perSecond(requests);
    const target = targets.throughput[cls] ?? null;
    const spread = laterByClass.get(cls);
    const laterShare = spread && spread.all > 0 ? spread.later / spread.all : null;
    let status: ThroughputStatus;
    if (target === null) status = 'no-target';
    else if (requests === 0 || throughput === null) status = 'not-exercised';
    // Set-up traffic (a module run's start-up logins): its rate over the whole run says nothing of what
    // the server can take, so neither a pass nor a saturated fail.
    else if (laterShare !== null && laterShare < STEADY_SHARE) status = 'one-off';
    else if (throughput >= target) status = 'pass';
    // Below target while the server still answered within the acceptable tier: the load offered (a closed
    // model's users / cycle time) was the limit, not the server. Say so instead of passing or failing.
    // Only a saturated class (shown slower than acceptable) fails: its latency then holds the rate down.
    else if (saturation.status !== 'breached') status = 'not-exercised';
    else status = 'fail';
    if (status === 'fail') {
      reasons.push({
        verdict: 'FAIL',
        kind: 'saturated',
        subject: cls,
        message:
          `${cls} throughput ${fmtRps(throughput!)} is below its target of ${target} req/s ` +
          `and the class is saturated (${stat} ${value ?? '-'} ms, ${tier}; ${evidenceNote(saturation)})`,
      });
    }
    // The pool fails the run only where no endpoint of it failed alone (slow or broken): those are then
    // the finding.
    const failedAlone = eps.some(
      (ep) =>
        (!ep.meetsTarget && ep.evidence?.status === 'breached') ||
        (ep.requests >= BROKEN_MIN_REQUESTS && ep.errorRate >= targets.errorRate.brokenEndpoint),
    );
    if (evidence.status === 'breached' && !failedAlone) {
      const atLeast = evidence.exact ? '' : 'at least ';
      reasons.push({
        verdict: 'FAIL',
        kind: 'slow-class',
        subject: cls,
        message:
          `${cls} class ${stat} is over its target tiers: ${atLeast}${evidence.slower} of ` +
          `${evidence.samples} requests took their endpoint's target bound or more` +
          (evidence.needed === null ? '' : ` (${evidence.needed} show it)`),
      });
    }
    return {
      class: cls,
      requests,
      failed,
      errorRate: rateOf(failed, requests),
      throughput,
      throughputTarget: target,
      throughputStatus: status,
      laterShare,
      latency,
      serverLatency: latencyOf(summaries[`${SERVER_TIME_CLASS}${cls}`]),
      latencyApproximate: own === null && latency !== null,
      value,
      tier,
      evidence,
      saturation,
    };
  });

  const requests = endpoints.reduce((a, e) => a + e.requests, 0);
  const failed = endpoints.reduce((a, e) => a + e.failed, 0);
  const overallRate = rateOf(failed, requests);
  const level = errorLevel(overallRate, targets.errorRate);
  const overallLatency = latencyOf(summaries[HTTP_RESPONSE_TIME]);
  const overallFailures: FailureCounts = { codes: {}, errors: {} };
  for (const endpoint of endpoints) {
    for (const [key, count] of Object.entries(endpoint.failures.codes))
      addTo(overallFailures.codes, key, count);
    for (const [key, count] of Object.entries(endpoint.failures.errors))
      addTo(overallFailures.errors, key, count);
  }
  const overallValue = overallLatency ? overallLatency[stat] : null;

  if (requests === 0)
    reasons.push({
      verdict: 'FAIL',
      kind: 'no-requests',
      message: 'no requests were made: nothing was measured',
    });
  // Users the generator lost to its own errors: the run offered less than its profile's load, whatever the
  // API did, so it cannot pass.
  const usersStopped = counterMap(counters, USERS_STOPPED);
  const { byReason: lost, total } = generatorStops(usersStopped);
  if (total > 0)
    reasons.push({
      verdict: 'FAIL',
      kind: 'users-lost',
      message:
        `${total} user${total === 1 ? '' : 's'} ended on an error of the load generator, not of the API ` +
        `(${lost.map(([reason, count]) => `${reason} ${count}`).join(', ')}): the run did not offer its ` +
        "profile's load; the first error is in Artillery's output",
    });
  if (level === 'critical')
    reasons.push({
      verdict: 'FAIL',
      kind: 'error-rate',
      message: `error rate ${fmtPct(overallRate)} is critical (>= ${fmtPct(targets.errorRate.critical)})`,
    });
  else if (level === 'high')
    reasons.push({
      verdict: 'FAIL',
      kind: 'error-rate',
      message:
        `error rate ${fmtPct(overallRate)} is above the warning level ` +
        `(>= ${fmtPct(targets.errorRate.warning)})`,
    });
  else if (level === 'warning')
    reasons.push({
      verdict: 'WARN',
      kind: 'error-rate',
      message:
        `error rate ${fmtPct(overallRate)} is above acceptable ` +
        `(>= ${fmtPct(targets.errorRate.acceptable)})`,
    });
  for (const endpoint of endpoints) {
    if (endpoint.requests >= BROKEN_MIN_REQUESTS && endpoint.errorRate >= targets.errorRate.brokenEndpoint) {
      reasons.push({
        verdict: 'FAIL',
        kind: 'broken',
        subject: endpoint.name,
        message:
          `${endpoint.name} failed ${endpoint.failed} of ${endpoint.requests} requests ` +
          `(${fmtPct(endpoint.errorRate)}): ` +
          failureRows(endpoint.failures)
            .slice(0, 3)
            .map((r) => `${r.count} × ${r.label}`)
            .join(', '),
      });
    }
    // Slow only on evidence: enough requests, enough of them slow (grading/evidence.ts). The rest are
    // judged in their class's pool and shown as such by the findings.
    if (!endpoint.meetsTarget && endpoint.evidence?.status === 'breached') {
      reasons.push({
        verdict: 'FAIL',
        kind: 'slow',
        subject: endpoint.name,
        message:
          `${endpoint.name} ${endpoint.statistic} ${endpoint.value} ms is ${endpoint.tier}, ` +
          `below its target tier ${endpoint.targetTier}: ` +
          evidenceNote(endpoint.evidence),
      });
    }
  }

  const verdict: Verdict = reasons.some((r) => r.verdict === 'FAIL')
    ? 'FAIL'
    : reasons.length > 0
      ? 'WARN'
      : 'PASS';
  const exitCode = verdict === 'PASS' || !targets.failOn.includes(verdict) ? 0 : EXIT_CODES[verdict];
  return {
    ...(results.guard ? { guard: results.guard } : {}),
    verdict,
    exitCode,
    reasons,
    statistic: stat,
    durationSeconds: duration,
    overall: {
      requests,
      failed,
      errorRate: overallRate,
      errorLevel: level,
      throughput: perSecond(requests),
      latency: overallLatency,
      value: overallValue,
      tier: overallValue === null ? null : tierOf(overallValue, targets.responseTime),
      failures: overallFailures,
    },
    classes,
    endpoints,
    pack: {
      logins: counters[LOGINS] ?? 0,
      relogins: counters[RELOGINS] ?? 0,
      loginRetries: counters[LOGIN_RETRIES] ?? 0,
      unexpected401: counters[UNEXPECTED_401] ?? 0,
      usersStarted: counterMap(counters, USERS_STARTED),
      usersStopped,
      skipped: counterMap(counters, SKIPPED),
      peakConcurrentUsers: peakConcurrentUsers(results.intermediate ?? []),
    },
  };
}
