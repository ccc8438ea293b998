// The capacity finder's judgement, pure: grading a step against the targets and the step before it, the
// next load to try (geometric steps up to the first break, then halving the bracket between the best
// passing and the first breaking step), and the answer line. commands/capacity.ts runs the steps; the report
// draws `CapacityResult` (report/render-capacity.ts).

import { type Evaluation, meets } from './evaluation.js';
import { type Targets, TIERS, type Tier } from './targets.js';

export interface CapacityStepResult {
  settleSeconds: number;
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

/** The share of its budget at or above which a generator is the limit of a step. */
export const GENERATOR_BOUND_SHARE = 0.9;

export type LimitKind = 'latency' | 'errors' | 'throughput' | 'generator' | 'no-data';

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
  passed: boolean;
  /** The step's files, relative to the capacity result. */
  results?: string;
  /** The step's Artillery run from spawn to exit: its length plus start-up and shut-down. */
  wallSeconds?: number;
}

export interface CapacityRules {
  /** The throughput rule: achieved req/s must grow by at least this share of the offered growth. */
  followShare: number;
  stepFactor: number;
  maxUsers: number;
  maxSteps: number;
  /** Bisection stops when the first breaking load is within this share above the best passing one. */
  bracket: number;
}

export const DEFAULT_RULES: CapacityRules = {
  followShare: 0.2, // the issue's example: +50 % offered, less than +10 % achieved
  stepFactor: 1.5,
  maxUsers: 1000,
  maxSteps: 12,
  bracket: 0.05,
};

export type AnswerKind = 'capacity' | 'generator' | 'bound' | 'below-start' | 'none';

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
  const e = step.evaluation;
  const share = step.generator.cores === null ? null : step.generator.cores / step.generator.budget;
  const generatorBound = share !== null && share >= GENERATOR_BOUND_SHARE;
  const limits: Limit[] = [];
  const achieved = e?.overall.throughput ?? null;
  if (e === null || e.overall.requests === 0) {
    limits.push({
      kind: 'no-data',
      subject: 'the step',
      message: 'no request was measured after the settle time',
    });
  } else {
    if (e.overall.errorRate >= targets.errorRate.warning)
      limits.push({
        kind: 'errors',
        subject: 'all requests',
        message:
          `error rate ${pct(e.overall.errorRate)} is at or above warning ` +
          `(${pct(targets.errorRate.warning)})`,
      });
    for (const r of e.reasons)
      if (r.kind === 'broken')
        limits.push({ kind: 'errors', subject: r.subject ?? 'a request', message: r.message });
    for (const c of e.classes) {
      const target = classTarget(e, c.class, targets.responseTime.target);
      if (c.tier !== null && c.value !== null && !meets(c.tier, target))
        limits.push({
          kind: 'latency',
          subject: `${c.class} class`,
          message: `${e.statistic} ${c.value} ms is ${c.tier}, past its target tier ${target}`,
        });
    }
    for (const ep of e.endpoints)
      if (!ep.meetsTarget)
        limits.push({
          kind: 'latency',
          subject: ep.name,
          message: `${ep.statistic} ${ep.value} ms is ${ep.tier}, past its target tier ${ep.targetTier}`,
        });
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
  if (generatorBound)
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
    errorRate: e?.overall.errorRate ?? null,
    classes: (e?.classes ?? [])
      .filter((c) => c.requests > 0)
      .map((c) => ({
        class: c.class,
        requests: c.requests,
        p50: c.latency?.p50 ?? null,
        p95: c.latency?.p95 ?? null,
        p99: c.latency?.p99 ?? null,
      })),
    gradedPeriods: step.gradedPeriods,
    generator: { ...step.generator, share },
    generatorBound,
    limits,
    passed: limits.length === 0,
  };
}

/** The passing step with the most users below `users`: what a new step's throughput is compared with. */
export function previousGood(rows: readonly CapacityStepRow[], users: number): CapacityStepRow | null {
  return rows.filter((r) => r.passed && r.users < users).sort((a, b) => b.users - a.users)[0] ?? null;
}

/** The next offered load, or why the finder stops. */
export function nextStep(
  rows: readonly CapacityStepRow[],
  rules: CapacityRules,
): { users: number } | { stop: string } {
  const last = rows.at(-1);
  if (!last) return { stop: 'no step ran' };
  if (last.generatorBound) return { stop: `the load generator was the limit at ${last.users} users` };
  if (rows.length >= rules.maxSteps) return { stop: `reached the step limit (${rules.maxSteps} steps)` };
  const broken = rows.filter((r) => !r.passed);
  if (broken.length === 0) {
    if (last.users >= rules.maxUsers) return { stop: `reached the user limit (${rules.maxUsers} users)` };
    return {
      users: Math.min(rules.maxUsers, Math.max(last.users + 1, Math.round(last.users * rules.stepFactor))),
    };
  }
  const lowBad = Math.min(...broken.map((r) => r.users));
  const good = previousGood(rows, lowBad);
  if (good === null) return { stop: `the first step (${rows[0]!.users} users) already broke a limit` };
  if (lowBad - good.users <= 1 || lowBad <= good.users * (1 + rules.bracket))
    return { stop: `bracketed between ${good.users} and ${lowBad} users` };
  return { users: Math.round((good.users + lowBad) / 2) };
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
    const limit = last.limits.find((l) => l.kind === 'generator')!;
    return {
      kind: 'generator',
      reqPerSec: last.achieved,
      users: last.users,
      limit,
      limitUsers: last.users,
      line:
        `capacity: not measured, above ${fmtRate(last.achieved)} req/s at ${last.users} users ` +
        `(the load generator limits: ${limit.message})`,
    };
  }
  const firstBroken = rows.filter((r) => !r.passed).sort((a, b) => a.users - b.users)[0] ?? null;
  const limit = firstBroken?.limits[0] ?? null;
  if (best === null) {
    return {
      kind: 'below-start',
      reqPerSec: null,
      users: null,
      limit,
      limitUsers: firstBroken?.users ?? null,
      line:
        `capacity: below the first step's ${rows[0]!.users} users ` +
        `(${limit?.subject ?? 'nothing'} limits: ${limit?.message ?? stoppedBecause}): start lower (--start)`,
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

/** One console line per step. */
export function stepLine(r: CapacityStepRow): string {
  const p95 = r.classes.map((c) => `${c.class} ${c.p95 ?? '–'}`).join(', ');
  const gen =
    r.generator.share === null
      ? 'generator CPU –'
      : `generator ${pct(r.generator.share)} of ${cores(r.generator.budget)}`;
  const err = r.errorRate === null ? '–' : pct(r.errorRate);
  const verdict = r.passed
    ? 'meets every target'
    : `breaks: ${r.limits.map((l) => `${l.subject}: ${l.message}`).join('; ')}`;
  return (
    `step ${r.index}: ${r.users} users → ${fmtRate(r.achieved)} req/s, p95 ms ${p95 || '–'}, ` +
    `errors ${err}, ${gen}: ${verdict}`
  );
}
