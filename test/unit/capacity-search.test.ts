// The capacity finder's search policy (grading/capacity-search.ts): growth by distance to the limits, the
// generator's cap, aiming at the throughput knee after a break, stepping down when nothing passed, and
// when it stops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import { type CapacityStepRow, DEFAULT_RULES } from '../../grading/capacity-grading.js';
import { extraSeconds, growthFactor, growthWords, nextStep } from '../../grading/capacity-search.js';
import { ROOT } from '../../harness/pack.js';
import { CapacityStep } from '../../plugin/capacity-step.js';

const TARGETS = loadTargets(`${ROOT}/config/targets.yml`);

/** A graded step: `users` at `achieved` req/s; `headroom` of the latency bound; passed unless it broke. */
function row(
  users: number,
  achieved: number,
  opts: { broke?: boolean; headroom?: number | null; share?: number; judged?: boolean } = {},
): CapacityStepRow {
  const limits = opts.broke ? [{ kind: 'throughput' as const, subject: 'throughput', message: 'flat' }] : [];
  const judged = opts.judged ?? true;
  return {
    index: 0,
    users,
    achieved,
    errorRate: 0,
    classes: [],
    gradedPeriods: 3,
    generator: { cores: 0.1, budget: 1, share: opts.share ?? 0.05 },
    generatorBound: false,
    limits,
    judged,
    headroom: opts.headroom === undefined ? 0.1 : opts.headroom,
    passed: limits.length === 0 && judged,
  };
}
const users = (rows: CapacityStepRow[], rules = DEFAULT_RULES) =>
  (nextStep(rows, rules) as { users: number }).users;
const stop = (rows: CapacityStepRow[], rules = DEFAULT_RULES) =>
  (nextStep(rows, rules) as { stop: string }).stop;

describe('capacity search: growing the load', () => {
  it('× 8 very far from every limit, × 4 far, × 2 under half the bound, × 1.5 near it', () => {
    assert.equal(users([row(10, 5, { headroom: 0.01 })]), 80);
    assert.equal(users([row(10, 5, { headroom: 0.2 })]), 40);
    assert.equal(users([row(10, 5, { headroom: 0.4 })]), 20);
    assert.equal(users([row(10, 5, { headroom: 0.7 })]), 15);
    // no class judged: more users are what gives a sample
    assert.equal(users([row(10, 5, { judged: false, headroom: null })]), 40);
  });
  it('× the step factor when one is given, and near a knee: throughput that stopped following', () => {
    assert.equal(users([row(10, 5)], { ...DEFAULT_RULES, stepFactor: 2, adaptive: false }), 20);
    // +300 % users gave +100 % req/s: a third of the growth followed
    const rows = [row(10, 50), row(40, 100)];
    assert.equal(growthFactor(rows, DEFAULT_RULES), 1.5);
    assert.equal(users(rows), 60);
  });
  it("says the growth it applies in the finder's first line", () => {
    assert.equal(growthWords(DEFAULT_RULES), '× 8, × 4, × 2 or × 1.5 per step by headroom');
    assert.equal(growthWords({ ...DEFAULT_RULES, stepFactor: 2, adaptive: false }), '× 2 per step');
  });
  it("caps the growth where the generator's CPU would pass 80 % of its budget, never below × 1.5", () => {
    assert.equal(users([row(100, 50, { share: 0.4 })]), 200);
    assert.equal(users([row(100, 50, { share: 0.7 })]), 150);
  });
  it('stops at the user and step limits and at a generator-bound step', () => {
    assert.equal(users([row(10, 5)], { ...DEFAULT_RULES, maxUsers: 25 }), 25);
    assert.match(stop([row(25, 5)], { ...DEFAULT_RULES, maxUsers: 25 }), /user limit \(25 users\)/);
    assert.match(stop([row(5, 5), row(8, 8)], { ...DEFAULT_RULES, maxSteps: 2 }), /step limit/);
    assert.match(stop([row(20, 10), { ...row(30, 15), generatorBound: true }]), /load generator/);
  });
});

describe('capacity search: after a break', () => {
  it('aims just under the throughput knee when the breaking step fell short of its demand', () => {
    // 100 users gave 176 req/s (1.76 a user); 400 offered 704 and got 300: the knee is near 170 users.
    assert.equal(users([row(100, 176), row(400, 300, { broke: true })]), 162);
  });
  it('stops when the best passing step is within 10 % of the breaking one in req/s', () => {
    assert.match(
      stop([row(100, 176), row(400, 300, { broke: true }), row(162, 285)]),
      /^at the throughput knee: 162 users passed at 285 req\/s, 400 broke at 300 req\/s \(within 10 %\)$/,
    );
  });
  it('halves the bracket geometrically when the break was not throughput, and stops on a narrow one', () => {
    // 400 users still got 390 req/s: a latency break, the knee not shown
    assert.equal(users([row(100, 100), row(400, 390, { broke: true })]), 200);
    assert.match(stop([row(100, 100), row(104, 104, { broke: true })]), /bracketed between 100 and 104/);
  });
  it('steps down when nothing passed, and stops when fewer users give too few requests or one broke', () => {
    assert.equal(users([row(100, 50, { broke: true })]), 50);
    assert.equal(users([row(100, 50, { broke: true }), row(50, 25, { broke: true })]), 25);
    assert.match(
      stop([row(100, 50, { broke: true }), row(50, 1, { judged: false, headroom: null })]),
      /100 users broke a limit and 50 gave too few requests to judge/,
    );
    assert.match(stop([row(1, 1, { broke: true })]), /single user/);
  });
});

