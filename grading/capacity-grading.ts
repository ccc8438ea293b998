// The capacity finder's judgement, pure: grading a step against the targets and the step before it, and the
// answer line. The next load to try is grading/capacity-search.ts's; commands/capacity.ts runs the steps; the
// report draws `CapacityResult` (report/render-capacity.ts).
//
// A step breaks only on what its sample shows: a class past its target tier with enough requests to show
// it, an endpoint likewise (the evaluation's latency evidence, grading/evidence.ts, when it carries one;
// otherwise an endpoint needs MIN_ALONE requests, else it counts in its class only), an error rate, or
// throughput that stopped following the load. One slow request in a stall on an endpoint of 27 requests is
// not a capacity limit, and fewer users would only give fewer samples. Where the server sends its own time
// (Server-Timing), a latency limit must show there as well: a load generator starved of CPU (a busy
// machine) inflates the client's times, and that is the generator's limit, not the API's.

import { type Evaluation, meets } from './evaluation.js';
import { EXIT } from './exit-codes.js';
import { type Targets, TIERS, type Tier } from './targets.js';

export interface CapacityStepResult {
  settleSeconds: number;
  /**
   * Seconds from the step's first metric to the end of the last period still in its users' first logins
   * (graded only after it); null when no period was. Absent in results from before it.
   */
  loginSeconds?: number | null;
  /** Periods graded (the last may be partial: the step ends inside it). */
  gradedPeriods: number;
  /** ms since the epoch: the graded window. */
  windowStart: number | null;
  windowEnd: number | null;
  evaluation: Evaluation | null;
  /**
   * cores: average CPU of the generator's process over the window; addedP95: the client's time minus the
   * server's own (Server-Timing), p95 ms: latency the generator side added, when the server sends it.
   */
  generator: { cores: number | null; budget: number; addedP95?: number | null };
}

/**
 * Requests an endpoint or class needs for its latency to break a step on its own, when the evaluation
 * carries no evidence of its own (grading/evidence.ts's minimum sample).
 */
export const MIN_ALONE = 20;

/** What the finder reads of a latency check's evidence (grading/evidence.ts), when the evaluation has it. */
interface WithEvidence {
  evidence?: { status: string };
}

/** Whether a check's sample shows its target missed; `fallback` when the evaluation carries no evidence. */
function showsBreach(check: object, fallback: boolean): boolean {
  const evidence = (check as WithEvidence).evidence;
  return evidence ? evidence.status === 'breached' : fallback;
}

/** Whether a check had requests enough to be judged at all. */
function judgeable(check: object, requests: number): boolean {
  const evidence = (check as WithEvidence).evidence;
  return evidence ? evidence.status !== 'too-few' && evidence.status !== 'no-data' : requests >= MIN_ALONE;
}

/** The share of its budget at or above which a generator is the limit of a step. */
export const GENERATOR_BOUND_SHARE = 0.9;

/** `generator`: its CPU ran out; `generator-error`: it lost users to its own errors (a bug, not load). */
export type LimitKind = 'latency' | 'errors' | 'throughput' | 'generator' | 'generator-error' | 'no-data';

export interface Limit {
  kind: LimitKind;
  /** The class, request name, or what else is the limit. */
  subject: string;
  message: string;
}

