// The regression rule (grading/regression.ts): DDSketch's 1 % accuracy, the spread of the 10 s periods, the
// least number of requests, the millisecond floor, error-rate points, the exit code, and grading a run
// against a baseline through evaluate()'s own output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import { type ArtilleryReport, evaluate } from '../../grading/evaluation.js';
import { findings } from '../../grading/findings.js';
import { type Snapshot, type SnapshotSubject, snapshotOf } from '../../grading/metric-snapshot.js';
import {
  compareSnapshots,
  coverageText,
  errorRateCheck,
  exitCodeWith,
  gradeWithBaseline,
  latencyCheck,
  proportionExceeds,
  REGRESSION_EXIT_CODE,
  regressionLine,
  regressionRule,
  tCritical,
  welchExceeds,
} from '../../grading/regression.js';
import { TargetsError, validateTargets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import { BY_ENDPOINT as MBE } from '../../lib/metrics.js';
import { summaryAt } from '../helpers/summaries.js';

const RULE = { statistic: 'p95' as const, minRequests: 50, minChangeMs: 5 };

/** A subject whose periods have these p95 values, `perPeriod` requests each; the whole-run p95 given. */
function subject(p95: number, periods: number[], perPeriod = 100, failed = 0): SnapshotSubject {
  const requests = perPeriod * periods.length;
  return {
    requests,
    failed,
    errorRate: failed / requests,
    stats: { mean: p95 / 2, p50: p95 / 2, p95, p99: p95 * 1.2 },
    periods: periods.map((periodP95, index) => ({
      s: index * 10,
      requests: perPeriod,
      failed: 0,
      stats: { mean: periodP95 / 2, p50: periodP95 / 2, p95: periodP95, p99: periodP95 * 1.2 },
    })),
  };
}

describe('regression rule: statistics', () => {
  it("Welch's t on known values: means 2 and 5, variances 1, three values a side: t 3.67 on 4 df", () => {
    const result = welchExceeds([1, 2, 3], [4, 5, 6], 0);
    assert.ok(Math.abs(result.t - 3.674) < 0.001, String(result.t));
    assert.ok(Math.abs(result.df - 4) < 1e-9, String(result.df));
    assert.equal(result.significant, true);
    // The same data against a margin of 2: t = 1/0.816 = 1.22 < 2.132
    assert.equal(welchExceeds([1, 2, 3], [4, 5, 6], 2).significant, false);
  });

  it('t critical values: the table row at or below the degrees of freedom, the most cautious below 1', () => {
    assert.equal(tCritical(4), 2.132);
    assert.equal(tCritical(4.9), 2.132);
    assert.equal(tCritical(0.3), 6.314);
    assert.equal(tCritical(11), 1.812);
    assert.equal(tCritical(1e6), 1.658);
  });

  it('two-proportion z on known values: 10/1000 against 40/1000, no margin: z 4.32', () => {
    const result = proportionExceeds(10, 1000, 40, 1000, 0);
    assert.ok(Math.abs(result.z - 4.317) < 0.001, String(result.z));
    assert.equal(result.significant, true);
    assert.equal(proportionExceeds(10, 1000, 40, 1000, 0.03).significant, false);
  });
});

describe('regression rule: latency', () => {
  const tight = (v: number) => [v * 0.99, v, v * 1.01, v];

  it('a rise within the allowance is ok, a fall beyond it is "improved"', () => {
    assert.equal(latencyCheck(subject(100, tight(100)), subject(115, tight(115)), 0.2, RULE).status, 'ok');
    assert.equal(
      latencyCheck(subject(100, tight(100)), subject(70, tight(70)), 0.2, RULE).status,
      'improved',
    );
  });

  it("DDSketch's 1 %: +21 % against +20 % allowed is noise; +23 % with tight periods regresses", () => {
    const check = latencyCheck(subject(100, tight(100)), subject(121, tight(121)), 0.2, RULE);
    assert.equal(check.status, 'noise');
    assert.match(check.note, /DDSketch/);
    const regressed = latencyCheck(subject(100, tight(100)), subject(123, tight(123)), 0.2, RULE);
    assert.equal(regressed.status, 'regression', regressed.note);
    assert.ok(Math.abs(regressed.change! - 0.23) < 1e-9);
  });

  it('period spread: +50 % is a regression when the periods agree, noise when they scatter', () => {
    const steady = latencyCheck(subject(10, [10, 10.5, 9.5]), subject(15, [15, 15.5, 14.5]), 0.2, RULE);
    assert.equal(steady.status, 'regression', steady.note);
    const scattered = latencyCheck(subject(10, [4, 10, 25]), subject(15, [6, 30, 9]), 0.2, RULE);
    assert.equal(scattered.status, 'noise', scattered.note);
    assert.match(scattered.note, /spread of the 10 s periods/);
  });

  it('fewer requests than minRequests on either side: too few to compare, whatever the change', () => {
    const check = latencyCheck(subject(10, tight(10), 10), subject(100, tight(100), 100), 0.2, RULE);
    assert.equal(check.status, 'too-few');
    assert.match(check.note, /too few requests to compare \(40 before, 400 after; at least 50\)/);
  });

  it('a rise of fewer than minChangeMs is never a regression (2 ms to 4 ms is +100 %)', () => {
    const check = latencyCheck(subject(2, tight(2)), subject(4, tight(4)), 0.2, RULE);
    assert.equal(check.status, 'noise');
    assert.equal(
      latencyCheck(subject(2, tight(2)), subject(4, tight(4)), 0.2, { ...RULE, minChangeMs: 1 }).status,
      'regression',
    );
  });

  it('one period a side cannot show a spread: too few periods', () => {
    const check = latencyCheck(subject(10, [10], 500), subject(50, [50], 500), 0.2, RULE);
    assert.equal(check.status, 'too-few');
    assert.match(check.note, /too few 10 s periods/);
  });
});

describe('regression rule: error rate', () => {
  it('a rise within the allowed points is ok; beyond it and beyond chance, a regression', () => {
    const ok = errorRateCheck(subject(10, [10, 10], 500, 5), subject(10, [10, 10], 500, 12), 0.01, 50);
    assert.equal(ok.status, 'ok');
    const bad = errorRateCheck(subject(10, [10, 10], 500, 5), subject(10, [10, 10], 500, 60), 0.01, 50);
    assert.equal(bad.status, 'regression');
    assert.ok(Math.abs(bad.change! - 0.055) < 1e-9);
  });

  it('3 failures in 60 requests (+5 points) is within chance against 0 in 60', () => {
    const check = errorRateCheck(subject(10, [10, 10], 30, 0), subject(10, [10, 10], 30, 3), 0.01, 50);
    assert.equal(check.status, 'noise', check.note);
  });

  it('below minRequests: too few requests to compare', () => {
    assert.equal(
      errorRateCheck(subject(10, [10], 20, 0), subject(10, [10], 20, 20), 0.01, 50).status,
      'too-few',
    );
  });
});

describe('regression rule: a whole comparison', () => {
  const snap = (eps: Record<string, SnapshotSubject>, cls = 'read'): Snapshot => ({
    statistic: 'p95',
    durationSeconds: 60,
    overall: subject(10, [10, 10, 10]),
    classes: [{ class: cls, ...subject(10, [10, 10, 10]) }],
    endpoints: Object.entries(eps).map(([name, measured]) => ({ name, class: cls, ...measured })),
  });

  it('flags exactly the endpoints that regressed; new and gone ones named; per-endpoint overrides', () => {
    const before = snap({
      'GET /a [A]': subject(10, [10, 10.2, 9.8]),
      'GET /b [B]': subject(10, [10, 10.2, 9.8]),
      'GET /gone [G]': subject(10, [10, 10, 10]),
    });
    const after = snap({
      'GET /a [A]': subject(60, [60, 61, 59]),
      'GET /b [B]': subject(16, [16, 16.1, 15.9]),
      'GET /new [N]': subject(10, [10, 10, 10]),
    });
    // B may worsen by 100 %: its +60 % is ok, where the default +20 % would flag it.
    const rule = regressionRule({
      statistic: 'p95',
      regression: { endpoints: { 'GET /b [B]': { latency: 1 } } },
    });
    const result = compareSnapshots(before, after, rule, {
      name: 'main',
      file: null,
      runTag: null,
      savedAt: null,
    });
    const regressed = result.checks.filter((c) => c.status === 'regression').map((c) => c.subject);
    assert.deepEqual(regressed, ['GET /a [A]']);
    assert.equal(result.regressions, 1);
    assert.equal(result.checks.find((c) => c.subject === 'GET /b [B]')?.status, 'ok');
    assert.equal(result.checks.find((c) => c.subject === 'GET /new [N]')?.status, 'new');
    assert.equal(result.checks.find((c) => c.subject === 'GET /gone [G]')?.status, 'gone');
    // the default allowance elsewhere
    assert.equal(rule.latency, 0.2);
    assert.equal(rule.endpoints['GET /b [B]']?.latency, 1);
  });

  it("a whole run ×3 slower: endpoints judged against the common shift, the overall check a 'shift'", () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const before = snap(Object.fromEntries(names.map((n) => [`GET /${n}`, subject(10, [10, 10.1, 9.9])])));
    const after = snap({
      ...Object.fromEntries(names.map((n) => [`GET /${n}`, subject(30, [30, 30.3, 29.7])])),
      'GET /f': subject(120, [120, 121, 119]),
    });
    after.overall = subject(30, [30, 30.3, 29.7]);
    const info = { name: 'main', file: null, runTag: null, savedAt: null };
    const result = compareSnapshots(before, after, regressionRule({ statistic: 'p95' }), info);
    assert.ok(Math.abs(result.shift - 3) < 1e-9, String(result.shift));
    assert.deepEqual(
      result.checks.filter((c) => c.status === 'regression').map((c) => c.subject),
      ['GET /f'],
    );
    const overall = result.checks.find((c) => c.scope === 'overall' && c.kind === 'latency')!;
    assert.equal(overall.status, 'shift');
    // with runShift set, the whole run's change is judged like any other
    const strict = compareSnapshots(
      before,
      after,
      regressionRule({ statistic: 'p95', regression: { runShift: 0.5 } }),
      info,
    );
    assert.equal(
      strict.checks.find((c) => c.scope === 'overall' && c.kind === 'latency')!.status,
      'regression',
    );
    // a faster run does not make unchanged endpoints look slower
    const faster = snap(Object.fromEntries(names.map((n) => [`GET /${n}`, subject(5, [5, 5.05, 4.95])])));
    assert.equal(compareSnapshots(before, faster, regressionRule({ statistic: 'p95' }), info).shift, 1);
  });

  it('run-to-run spread: ×2.5 stands out of steady endpoints, not out of scattered ones', () => {
    const info = { name: 'main', file: null, runTag: null, savedAt: null };
    const rule = regressionRule({ statistic: 'p95' });
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const flat = (v: number) => subject(v, [v, v * 1.01, v * 0.99]);
    const before = snap(Object.fromEntries(names.map((n) => [`GET /${n}`, flat(10)])));
    const steady = snap({
      ...Object.fromEntries(names.map((n) => [`GET /${n}`, flat(10)])),
      'GET /h': flat(25),
    });
    const steadyResult = compareSnapshots(before, steady, rule, info);
    assert.equal(steadyResult.spread, 0);
    assert.deepEqual(
      steadyResult.checks.filter((c) => c.status === 'regression').map((c) => c.subject),
      ['GET /h'],
    );
    // the same ×2.5 among endpoints that moved between ×0.5 and ×2 with nothing changed: noise
    const factors = [0.5, 0.7, 1, 1.4, 2, 0.6, 1.8];
    const scattered = snap({
      ...Object.fromEntries(names.slice(0, 7).map((n, i) => [`GET /${n}`, flat(10 * factors[i]!)])),
      'GET /h': flat(25),
    });
    const scatteredResult = compareSnapshots(before, scattered, rule, info);
    assert.ok(scatteredResult.spread > 0.3, String(scatteredResult.spread));
    const endpointH = scatteredResult.checks.find((c) => c.subject === 'GET /h' && c.kind === 'latency')!;
    assert.equal(endpointH.status, 'noise');
    assert.match(endpointH.note, /run-to-run spread/);
  });

  it("with Server-Timing on both sides, endpoints are judged on the server's time, not the client's", () => {
    const info = { name: 'main', file: null, runTag: null, savedAt: null };
    const rule = regressionRule({ statistic: 'p95' });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    /** Client p95 `client`, server p95 `server`, each in steady periods. */
    const timed = (client: number, server: number): SnapshotSubject => {
      const clientSide = subject(client, [client, client * 1.01, client * 0.99]);
      const sv = subject(server, [server, server * 1.01, server * 0.99]);
      return {
        ...clientSide,
        serverStats: sv.stats,
        periods: clientSide.periods.map((p, i) => ({ ...p, serverStats: sv.periods[i]!.stats })),
      };
    };
    const before = snap(Object.fromEntries(names.map((n) => [`GET /${n}`, timed(10, 2)])));
    // A starved generator: every client time about ×4, one endpoint ×12; the server unchanged.
    const scatter = [4, 4.2, 3.8, 4.1, 3.9, 12];
    const busy = snap(Object.fromEntries(names.map((n, i) => [`GET /${n}`, timed(10 * scatter[i]!, 2)])));
    const result = compareSnapshots(before, busy, rule, info);
    assert.equal(result.source, 'server');
    assert.deepEqual(
      result.checks.filter((c) => c.status === 'regression').map((c) => c.subject),
      [],
    );
    // The client's times alone flag GET /f: the same runs without the server's time.
    const clientOnly = (snapshot: Snapshot): Snapshot => ({
      ...snapshot,
      endpoints: snapshot.endpoints.map(({ serverStats: _s, ...endpoint }) => endpoint),
    });
    const clientResult = compareSnapshots(clientOnly(before), clientOnly(busy), rule, info);
    assert.equal(clientResult.source, 'client');
    assert.deepEqual(
      clientResult.checks.filter((k) => k.status === 'regression').map((k) => k.subject),
      ['GET /f'],
    );
    // A slowed route at the server is flagged, named as the server's time, whatever the client shows.
    const slowed = snap({
      ...Object.fromEntries(names.map((n, i) => [`GET /${n}`, timed(10 * scatter[i]!, 2)])),
      'GET /c': timed(30, 152),
    });
    const slowedResult = compareSnapshots(before, slowed, rule, info);
    const flagged = slowedResult.checks.filter((k) => k.status === 'regression');
    assert.deepEqual(
      flagged.map((k) => k.subject),
      ['GET /c'],
    );
    assert.equal(flagged[0]!.source, 'server');
    assert.equal(flagged[0]!.before, 2);
    assert.match(regressionLine(flagged[0]!, 'p95'), /^GET \/c p95 2\.0 → 152\.0 ms at the server \(/);
    assert.match(flagged[0]!.note, /^server time /);
  });

  it('the exit code: FAIL (3) before REGRESSION (5) before WARN (4), each only when failOn lists it', () => {
    const result = { regressions: 1 } as Parameters<typeof exitCodeWith>[2];
    assert.equal(exitCodeWith(3, 'FAIL', result, ['FAIL', 'REGRESSION']), 3);
    assert.equal(exitCodeWith(0, 'PASS', result, ['FAIL', 'REGRESSION']), REGRESSION_EXIT_CODE);
    assert.equal(exitCodeWith(4, 'WARN', result, ['FAIL', 'WARN', 'REGRESSION']), REGRESSION_EXIT_CODE);
    assert.equal(exitCodeWith(0, 'PASS', result, ['FAIL']), 0);
    assert.equal(exitCodeWith(4, 'WARN', { regressions: 0 } as never, ['WARN', 'REGRESSION']), 4);
    assert.equal(exitCodeWith(0, 'PASS', undefined, ['REGRESSION']), 0);
  });
});

describe('regression rule: a graded run against a baseline', () => {
  const summary = (p95: number, count: number) => summaryAt(p95, count, { max: p95 * 2, p99: p95 * 1.1 });
  /** Three 10 s periods of two endpoints: LIST at `list` ms, DETAIL at 8 ms, 200 requests each a period. */
  function run(list: number, start: number) {
    const periods: ArtilleryReport[] = [0, 1, 2].map((index) => ({
      firstMetricAt: start + index * 10_000,
      lastMetricAt: start + index * 10_000 + 9_999,
      counters: { [`${MBE}GET /s [LIST].codes.200`]: 200, [`${MBE}GET /s/{id} [DETAIL].codes.200`]: 200 },
      summaries: {
        [`${MBE}response_time.GET /s [LIST]`]: summary(list + index * 0.1, 200),
        [`${MBE}response_time.GET /s/{id} [DETAIL]`]: summary(8 + index * 0.1, 200),
        'http.response_time': summary(list, 400),
        'plugins.btcw-targets.response_time.read': summary(list, 400),
      },
    }));
    const aggregate: ArtilleryReport = {
      firstMetricAt: start,
      lastMetricAt: start + 29_999,
      counters: { [`${MBE}GET /s [LIST].codes.200`]: 600, [`${MBE}GET /s/{id} [DETAIL].codes.200`]: 600 },
      summaries: {
        [`${MBE}response_time.GET /s [LIST]`]: summary(list, 600),
        [`${MBE}response_time.GET /s/{id} [DETAIL]`]: summary(8, 600),
        'http.response_time': summary(list, 1200),
        'plugins.btcw-targets.response_time.read': summary(list, 1200),
      },
    };
    return { aggregate, intermediate: periods };
  }
  const targets = loadTargets(`${ROOT}/config/targets.yml`);

  it('the snapshot keeps each period per endpoint; the slowed endpoint is the one regression, exit 5', () => {
    const base = run(10, 1_000_000);
    const baseEval = evaluate(base, targets);
    const snapshot = snapshotOf(baseEval, base.intermediate);
    const list = snapshot.endpoints.find((e) => e.name === 'GET /s [LIST]')!;
    assert.deepEqual(
      list.periods.map((p) => [p.s, p.requests, p.stats?.p95]),
      [
        [0, 200, 10],
        [10, 200, 10.1],
        [20, 200, 10.2],
      ],
    );
    const slow = run(60, 2_000_000);
    const graded = gradeWithBaseline(
      evaluate(slow, targets),
      slow.intermediate,
      { name: 'main', snapshot },
      null,
      targets,
    );
    assert.equal(graded.verdict, 'PASS');
    assert.equal(graded.exitCode, REGRESSION_EXIT_CODE);
    const regressed = graded.regression!.checks.filter((c) => c.status === 'regression');
    assert.deepEqual(regressed.map((c) => `${c.scope} ${c.subject} ${c.kind}`).sort(), [
      'class read latency',
      'endpoint GET /s [LIST] latency',
    ]);
    // the whole run is slower too: shown, not judged (regression.runShift unset)
    const overall = graded.regression!.checks.find((c) => c.scope === 'overall' && c.kind === 'latency');
    assert.equal(overall?.status, 'shift');
    const same = run(10, 3_000_000);
    const again = gradeWithBaseline(
      evaluate(same, targets),
      same.intermediate,
      { name: 'main', snapshot },
      null,
      targets,
    );
    assert.equal(again.regression!.regressions, 0);
    assert.equal(again.exitCode, 0);
  });
});

describe('targets.yml regression block', () => {
  const base = loadTargets(`${ROOT}/config/targets.yml`);
  it('the shipped targets list REGRESSION in failOn and carry a valid regression block', () => {
    assert.ok(base.failOn.includes('REGRESSION'));
    assert.equal(regressionRule(base).latency, 0.2);
  });
  it('a wrong key or value in regression: is one line naming it', () => {
    assert.throws(
      () => validateTargets({ ...base, regression: { latencyy: 0.2 } }, 't.yml'),
      (e: Error) => e instanceof TargetsError && /unknown key "regression\.latencyy"/.test(e.message),
    );
    assert.throws(
      () => validateTargets({ ...base, regression: { errorRate: 3 } }, 't.yml'),
      (e: Error) => e instanceof TargetsError && /"regression\.errorRate"/.test(e.message),
    );
    assert.throws(
      () => validateTargets({ ...base, failOn: ['REGRESSIONS'] }, 't.yml'),
      (e: Error) => e instanceof TargetsError && /failOn/.test(e.message),
    );
  });
});

describe('regression rule: how much was compared', () => {
  const info = { name: 'main', file: null, runTag: null, savedAt: null };
  const snap = (eps: Record<string, SnapshotSubject>): Snapshot => ({
    statistic: 'p95',
    durationSeconds: 60,
    overall: subject(10, [10, 10, 10]),
    classes: [{ class: 'read', ...subject(10, [10, 10, 10]) }],
    endpoints: Object.entries(eps).map(([name, figures]) => ({ name, class: 'read', ...figures })),
  });
  const steady = (ms: number, perPeriod: number) => subject(ms, [ms, ms * 1.01, ms * 0.99], perPeriod);

  it('says "N of M checks compared; K had too few requests", INCONCLUSIVE under half the requests', () => {
    // one busy endpoint of 300 requests, twenty small ones of 30 each (600): a third of the run compared
    const eps = (ms: number) => ({
      'GET /busy [B]': steady(ms, 100),
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`GET /small [${i}]`, steady(ms, 10)])),
    });
    const result = compareSnapshots(snap(eps(10)), snap(eps(10)), regressionRule({ statistic: 'p95' }), info);
    const coverage = result.coverage!;
    assert.equal(result.regressions, 0);
    assert.equal(coverage.checks, result.checks.length);
    assert.equal(coverage.tooFewRequests, 40); // latency and error rate of each small endpoint
    assert.ok(Math.abs(coverage.requestShare - 300 / 900) < 1e-9, String(coverage.requestShare));
    assert.equal(coverage.inconclusive, true);
    assert.match(
      coverageText(coverage),
      new RegExp(
        `^${coverage.compared} of ${coverage.checks} checks compared; 40 had too few requests; 33 %`,
      ),
    );
    const graded = evaluate(
      { aggregate: { counters: {}, summaries: {} } },
      loadTargets(`${ROOT}/config/targets.yml`),
    );
    const withBaseline = { ...graded, regression: result };
    assert.match(
      findings(withBaseline).headline,
      /; INCONCLUSIVE against baseline main: too little compared \(\d+ of \d+ checks/,
    );
  });

  it('stays "no regression" when most requests were compared', () => {
    const eps = (ms: number) => ({ 'GET /a [A]': steady(ms, 100), 'GET /small [S]': steady(ms, 10) });
    const result = compareSnapshots(snap(eps(10)), snap(eps(10)), regressionRule({ statistic: 'p95' }), info);
    assert.equal(result.coverage!.inconclusive, false);
    assert.ok(result.coverage!.requestShare > 0.9);
  });

  it('a regression is never inconclusive, however little was compared', () => {
    const small = Array.from({ length: 20 }, (_, i) => [`GET /s [${i}]`, steady(10, 10)]);
    const before = { 'GET /a [A]': steady(10, 100), ...Object.fromEntries(small) };
    const after = { ...before, 'GET /a [A]': steady(60, 100) };
    const result = compareSnapshots(snap(before), snap(after), regressionRule({ statistic: 'p95' }), info);
    assert.equal(result.regressions, 1);
    assert.ok(result.coverage!.requestShare < 0.5);
    assert.equal(result.coverage!.inconclusive, false);
  });

  it('words the DDSketch note without a contradiction', () => {
    const check = latencyCheck(subject(100, [100, 100, 100]), subject(121, [121, 121, 121]), 0.2, RULE);
    assert.equal(check.status, 'noise');
    assert.match(
      check.note,
      /^\+21\.0 %: over the allowed \+20\.0 %, but not by more than DDSketch's 1 % error a side$/,
    );
  });
});