describe('capacity search: logins that outlast the settle time', () => {
  it('lengthens a step by its predicted logins past the settle time, read from the closest step', () => {
    // arrivals over 5 s, then 7 s of queued logins
    const measured = { ...row(100, 50), loginSeconds: 12 };
    assert.equal(extraSeconds([], 400, 10), 0);
    assert.equal(extraSeconds([measured], 100, 10), 2);
    // 400 users queue four times as long: 5 + 28 s, 23 past a 10 s settle
    assert.equal(extraSeconds([measured], 400, 10), 23);
    assert.equal(extraSeconds([measured], 50, 10), 0);
    assert.equal(extraSeconds([measured], 100_000, 10), 120);
    // logins that ended with the arrivals queued for nothing: more users do not lengthen the step
    assert.equal(extraSeconds([{ ...row(10, 5), loginSeconds: 5.1 }], 80, 10), 0);
  });

  it('the plugin grades only periods after the settle time whose first logins are over', () => {
    const stepOf = CapacityStep.fromVariables({ capacitySettleSeconds: 10 })!;
    const period = (startSecond: number, logins: number, requests: number) => ({
      period: String(startSecond * 1000),
      firstMetricAt: startSecond * 1000,
      lastMetricAt: startSecond * 1000 + 9_999,
      counters: { 'btcw.logins': logins, 'http.requests': requests },
      summaries: {},
    });
    stepOf.add(period(0, 300, 400)); // settle
    stepOf.add(period(10, 200, 900)); // past the settle, logins still queued: not graded
    // The wave's last few, 0.25 % of the requests: they queued for seconds, so still the settle.
    stepOf.add(period(20, 5, 2000));
    stepOf.add(period(30, 0, 2000));
    stepOf.add(period(40, 30, 2000)); // once grading began, every period counts
    stepOf.add(period(50, 0, 2000));
    const result = stepOf.result(TARGETS);
    assert.equal(result.gradedPeriods, 3);
    assert.equal(result.windowStart, 30_000);
    assert.equal(result.loginSeconds, 30);
  });

  it('reads when the last first login ended from the processors, where they sent it', () => {
    const stepOf = CapacityStep.fromVariables({ capacitySettleSeconds: 10 })!;
    const at = (max: number) => ({ min: 40, max, count: 5, mean: max, p50: max, p95: max, p99: max });
    stepOf.add({ period: '0', firstMetricAt: 0, lastMetricAt: 9_999, counters: { 'btcw.logins': 50 } });
    stepOf.add({
      period: '10000',
      firstMetricAt: 10_000,
      lastMetricAt: 19_999,
      counters: { 'btcw.logins': 5 },
      summaries: { 'btcw.first_login_at': at(12_345) },
    });
    assert.equal(stepOf.result(TARGETS).loginSeconds, 12.3);
  });

  it('grades past stragglers, and a login retried late does not stretch the next step', () => {
    const stepOf = CapacityStep.fromVariables({ capacitySettleSeconds: 10 })!;
    const at = (max: number) => ({ min: 40, max, count: 1, mean: max, p50: max, p95: max, p99: max });
    const period = (startSecond: number, logins: number, loginAt: number) => ({
      period: String(startSecond * 1000),
      firstMetricAt: startSecond * 1000,
      lastMetricAt: startSecond * 1000 + 9_999,
      counters: { 'btcw.logins': logins, 'http.requests': 2000 },
      summaries: { 'btcw.first_login_at': at(loginAt) },
    });
    stepOf.add(period(0, 300, 9_800)); // the wave
    stepOf.add(period(10, 4, 11_200)); // its tail: still the settle
    // a login retried after a backoff ends in every period from here (auth is failing): steady load
    stepOf.add(period(20, 1, 27_000));
    stepOf.add(period(30, 1, 38_000));
    stepOf.add(period(40, 1, 47_000));
    const result = stepOf.result(TARGETS);
    assert.equal(result.windowStart, 20_000);
    assert.equal(result.gradedPeriods, 3);
    assert.equal(result.loginSeconds, 11.2);
  });
});