export interface ClassRow {
  class: string;
  requests: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface CapacityStepRow {
  index: number;
  /** Offered load: concurrent users (a closed model: each user logs in, then loops task and think time). */
  users: number;
  achieved: number | null;
  errorRate: number | null;
  classes: ClassRow[];
  gradedPeriods: number;
  generator: { cores: number | null; budget: number; share: number | null; addedP95?: number | null };
  generatorBound: boolean;
  limits: Limit[];
  /**
   * Whether some class had requests enough to judge its latency: a step without is neither passed nor
   * broken (too few requests), and the search grows past it.
   */
  judged?: boolean;
  /**
   * The largest share of its bound that a judged class's statistic reached (0.2: a fifth of the way to
   * its target tier's upper bound): how far the step was from a latency limit. Null when none was judged.
   */
  headroom?: number | null;
  passed: boolean;
  /** The step's files, relative to the capacity result. */
  results?: string;
  /** The step's Artillery run from spawn to exit: its length plus start-up and shut-down. */
  wallSeconds?: number;
  /** How long its users' first logins ran (CapacityStepResult.loginSeconds). */
  loginSeconds?: number | null;
  /** Seconds the step ran past settle + 40 s, for logins that outlast the settle time. */
  extraSeconds?: number;
}

export interface CapacityRules {
  /** The throughput rule: achieved req/s must grow by at least this share of the offered growth. */
  followShare: number;
  stepFactor: number;
  /** Grow faster far from every limit (grading/capacity-search.ts); off when --step-factor is given. */
  adaptive: boolean;
  /** The search stops when the best passing step achieved within this share of the breaking one's req/s. */
  kneeShare: number;
  maxUsers: number;
  maxSteps: number;
  /** Bisection stops when the first breaking load is within this share above the best passing one. */
  bracket: number;
}

export const DEFAULT_RULES: CapacityRules = {
  followShare: 0.2, // the issue's example: +50 % offered, less than +10 % achieved
  stepFactor: 1.5,
  adaptive: true,
  kneeShare: 0.1,
  maxUsers: 1000,
  maxSteps: 12,
  bracket: 0.05,
};

export type AnswerKind = 'capacity' | 'generator' | 'generator-error' | 'bound' | 'below-start' | 'none';

export interface CapacityAnswer {
  kind: AnswerKind;
  /** req/s of the best passing step (the generator-bound step's for kind generator). */
  reqPerSec: number | null;
  users: number | null;
  limit: Limit | null;
  /** The users at which the limit was found. */
  limitUsers: number | null;
  line: string;
}

export interface CapacityResult {
  offeredUnit: 'users';
  mix: string;
  thinkFactor: number;
  settleSeconds: number;
  stepSeconds: number;
  statistic: string;
  stoppedBecause: string;
  steps: CapacityStepRow[];
  answer: CapacityAnswer;
}

const pct = (r: number) => `${(r * 100).toFixed(Math.abs(r) < 0.1 ? 1 : 0)} %`;
const signedPct = (r: number) => `${r >= 0 ? '+' : '−'}${pct(Math.abs(r))}`;
export const fmtRate = (r: number | null) => (r === null ? '–' : r.toFixed(r < 100 ? 1 : 0));
const cores = (n: number) => `${n % 1 === 0 ? n : n.toFixed(2)} core${n === 1 ? '' : 's'}`;

/** A tier's upper bound in ms (unacceptable has none: poor's stands in). */
const upperBound = (targets: Targets, tier: Tier) =>
  targets.responseTime[tier === 'unacceptable' ? 'poor' : tier];

/** The loosest target tier among a class's endpoints (logins carry their own, looser one). */
function classTarget(evaluation: Evaluation, cls: string, fallback: Tier): Tier {
  const tiers = evaluation.endpoints.filter((e) => e.class === cls).map((e) => e.targetTier);
  return tiers.reduce((a, t) => (TIERS.indexOf(t) > TIERS.indexOf(a) ? t : a), tiers[0] ?? fallback);
}

export function gradeStep(
  index: number,
  users: number,
  step: CapacityStepResult,
  previousGood: CapacityStepRow | null,
  targets: Targets,
  rules: Pick<CapacityRules, 'followShare'> = DEFAULT_RULES,
): CapacityStepRow {
  const evaluation = step.evaluation;
  const share = step.generator.cores === null ? null : step.generator.cores / step.generator.budget;
  const cpuBound = share !== null && share >= GENERATOR_BOUND_SHARE;
  // Users the generator lost to its own errors: the step offered less than its users, so it measured the
  // generator, as a step at its CPU limit does.
  const usersLost = evaluation?.reasons.find((reason) => reason.kind === 'users-lost');
  const generatorBound = cpuBound || usersLost !== undefined;
  const limits: Limit[] = [];
  let judged = false;
  let headroom: number | null = null;
  const achieved = evaluation?.overall.throughput ?? null;
  if (evaluation === null || evaluation.overall.requests === 0) {
    limits.push({
      kind: 'no-data',
      subject: 'the step',
      message: 'no request was measured after the settle time',
    });
  } else {
    if (evaluation.overall.errorRate >= targets.errorRate.warning)
      limits.push({
        kind: 'errors',
        subject: 'all requests',
        message:
          `error rate ${pct(evaluation.overall.errorRate)} is at or above warning ` +
          `(${pct(targets.errorRate.warning)})`,
      });
    for (const reason of evaluation.reasons)
      if (reason.kind === 'broken')
        limits.push({ kind: 'errors', subject: reason.subject ?? 'a request', message: reason.message });
    for (const classResult of evaluation.classes) {
      const target = classTarget(evaluation, classResult.class, targets.responseTime.target);
      if (
        classResult.requests === 0 ||
        classResult.value === null ||
        !judgeable(classResult, classResult.requests)
      )
        continue;
      judged = true;
      const server = classResult.serverLatency?.[evaluation.statistic] ?? null;
      const bound = upperBound(targets, target);
      headroom = Math.max(headroom ?? 0, (server ?? classResult.value) / bound);
      const missed = classResult.tier !== null && !meets(classResult.tier, target);
      // Where the server sends its own time, it must show the breach too: a starved generator is no limit.
      if (showsBreach(classResult, missed) && (server === null || server >= bound))
        limits.push({
          kind: 'latency',
          subject: `${classResult.class} class`,
          message:
            `${evaluation.statistic} ${classResult.value} ms is ${classResult.tier}, ` +
            `past its target tier ${target}` +
            (server === null ? '' : ` (${server} ms at the server)`),
        });
    }
    for (const ep of evaluation.endpoints) {
      const server = ep.serverLatency?.[ep.statistic] ?? null;
      const atServer = server === null || server >= upperBound(targets, ep.targetTier);
      if (showsBreach(ep, !ep.meetsTarget && ep.requests >= MIN_ALONE) && atServer)
        limits.push({
          kind: 'latency',
          subject: ep.name,
          message:
            `${ep.statistic} ${ep.value} ms is ${ep.tier}, past its target tier ${ep.targetTier} ` +
            `(${ep.requests} requests)`,
        });
    }
    if (previousGood?.achieved && achieved !== null && users > previousGood.users) {
      const offered = users / previousGood.users - 1;
      const got = achieved / previousGood.achieved - 1;
      if (got < rules.followShare * offered)
        limits.push({
          kind: 'throughput',
          subject: 'throughput',
          message:
            `${signedPct(offered)} users gave ${signedPct(got)} req/s ` +
            `(${fmtRate(previousGood.achieved)} → ${fmtRate(achieved)})`,
        });
    }
  }
  if (usersLost !== undefined)
    limits.push({ kind: 'generator-error', subject: 'the load generator', message: usersLost.message });
  if (cpuBound)
    limits.push({
      kind: 'generator',
      subject: 'the load generator',
      message:
        `its CPU ran at ${pct(share!)} of ${cores(step.generator.budget)}: ` +
        'bounded by the load generator, not the API',
    });
  return {
    index,
    users,
    achieved,
    errorRate: evaluation?.overall.errorRate ?? null,
    classes: (evaluation?.classes ?? [])
      .filter((c) => c.requests > 0)
      .map((classResult) => ({
        class: classResult.class,
        requests: classResult.requests,
        p50: classResult.latency?.p50 ?? null,
        p95: classResult.latency?.p95 ?? null,
        p99: classResult.latency?.p99 ?? null,
      })),
    gradedPeriods: step.gradedPeriods,
    loginSeconds: step.loginSeconds ?? null,
    generator: { ...step.generator, share },
    generatorBound,
    limits,
    judged,
    headroom: headroom === null ? null : Math.round(headroom * 1000) / 1000,
    passed: limits.length === 0 && judged,
  };
}

/** Whether a generator-bound step lost users to the pack's own errors: more generators would not help. */
export const generatorFailed = (r: CapacityStepRow) => r.limits.some((l) => l.kind === 'generator-error');

/** Whether a step broke a limit (a step with too few requests to judge neither passed nor broke). */
export const broke = (r: CapacityStepRow) => r.limits.length > 0;

/** The passing step with the most users below `users`: what a new step's throughput is compared with. */
export function previousGood(rows: readonly CapacityStepRow[], users: number): CapacityStepRow | null {
  return rows.filter((r) => r.passed && r.users < users).sort((a, b) => b.users - a.users)[0] ?? null;
}

/** The finder's exit code for its answer (grading/exit-codes.ts). */
export function answerExitCode(kind: AnswerKind): number {
  // No graded step at all is the tool's failure, not the API's (FAIL is a first step that broke a target).
  if (kind === 'none') return EXIT.NOTHING_GRADED;
  if (kind === 'capacity' || kind === 'bound') return EXIT.PASS;
  return kind === 'generator' || kind === 'generator-error' ? EXIT.GENERATOR_LIMIT : EXIT.FAIL;
}

/** The answer: the best passing step's req/s and what limited the load above it. */
export function capacityAnswer(rows: readonly CapacityStepRow[], stoppedBecause: string): CapacityAnswer {
  const last = rows.at(-1);
  const best =
    rows.filter((r) => r.passed && r.achieved !== null).sort((a, b) => b.achieved! - a.achieved!)[0] ?? null;
  if (!last)
    return {
      kind: 'none',
      reqPerSec: null,
      users: null,
      limit: null,
      limitUsers: null,
      line: `capacity: no step was graded (${stoppedBecause || 'no step ran'})`,
    };
  if (last.generatorBound) {
    const failed = generatorFailed(last);
    const limit = last.limits.find((l) => l.kind === (failed ? 'generator-error' : 'generator'))!;
    return {
      kind: failed ? 'generator-error' : 'generator',
      reqPerSec: last.achieved,
      users: last.users,
      limit,
      limitUsers: last.users,
      // Lost users are a fault to fix, not a limit to scale past: no "above N req/s".
      line: failed
        ? `capacity: not measured: at ${last.users} users, ${limit.message}`
        : `capacity: not measured, above ${fmtRate(last.achieved)} req/s at ${last.users} users ` +
          `(the load generator limits: ${limit.message})`,
    };
  }
  const firstBroken = rows.filter(broke).sort((a, b) => a.users - b.users)[0] ?? null;
  const limit = firstBroken?.limits[0] ?? null;
  if (best === null) {
    // The search already stepped down as far as a step still had requests enough to judge: no advice to
    // start lower, which could only give fewer samples.
    const lowest = firstBroken?.users ?? Math.min(...rows.map((r) => r.users));
    const unjudged = rows.filter((r) => !r.passed && !broke(r)).sort((a, b) => b.users - a.users)[0];
    const below = unjudged ? `; ${unjudged.users} users gave too few requests to judge` : '';
    return {
      kind: 'below-start',
      reqPerSec: null,
      users: null,
      limit,
      limitUsers: firstBroken?.users ?? null,
      line:
        `capacity: below ${lowest} users ` +
        `(${limit?.subject ?? 'nothing'} limits: ${limit?.message ?? stoppedBecause}${below})`,
    };
  }
  if (limit === null || firstBroken === null) {
    return {
      kind: 'bound',
      reqPerSec: best.achieved,
      users: best.users,
      limit: null,
      limitUsers: null,
      line:
        `capacity: at least ${fmtRate(best.achieved)} req/s at ${best.users} users ` +
        `(no limit found: ${stoppedBecause})`,
    };
  }
  return {
    kind: 'capacity',
    reqPerSec: best.achieved,
    users: best.users,
    limit,
    limitUsers: firstBroken.users,
    line:
      `capacity: ${fmtRate(best.achieved)} req/s at ${best.users} users ` +
      `(${limit.subject} limits: ${limit.message}, at ${firstBroken.users} users)`,
  };
}

/** The whole periods a step is sized to grade (settle + 40 s). */
export const MIN_GRADED_PERIODS = 3;

/** One console line per step. */
export function stepLine(row: CapacityStepRow): string {
  const p95 = row.classes.map((c) => `${c.class} ${c.p95 ?? '–'}`).join(', ');
  const gen =
    row.generator.share === null
      ? 'generator CPU –'
      : `generator ${pct(row.generator.share)} of ${cores(row.generator.budget)}`;
  const err = row.errorRate === null ? '–' : pct(row.errorRate);
  const verdict = row.passed
    ? 'meets every target'
    : broke(row)
      ? `breaks: ${row.limits.map((l) => `${l.subject}: ${l.message}`).join('; ')}`
      : 'too few requests to judge';
  // Logins that outlasted the step's predicted length leave it fewer periods than it was sized for.
  const short =
    row.gradedPeriods < MIN_GRADED_PERIODS
      ? ` (${row.gradedPeriods} graded periods: logins ran to ${row.loginSeconds ?? '–'} s)`
      : '';
  return (
    `step ${row.index}: ${row.users} users → ${fmtRate(row.achieved)} req/s, p95 ms ${p95 || '–'}, ` +
    `errors ${err}, ${gen}: ${verdict}${short}`
  );
}
