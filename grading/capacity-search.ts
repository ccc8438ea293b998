// The capacity finder's search policy, pure: given the steps graded so far, the users of the next step or why
// the search stops. commands/capacity.ts runs the steps, grading/capacity-grading.ts grades each.
// - Up to the first break, the load grows by how far the step was from its limits: ×8 while every class's
//   statistic is under an eighth of its bound and throughput followed the load, ×4 under a quarter, ×2
//   under half, else the step factor (1.5). A finder that always grows by ×1.5 from 10 users spends most
//   of its time far from any limit; overshooting costs little, as the step after a break aims at the knee.
//   The growth is capped so the load generator's CPU, read as growing with the load, stays under 80 % of
//   its budget while it can: a step bounded by the generator measures nothing about the API.
// - After a break, the next step aims at the throughput knee: in a closed model, users × (the best passing
//   step's req/s per user) is the demand they offer, so the users whose demand equals the breaking step's
//   achieved req/s are where the throughput flattens. When the breaking step fell short of its demand, it
//   steps just under that; otherwise, or when the aim is too close to an end, it halves the bracket
//   (geometrically).
// - It stops when the bracket is within `bracket` of users, or when the best passing step already achieved
//   within `kneeShare` of the breaking step's req/s: the answer in req/s cannot move by more than that.
import {
  broke,
  type CapacityRules,
  type CapacityStepRow,
  generatorFailed,
  previousGood,
} from './capacity-grading.js';

/** The generator share the growth aims to stay under (the bound is 90 %). */
export const GENERATOR_AIM = 0.8;
/** Growth very far from every limit, far, and nearer. */
export const VERY_FAR_FACTOR = 8;
export const FAR_FACTOR = 4;
export const NEAR_FACTOR = 2;

export type SearchStep = { users: number } | { stop: string };

/** How far the last passing step's throughput followed its growth in users (1: in proportion). */
function followed(rows: readonly CapacityStepRow[], last: CapacityStepRow): number | null {
  const before = previousGood(rows, last.users);
  if (!before?.achieved || !last.achieved || last.users <= before.users) return null;
  return (last.achieved / before.achieved - 1) / (last.users / before.users - 1);
}

/** The growth factor after a passing step: faster the farther the step was from its limits. */
export function growthFactor(rows: readonly CapacityStepRow[], rules: CapacityRules): number {
  const last = rows.at(-1);
  if (!last || !rules.adaptive) return rules.stepFactor;
  // Too few requests to judge: more users are what gives a sample.
  if (last.judged === false) return Math.max(rules.stepFactor, FAR_FACTOR);
  const headroom = last.headroom ?? null;
  const follow = followed(rows, last);
  if (headroom === null) return rules.stepFactor;
  const tracked = follow === null || follow >= 0.8;
  if (headroom < 0.125 && tracked) return Math.max(rules.stepFactor, VERY_FAR_FACTOR);
  if (headroom < 0.25 && tracked) return Math.max(rules.stepFactor, FAR_FACTOR);
  if (headroom < 0.5 && (follow === null || follow >= 0.6)) return Math.max(rules.stepFactor, NEAR_FACTOR);
  return rules.stepFactor;
}

/** How the users grow, in words for the finder's first line. */
export function growthWords(rules: CapacityRules): string {
  if (!rules.adaptive) return `× ${rules.stepFactor} per step`;
  const factors = [VERY_FAR_FACTOR, FAR_FACTOR, NEAR_FACTOR].map((factor) => `× ${factor}`).join(', ');
  return `${factors} or × ${rules.stepFactor} per step by headroom`;
}

