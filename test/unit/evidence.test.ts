// The evidence rule of a latency verdict (grading/evidence.ts): a binomial bound on the count of slow
// requests, a minimum sample, the sketch's order statistics where nothing was counted, and what evaluate()
// and the findings make of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import { type ArtilleryResults, evaluate, type Summary } from '../../grading/evaluation.js';
import {
  breachCount,
  judgeLatency,
  slowerInSketches,
  slowerInSummary,
  tailShare,
} from '../../grading/evidence.js';
import { findings } from '../../grading/findings.js';
import { forProfile, type Targets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import { BY_ENDPOINT as MBE, slowerKey } from '../../lib/metrics.js';
import { flatSummary } from '../helpers/summaries.js';

const TARGETS: Targets = forProfile(loadTargets(`${ROOT}/config/targets.yml`), 'smoke');

/** P(Binomial(n, p) >= k), summed term by term with exact binomial coefficients (BigInt), as a check. */
function upperTail(samples: number, share: number, atLeast: number): number {
  let sum = 0;
  let coefficient = 1n;
  for (let slow = 0; slow <= samples; slow++) {
    if (slow > 0) coefficient = (coefficient * BigInt(samples - slow + 1)) / BigInt(slow);
    if (slow >= atLeast) sum += Number(coefficient) * share ** slow * (1 - share) ** (samples - slow);
  }
  return sum;
}

/** `count` fast requests (10 ms) but for `slow` of them at `ms`, as DDSketch would summarise them. */
function withSlow(count: number, slow: number, ms: number): Summary {
  const rank = (q: number) => Math.floor(q * (count - 1));
  const at = (q: number) => (rank(q) >= count - slow ? ms : 10);
  return {
    min: slow === count ? ms : 10,
    max: slow > 0 ? ms : 10,
    count,
    mean: 10,
    p50: at(0.5),
    p75: at(0.75),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    p999: at(0.999),
  };
}

function run(
  eps: Array<{ name: string; summary: Summary; slower?: Record<number, number> }>,
  intermediate?: ArtilleryResults['intermediate'],
): ArtilleryResults {
  const counters: Record<string, number> = {};
  const summaries: Record<string, Summary> = {};
  for (const ep of eps) {
    counters[`${MBE}${ep.name}.codes.200`] = ep.summary.count;
    summaries[`${MBE}response_time.${ep.name}`] = ep.summary;
    for (const [bound, slow] of Object.entries(ep.slower ?? {}))
      counters[slowerKey(Number(bound), ep.name)] = slow;
  }
  return {
    aggregate: { counters, summaries, firstMetricAt: 0, lastMetricAt: 60_000 },
    ...(intermediate ? { intermediate } : {}),
  };
}

describe('evidence: the binomial count', () => {
  it('needs the fewest slow requests that a share of exactly 5 % reaches at most 5 % of the time', () => {
    for (const samples of [1, 2, 5, 19, 20, 50, 100, 500, 1000]) {
      const needed = breachCount(samples, 0.05, 0.95)!;
      assert.ok(upperTail(samples, 0.05, needed) <= 0.05, `n ${samples}: k ${needed} is not enough`);
      if (needed > 0)
        assert.ok(
          upperTail(samples, 0.05, needed - 1) > 0.05,
          `n ${samples}: k ${needed} is more than needed`,
        );
    }
    assert.equal(breachCount(5, 0.05, 0.95), 2);
    assert.equal(breachCount(19, 0.05, 0.95), 4);
    assert.equal(breachCount(20, 0.05, 0.95), 4);
    assert.equal(breachCount(100, 0.05, 0.95), 10);
    // p99 needs fewer, a stricter confidence more
    assert.equal(breachCount(20, 0.01, 0.95), 2);
    assert.ok(breachCount(100, 0.05, 0.99)! > 10);
  });
  it('stays exact and finite on a long run', () => {
    const needed = breachCount(1_000_000, 0.05, 0.95)!;
    // the normal approximation: 50 000 + 1.645 sd (sd 218)
    assert.ok(needed > 50_300 && needed < 50_420, `k ${needed}`);
  });
  it('has no count for the mean, and maps a percentile to its tail', () => {
    assert.equal(tailShare('mean'), null);
    assert.ok(Math.abs(tailShare('p95')! - 0.05) < 1e-12);
    assert.ok(Math.abs(tailShare('p99')! - 0.01) < 1e-12);
    assert.equal(breachCount(10, 0, 0.95), null);
  });
});

describe("evidence: the sketch's order statistics", () => {
  it('counts a rung as the request of rank floor(q (n - 1)) and every one above it', () => {
    assert.equal(slowerInSummary(flatSummary(400, 20), 300), 20); // exact min
    assert.equal(slowerInSummary(withSlow(100, 1, 500), 300), 1); // exact max
    assert.equal(slowerInSummary(withSlow(100, 6, 500), 300), 6); // p95: rank 94
    assert.equal(slowerInSummary(withSlow(100, 25, 500), 300), 11); // p90: rank 89, the ladder's gap
    assert.equal(slowerInSummary(undefined, 300), 0);
  });
  it("never counts a rung within DDSketch's 1 % of the bound", () => {
    const near = { ...withSlow(100, 30, 302), max: 302 };
    assert.equal(slowerInSummary(near, 300), 1); // only the exact max
  });
  it("adds up the periods' bounds when they say more than the whole run's", () => {
    // a stall in one period: 6 of its 20 requests slow; the whole run's 200 show only its max
    const stalled = withSlow(20, 6, 900);
    const whole = withSlow(200, 6, 900);
    assert.equal(slowerInSummary(whole, 300), 3); // p99 of 200: rank 197
    assert.equal(slowerInSketches(whole, [stalled, withSlow(180, 0, 10)], 300), 6); // p75 of 20: rank 14
    assert.equal(slowerInSketches(whole, [], 300), 3);
  });
});

describe('evidence: the rule', () => {
  const judge = (samples: number, slower: number, value = 400) =>
    judgeLatency({ statistic: 'p95', value, samples, bound: 300, slower, exact: true }).status;
  it('judges nothing alone below 20 requests, whatever they show', () => {
    assert.equal(judge(5, 5), 'too-few');
    assert.equal(judge(19, 19), 'too-few');
  });
  it('fails 20 requests all at 400 ms on a 300 ms tier', () => {
    assert.equal(judge(20, 20), 'breached');
    assert.equal(judge(20, 4), 'breached');
  });
  it('does not fail on a few slow requests: over target, unproven', () => {
    assert.equal(judge(20, 3), 'unproven');
    assert.equal(judge(1000, 55), 'unproven');
    assert.equal(judge(1000, 80), 'breached');
  });
  it('passes what reads within the target on enough requests', () => {
    assert.equal(judge(50, 1, 250), 'met');
    assert.equal(
      judgeLatency({ statistic: 'p95', value: null, samples: 0, bound: 300, slower: 0, exact: true }).status,
      'no-data',
    );
  });
  it('judges the mean on the minimum count alone', () => {
    const mean = (samples: number) =>
      judgeLatency({ statistic: 'mean', value: 400, samples, bound: 300, slower: 0, exact: false }).status;
    assert.equal(mean(19), 'too-few');
    assert.equal(mean(20), 'breached');
  });
  it('honours the targets file: evidence.minSamples and evidence.confidence', () => {
    const strict = { minSamples: 50, confidence: 0.99 };
    const at = (samples: number, slower: number) =>
      judgeLatency({ statistic: 'p95', value: 400, samples, bound: 300, slower, exact: true }, strict).status;
    assert.equal(at(40, 40), 'too-few');
    assert.equal(at(100, 10), 'unproven');
    assert.equal(at(100, 14), 'breached');
  });
});

describe('evidence: the verdict', () => {
  it('does not fail a run on 5 slow requests, and says why', () => {
    const graded = evaluate(
      run([
        // 2 of 5 slow: the binomial alone would fail it (2 of 5 is rare at a 5 % share), the minimum
        // sample does not: a stall holds every request in flight at once, they are not independent
        { name: 'POST /signals/webhook/{id} [RAPID]', summary: withSlow(5, 2, 424) },
        { name: 'POST /signals/webhook/{id} [BUY]', summary: withSlow(200, 0, 10) },
      ]),
      TARGETS,
    );
    assert.equal(graded.verdict, 'PASS', JSON.stringify(graded.reasons));
    const rapid = graded.endpoints.find((x) => x.name.endsWith('[RAPID]'))!;
    assert.equal(rapid.meetsTarget, false);
    assert.equal(rapid.evidence!.status, 'too-few');
    assert.equal(graded.classes.find((c) => c.class === 'webhook')!.evidence!.status, 'met');
    const found = findings(graded);
    assert.match(
      found.headline,
      /^PASS: every target met on the evidence; 1 endpoint over target on too little/,
    );
    // beside the warning that the run's other classes never ran (a run of webhook requests only)
    const lines = found.lines.filter((line) => line.kind !== 'never-ran');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.verdict, 'NOTE');
    assert.match(
      lines[0]!.text,
      new RegExp(
        'POST /signals/webhook/\\{id\\} \\[RAPID\\] p95 424 ms on 5 requests: too few to judge alone ' +
          '\\(fewer than 20\\): graded in its class webhook \\(within target\\)$',
      ),
    );
  });
  it('still fails an endpoint with 20 or more requests at 400 ms, on the exact count or the sketch', () => {
    for (const slower of [{ 300: 24 }, undefined]) {
      const graded = evaluate(
        run([{ name: 'GET /strategies/ [LIST]', summary: flatSummary(400, 24), slower }]),
        TARGETS,
      );
      assert.equal(graded.verdict, 'FAIL');
      const list = graded.endpoints[0]!;
      assert.equal(list.evidence!.status, 'breached');
      assert.equal(list.evidence!.exact, slower !== undefined);
      assert.match(
        graded.reasons.find((r) => r.kind === 'slow')!.message,
        new RegExp(
          `^GET /strategies/ \\[LIST\\] p95 400 ms is acceptable, below its target tier good: ` +
            `${slower ? '' : 'at least '}24 of 24 requests took 300 ms or more$`,
        ),
      );
    }
  });
  it("reads the plugin's exact count before the sketch", () => {
    // the sketch shows 6 of 100 slow (p95), the count says 30
    const summary = withSlow(100, 6, 500);
    const counted = evaluate(run([{ name: 'GET /x [A]', summary, slower: { 300: 30 } }]), TARGETS);
    assert.equal(counted.endpoints[0]!.evidence!.status, 'breached');
    const sketched = evaluate(run([{ name: 'GET /x [A]', summary }]), TARGETS);
    assert.equal(sketched.endpoints[0]!.evidence!.status, 'unproven');
    assert.equal(sketched.verdict, 'PASS');
  });
  it('fails a class whose small endpoints together show the tier missed', () => {
    const small = Array.from({ length: 8 }, (_, index) => ({
      name: `GET /x [${index}]`,
      summary: flatSummary(400, 5),
    }));
    const graded = evaluate(run(small), TARGETS);
    assert.ok(graded.endpoints.every((x) => x.evidence!.status === 'too-few'));
    assert.equal(graded.verdict, 'FAIL');
    const reason = graded.reasons.find((r) => r.kind === 'slow-class')!;
    assert.equal(reason.subject, 'read');
    assert.match(reason.message, /at least 40 of 40 requests took their endpoint's target bound or more/);
    assert.ok(findings(graded).lines.some((l) => l.kind === 'slow-class' && l.verdict === 'FAIL'));
  });
  it("judges a class's logins against their own bound, not the class's", () => {
    // logins at 700 ms are within their acceptable target; /auth/me at 40 ms within good
    const graded = evaluate(
      run([
        { name: 'POST /auth/token [LOGIN]', summary: flatSummary(700, 40) },
        { name: 'GET /auth/me [ME]', summary: flatSummary(40, 40) },
      ]),
      TARGETS,
    );
    assert.equal(graded.verdict, 'PASS', JSON.stringify(graded.reasons));
    assert.equal(graded.classes.find((c) => c.class === 'auth')!.evidence!.status, 'met');
  });
  it('leaves a stall in one period unproven where a slow period of many requests is not', () => {
    const name = 'GET /strategies/ [LIST]';
    // 30 requests, 3 of them held by a stall: over target by its p95, not shown
    const stall = evaluate(run([{ name, summary: withSlow(30, 3, 900), slower: { 300: 3 } }]), TARGETS);
    assert.equal(stall.endpoints[0]!.evidence!.status, 'unproven');
    assert.equal(stall.verdict, 'PASS');
    assert.match(
      findings(stall).lines[0]!.text,
      /p95 900 ms on 30 requests: 3 took 300 ms or more, 5 needed to show the target missed/,
    );
  });
});
