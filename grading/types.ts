// The shapes grading passes around: Artillery's report as grading reads it and a regression check's
// result. Kept here, apart from the functions, so that the grading modules import no circle.
import type { GuardAction, Statistic } from './targets.js';

export type ErrorLevel = 'ok' | 'warning' | 'high' | 'critical';

export interface Summary {
  min: number;
  max: number;
  count: number;
  mean: number;
  p50: number;
  median?: number;
  p75?: number;
  p90?: number;
  p95: number;
  p99: number;
  p999?: number;
}

export interface ArtilleryReport {
  counters?: Record<string, number>;
  summaries?: Record<string, Summary>;
  firstMetricAt?: number;
  lastMetricAt?: number;
  period?: number | string;
}

export interface ArtilleryResults {
  aggregate: ArtilleryReport;
  intermediate?: ArtilleryReport[];
  /** What the live guard saw and did (grading/error-rate-guard.ts); a stop makes the verdict ABORTED. */
  guard?: GuardRecord;
}

export interface GuardWindow {
  seconds: number;
  /** Epoch ms. */
  from: number;
  to: number;
  requests: number;
  failed: number;
  errorRate: number;
}

export interface GuardEvent {
  /** `level`: the error level changed; `latency`: the set of slow classes changed. */
  kind: 'level' | 'latency';
  /** What the guard does about it; `stop` ends the run. */
  action: GuardAction;
  /** Epoch ms: the end of the window judged. */
  at: number;
  /** Seconds from the run's first slice to `at`. */
  elapsedSeconds: number;
  level: ErrorLevel;
  previous: ErrorLevel;
  window: GuardWindow;
  /** The classes slower than the latency bound for the whole window (kind `latency`). */
  slowClasses: string[];
  /** One line, e.g. "ABORTED by the guard at 2:40: error rate 23 % over the last 30 s (critical ≥ 10 %)". */
  message: string;
}

/** What a guard's run ends with: its events, and the stop if there was one. */
export interface GuardRecord {
  events: GuardEvent[];
  stop: GuardEvent | null;
}

export interface RegressionRule {
  statistic: Statistic;
  /** Allowed relative worsening of the statistic (0.2 = +20 %). */
  latency: number;
  /** Allowed absolute rise of the error rate (0.01 = +1 point). */
  errorRate: number;
  minRequests: number;
  minChangeMs: number;
  /** Allowed relative worsening of the whole run's statistic; undefined: the whole run is not judged. */
  runShift: number | undefined;
  classes: Record<string, { latency?: number | undefined; errorRate?: number | undefined }>;
  endpoints: Record<string, { latency?: number | undefined; errorRate?: number | undefined }>;
}

export type CheckKind = 'latency' | 'error-rate';
/** Whose latency a check judged: the server's own time (Server-Timing) or the client's. */
export type LatencySource = 'server' | 'client';
export type Scope = 'endpoint' | 'class' | 'overall';
/**
 * `noise`: worse by more than allowed, but not by more than the data can show. `shift`: the whole run is
 * slower by more than allowed, not judged (regression.runShift unset).
 */
export type CheckStatus = 'regression' | 'ok' | 'noise' | 'improved' | 'shift' | 'too-few' | 'new' | 'gone';

export interface RegressionCheck {
  kind: CheckKind;
  scope: Scope;
  subject: string;
  before: number | null;
  after: number | null;
  /** Latency: relative (0.25 = +25 %); error rate: absolute (0.02 = +2 points). */
  change: number | null;
  allowed: number;
  /** 'server': the server's own time was judged (absent: the client's). */
  source?: 'server';
  status: CheckStatus;
  /** Why, in a few words. */
  note: string;
}

export interface RegressionResult {
  baseline: { name: string; file: string | null; runTag: string | null; savedAt: string | null };
  rule: RegressionRule;
  /** Whose latency endpoints and classes were judged on; absent in results from before it (the client's). */
  source?: LatencySource;
  /** The run's common shift (commonShift()): endpoints and classes were judged against it. */
  shift: number;
  /** The endpoints' run-to-run spread (runSpread()), a standard deviation of log changes. */
  spread: number;
  checks: RegressionCheck[];
  /** The checks with status `regression`. */
  regressions: number;
  /** How much was compared (coverageOf()); absent in evaluations saved before it. */
  coverage?: RegressionCoverage;
}

/**
 * How much a comparison could compare: a green "no regression" over checks that were all too few says
 * nothing. `inconclusive`: no regression, but under half of the run's requests fell under a compared
 * endpoint check.
 */
export interface RegressionCoverage {
  checks: number;
  /** Checks that compared the two runs (ok, noise, improved, regression, shift). */
  compared: number;
  /** Checks with too few requests on a side (minRequests). */
  tooFewRequests: number;
  /** Checks with too few 10 s periods, or no latency on a side. */
  tooFewOther: number;
  /** The share of this run's requests whose endpoint had a compared check. */
  requestShare: number;
  inconclusive: boolean;
}

/**
 * How a run ended when it did not end by itself: the verdict shown is the kind, the exit code is the one the
 * process returns, and the grade of what was measured stays beside it. A new way to end adds a kind.
 */
/** ABORTED: the live error-rate guard stopped the run (grading/error-rate-guard.ts). */
export const STOP_KINDS = ['INTERRUPTED', 'KILLED', 'ABORTED'] as const;
export type StopKind = (typeof STOP_KINDS)[number];

export interface RunStop {
  kind: StopKind;
  /** The signal that ended it (SIGINT, SIGTERM, SIGKILL), when one did. */
  signal: string | null;
  exitCode: number;
  /** One line for a person, e.g. "interrupted by SIGTERM: the verdict covers the periods before the stop". */
  line: string;
  /** When the guard decided to stop (epoch ms): the report marks it on its charts. */
  at?: number;
}