/** The next offered load, or why the finder stops. */
export function nextStep(rows: readonly CapacityStepRow[], rules: CapacityRules): SearchStep {
  const last = rows.at(-1);
  if (!last) return { stop: 'no step ran' };
  if (last.generatorBound)
    return {
      stop: generatorFailed(last)
        ? `the load generator lost users to its own errors at ${last.users} users`
        : `the load generator was the limit at ${last.users} users`,
    };
  if (rows.length >= rules.maxSteps) return { stop: `reached the step limit (${rules.maxSteps} steps)` };
  const broken = rows.filter(broke);
  if (broken.length === 0) {
    if (last.users >= rules.maxUsers) return { stop: `reached the user limit (${rules.maxUsers} users)` };
    let users = Math.round(last.users * growthFactor(rows, rules));
    const share = last.generator.share;
    if (share !== null && share > 0) {
      // Never below the plain step factor: past the aim, the next step shows whether the generator is it.
      const generatorCap = Math.floor((last.users * GENERATOR_AIM) / share);
      users = Math.min(users, Math.max(generatorCap, Math.round(last.users * rules.stepFactor)));
    }
    return { users: Math.min(rules.maxUsers, Math.max(last.users + 1, users)) };
  }
  const bad = [...broken].sort((a, b) => a.users - b.users)[0]!;
  const good = previousGood(rows, bad.users);
  if (good === null) return stepDown(rows, bad);
  if (bad.users - good.users <= 1 || bad.users <= good.users * (1 + rules.bracket))
    return { stop: `bracketed between ${good.users} and ${bad.users} users` };
  if (good.achieved && bad.achieved && good.achieved >= bad.achieved * (1 - rules.kneeShare))
    return {
      stop:
        `at the throughput knee: ${good.users} users passed at ${good.achieved.toFixed(0)} req/s, ` +
        `${bad.users} broke at ${bad.achieved.toFixed(0)} req/s ` +
        `(within ${Math.round(rules.kneeShare * 100)} %)`,
    };
  const inside = (u: number) => u > good.users * (1 + rules.bracket) && u * (1 + rules.bracket) < bad.users;
  if (good.achieved && bad.achieved) {
    const perUser = good.achieved / good.users;
    // Only when the breaking step fell short of its demand is the knee inside the bracket; a step that broke
    // on latency while its throughput still followed says nothing of where it is.
    const aim = Math.round(0.95 * (bad.achieved / perUser));
    if (bad.achieved < 0.9 * bad.users * perUser && inside(aim)) return { users: aim };
  }
  const middle = Math.round(Math.sqrt(good.users * bad.users));
  return { users: Math.min(bad.users - 1, Math.max(good.users + 1, middle)) };
}

/**
 * Users × this when even the lowest step broke: halving, as a step just past the knee breaks too, and fewer
 * users give fewer samples.
 */
export const DOWN_FACTOR = 0.5;

/**
 * Nothing passed yet: step down from the lowest step, so the answer is a load that passed rather than advice
 * to start lower. Stops when the lowest step had too few requests to judge (fewer users cannot show more)
 * or was a single user.
 */
function stepDown(rows: readonly CapacityStepRow[], bad: CapacityStepRow): SearchStep {
  const lowest = [...rows].sort((a, b) => a.users - b.users)[0]!;
  if (lowest !== bad && !broke(lowest))
    return {
      stop: `${bad.users} users broke a limit and ${lowest.users} gave too few requests to judge`,
    };
  if (bad.users <= 1) return { stop: 'a single user already broke a limit' };
  return { users: Math.max(1, Math.round(bad.users * DOWN_FACTOR)) };
}

/** The most a step is lengthened for its logins. */
export const MAX_EXTRA_SECONDS = 120;

/** A step's users arrive over the first half of its settle time. */
export const arrivalSeconds = (settleSeconds: number) => Math.max(1, Math.floor(settleSeconds / 2));

/**
 * Seconds to add to a step of `users` so that its graded window still holds three whole periods after its
 * logins. The users arrive over a fixed time; what outlasts it is logins queued at the API (bcrypt), which
 * grows in proportion to the users, read from the closest step that measured it. 0 when its logins fit
 * in the settle time.
 */
export function extraSeconds(rows: readonly CapacityStepRow[], users: number, settleSeconds: number): number {
  const measured = rows
    .filter((r) => typeof r.loginSeconds === 'number' && r.loginSeconds > 0)
    .sort((a, b) => Math.abs(a.users - users) - Math.abs(b.users - users))[0];
  if (!measured) return 0;
  const arrival = arrivalSeconds(settleSeconds);
  const queued = Math.max(0, measured.loginSeconds! - arrival);
  const predicted = arrival + (queued * users) / measured.users;
  return Math.min(MAX_EXTRA_SECONDS, Math.max(0, Math.ceil(predicted - settleSeconds)));
}
