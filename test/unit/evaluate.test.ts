import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import {
  type ArtilleryResults,
  classify,
  evaluate,
  failureRows,
  type Summary,
  tierOf,
  UNRECORDED,
} from '../../grading/evaluation.js';
import { findings } from '../../grading/findings.js';
import { forProfile, type Targets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import { expectedStatuses, isSuccess } from '../../plugin/expected-status.js';

const TARGETS: Targets = loadTargets(`${ROOT}/config/targets.yml`);
const MBE = 'plugins.metrics-by-endpoint.';

// Artillery's ladder: p50, p75, p90, p95, p99 (grading/evidence.ts reads each as an order statistic).
function summary(p95: number, count = 100): Summary {
  const ladder = { p50: p95 / 2, p75: p95 * 0.75, p90: p95 * 0.9, p95, p99: p95 * 1.5 };
  return { min: p95 / 4, max: p95 * 2, count, mean: p95 / 2, ...ladder };
}

interface Ep {
  name: string;
  ok?: number;
  failed?: number;
  code?: number;
  errors?: number;
  p95?: number;
  /** The plugin's exact counts of responses at or over a bound: { 300: 12 }. */
  slower?: Record<number, number>;
}

/** Synthetic Artillery results over a 100 s run: per-endpoint codes, network errors and latency. */
function results(eps: Ep[], opts: { tracked?: boolean; durationMs?: number } = {}): ArtilleryResults {
  const counters: Record<string, number> = {};
  const summaries: Record<string, Summary> = {};
  let all = 0;
  for (const endpoint of eps) {
    if (endpoint.ok) counters[`${MBE}${endpoint.name}.codes.200`] = endpoint.ok;
    if (endpoint.failed) counters[`${MBE}${endpoint.name}.codes.${endpoint.code ?? 500}`] = endpoint.failed;
    if (endpoint.errors) counters[`${MBE}${endpoint.name}.errors.ECONNRESET`] = endpoint.errors;
    if (opts.tracked && endpoint.failed)
      counters[`plugins.btcw-targets.failed.${endpoint.name}.codes.${endpoint.code ?? 500}`] =
        endpoint.failed;
    if (opts.tracked && endpoint.errors)
      counters[`plugins.btcw-targets.failed.${endpoint.name}.errors.ECONNRESET`] = endpoint.errors;
    for (const [bound, slow] of Object.entries(endpoint.slower ?? {}))
      counters[`plugins.btcw-targets.slower.${bound}ms.${endpoint.name}`] = slow;
    const responses = (endpoint.ok ?? 0) + (endpoint.failed ?? 0);
    if (endpoint.p95 !== undefined && responses > 0)
      summaries[`${MBE}response_time.${endpoint.name}`] = summary(endpoint.p95, responses);
    all += responses;
  }
  if (opts.tracked) counters['plugins.btcw-targets.responses'] = all;
  summaries['http.response_time'] = summary(Math.max(0, ...eps.map((e) => e.p95 ?? 0)), all);
  return {
    aggregate: {
      counters,
      summaries,
      firstMetricAt: 1_000_000,
      lastMetricAt: 1_000_000 + (opts.durationMs ?? 100_000),
    },
  };
}

describe('evaluate: response-time tiers', () => {
  it('puts exactly 100 ms in good and exactly 300 ms in acceptable (bounds are exclusive)', () => {
    const rt = TARGETS.responseTime;
    assert.equal(tierOf(99.9, rt), 'excellent');
    assert.equal(tierOf(100, rt), 'good');
    assert.equal(tierOf(299.9, rt), 'good');
    assert.equal(tierOf(300, rt), 'acceptable');
    assert.equal(tierOf(1000, rt), 'poor');
    assert.equal(tierOf(3000, rt), 'unacceptable');
  });
  it('passes an endpoint at 299 ms and fails one at 300 ms (target good) when the count shows it', () => {
    const pass = evaluate(results([{ name: 'GET /strategies/ [LIST]', ok: 100, p95: 299 }]), TARGETS);
    assert.equal(pass.verdict, 'PASS');
    const counted = { name: 'GET /strategies/ [LIST]', ok: 100, p95: 300, slower: { 300: 12 } };
    const fail = evaluate(results([counted]), TARGETS);
    assert.equal(fail.verdict, 'FAIL');
    assert.equal(fail.exitCode, 3);
    assert.match(
      fail.reasons[0]!.message,
      /GET \/strategies\/ \[LIST\] p95 300 ms is acceptable, below its target tier good/,
    );
  });
  it("fails a run whose users the generator lost to its own errors, not to the API's", () => {
    const clean = results([{ name: 'GET /strategies/ [LIST]', ok: 100, p95: 20 }]);
    const withStops = (stops: Record<string, number>): ArtilleryResults => ({
      aggregate: { ...clean.aggregate, counters: { ...clean.aggregate.counters, ...stops } },
    });
    // a network error that ends an HTTP-engine user is the API's doing: a note, not a failure
    assert.equal(evaluate(withStops({ 'btcw.users_stopped.network_error': 2 }), TARGETS).verdict, 'PASS');
    const lost = evaluate(
      withStops({ 'btcw.users_stopped.engine_error': 9, 'btcw.users_stopped.hook_failed': 1 }),
      TARGETS,
    );
    assert.equal(lost.verdict, 'FAIL');
    assert.equal(lost.exitCode, 3);
    const reason = lost.reasons.find((r) => r.kind === 'users-lost');
    assert.match(
      reason?.message ?? '',
      /^10 users ended on an error of the load generator.*hook_failed 1, engine_error 9/,
    );
    const said = findings(lost);
    assert.ok(
      said.lines.some((line) => line.text === reason!.message),
      'the findings say it',
    );
    assert.match(said.headline, /^FAIL: 10 users lost to the load generator/);
    assert.ok(!said.lines.some((line) => line.kind === 'stopped'), 'not again as users stopped early');
  });
  it('grades the chosen statistic and honours per-endpoint overrides', () => {
    const runResults = results([{ name: 'POST /auth/token [LOGIN AT START]', ok: 10, p95: 700 }]);
    assert.equal(evaluate(runResults, TARGETS).verdict, 'PASS'); // login target is acceptable
    const byMean = evaluate(results([{ name: 'GET /x [A]', ok: 10, p95: 400 }]), {
      ...TARGETS,
      statistic: 'mean',
    }); // mean = 200
    assert.equal(byMean.endpoints[0]!.tier, 'good');
  });
});

describe('evaluate: error-rate levels', () => {
  const at = (failedPerMille: number) =>
    evaluate(
      results([{ name: 'GET /x [A]', ok: 1000 - failedPerMille, failed: failedPerMille, p95: 10 }]),
      TARGETS,
    );
  it('passes below 1 %, warns from 1 % to below 5 %, fails from 5 %, critical from 10 %', () => {
    assert.equal(at(9).verdict, 'PASS');
    assert.equal(at(10).verdict, 'WARN');
    assert.equal(at(10).overall.errorLevel, 'warning');
    assert.equal(at(10).exitCode, 0);
    assert.equal(at(49).verdict, 'WARN');
    assert.equal(at(50).verdict, 'FAIL');
    assert.equal(at(50).overall.errorLevel, 'high');
    assert.equal(at(100).overall.errorLevel, 'critical');
    assert.match(at(100).reasons[0]!.message, /critical/);
  });
  it('makes WARN fail the run when failOn includes it', () => {
    const runResults = results([{ name: 'GET /x [A]', ok: 97, failed: 3, p95: 10 }]);
    assert.equal(evaluate(runResults, { ...TARGETS, failOn: ['WARN', 'FAIL'] }).exitCode, 4);
  });
  it('counts failed requests, not users, including network errors', () => {
    const evaluation = evaluate(results([{ name: 'GET /x [A]', ok: 90, errors: 10, p95: 10 }]), TARGETS);
    assert.equal(evaluation.overall.requests, 100);
    assert.equal(evaluation.overall.failed, 10);
    assert.equal(evaluation.verdict, 'FAIL');
  });
  it("uses the plugin's expectation-aware failures when tracked (an expected 401 is a success)", () => {
    const untracked = evaluate(
      results([
        { name: 'POST /auth/token [INVALID LOGIN]', ok: 0, failed: 20, code: 401, p95: 5 },
        { name: 'GET /x [A]', ok: 980, p95: 5 },
      ]),
      TARGETS,
    );
    assert.equal(untracked.overall.failed, 20);
    const runResults = results(
      [
        { name: 'POST /auth/token [INVALID LOGIN]', failed: 20, code: 401, p95: 5 },
        { name: 'GET /x [A]', ok: 980, p95: 5 },
      ],
      { tracked: true },
    );
    delete runResults.aggregate.counters![
      'plugins.btcw-targets.failed.POST /auth/token [INVALID LOGIN].codes.401'
    ];
    const tracked = evaluate(runResults, TARGETS);
    assert.equal(tracked.overall.failed, 0);
    assert.equal(tracked.verdict, 'PASS');
    assert.deepEqual(tracked.endpoints[0]!.failures, { codes: {}, errors: {} });
  });
  it('records failures per status and error code, unexpected successes included, adding up to failed', () => {
    const start = 'POST /strategies/{id}/start [START]';
    const runResults = results(
      [
        { name: start, ok: 0, failed: 4, code: 200, p95: 5 }, // 200 where 202 was expected
        { name: 'GET /x [A]', ok: 90, failed: 6, code: 503, errors: 2, p95: 5 },
      ],
      { tracked: true },
    );
    runResults.aggregate.counters![`${MBE}${start}.codes.202`] = 16;
    const evaluation = evaluate(runResults, TARGETS);
    const startEndpoint = evaluation.endpoints.find((x) => x.name === start)!;
    assert.deepEqual(startEndpoint.failures, { codes: { 200: 4 }, errors: {} });
    assert.equal(startEndpoint.failed, 4);
    assert.equal(startEndpoint.requests, 20);
    const endpointX = evaluation.endpoints.find((y) => y.name === 'GET /x [A]')!;
    assert.deepEqual(endpointX.failures, { codes: { 503: 6 }, errors: { ECONNRESET: 2 } });
    assert.equal(endpointX.failed, 8);
    assert.deepEqual(evaluation.overall.failures, { codes: { 200: 4, 503: 6 }, errors: { ECONNRESET: 2 } });
    assert.equal(evaluation.overall.failed, 12);
    assert.deepEqual(
      failureRows(evaluation.overall.failures).map((f) => `${f.count} ${f.label}`),
      ['6 HTTP 503', '4 HTTP 200 (unexpected)', '2 ECONNRESET'],
    );
  });
  it('reads results from before per-code failures: a total per name, broken down as far as it goes', () => {
    const runResults = results([{ name: 'GET /x [A]', ok: 90, failed: 6, code: 503, errors: 2, p95: 5 }]);
    runResults.aggregate.counters!['plugins.btcw-targets.responses'] = 96;
    // 2 network errors + 3 statuses
    runResults.aggregate.counters!['plugins.btcw-targets.failed.GET /x [A]'] = 5;
    const endpoint = evaluate(runResults, TARGETS).endpoints[0]!;
    assert.equal(endpoint.failed, 5);
    assert.deepEqual(endpoint.failures, { codes: {}, errors: { ECONNRESET: 2, [UNRECORDED]: 3 } });
  });
  it('tags each reason with its kind and subject', () => {
    const evaluation = evaluate(
      results([
        { name: 'GET /y [B]', failed: 10, p95: 400 },
        { name: 'GET /x [A]', ok: 100, p95: 10 },
      ]),
      TARGETS,
    );
    assert.deepEqual(
      evaluation.reasons.map((r) => [r.verdict, r.kind, r.subject]),
      [
        ['FAIL', 'error-rate', undefined],
        ['FAIL', 'broken', 'GET /y [B]'],
        // 10 requests are too few to judge alone: not slow, whatever their p95
      ],
    );
    assert.equal(evaluation.endpoints.find((x) => x.name === 'GET /y [B]')!.evidence!.status, 'too-few');
    assert.match(evaluation.reasons[1]!.message, /failed 10 of 10 requests \(100\.0 %\): 10 × HTTP 500$/);
  });
  it('fails an endpoint with only failures even when the total stays low', () => {
    const evaluation = evaluate(
      results([
        { name: 'GET /x [A]', ok: 2000, p95: 10 },
        { name: 'GET /y [B]', failed: 10, p95: 10 },
      ]),
      TARGETS,
    );
    assert.equal(evaluation.overall.errorLevel, 'ok');
    assert.equal(evaluation.verdict, 'FAIL');
    assert.match(evaluation.reasons.map((r) => r.message).join('\n'), /GET \/y \[B\] failed 10 of 10/);
    const onlyErrors = evaluate(
      results([
        { name: 'GET /x [A]', ok: 2000, p95: 10 },
        { name: 'GET /z [C]', errors: 6 },
      ]),
      TARGETS,
    );
    const endpointZ = onlyErrors.endpoints.find((x) => x.name === 'GET /z [C]')!;
    assert.equal(endpointZ.latency, null);
    assert.equal(endpointZ.tier, null);
    assert.equal(onlyErrors.verdict, 'FAIL');
  });
});

describe('evaluate: edge cases', () => {
  it('fails a run with zero requests', () => {
    const evaluation = evaluate({ aggregate: {} }, TARGETS);
    assert.equal(evaluation.verdict, 'FAIL');
    assert.equal(evaluation.overall.requests, 0);
    assert.equal(evaluation.durationSeconds, null);
    assert.match(evaluation.reasons[0]!.message, /no requests/);
  });
  it('treats missing counters as zero and keeps classes without requests', () => {
    const evaluation = evaluate(results([{ name: 'GET /strategies/ [LIST]', ok: 50, p95: 5 }]), TARGETS);
    const write = evaluation.classes.find((c) => c.class === 'write')!;
    assert.equal(write.requests, 0);
    assert.equal(write.throughputStatus, 'not-exercised');
    assert.equal(write.tier, null);
  });
  it('classifies by rules over method, path and name', () => {
    const rules = TARGETS.classes;
    assert.equal(classify('POST /signals/webhook/{id} [BUY]', rules), 'webhook');
    assert.equal(classify('POST /auth/token [LOGIN]', rules), 'auth');
    assert.equal(classify('GET /auth/me [CURRENT USER]', rules), 'auth');
    assert.equal(classify('DELETE /strategies/{id} [DELETE]', rules), 'write');
    assert.equal(classify('GET /signals/ [LIST]', rules), 'read');
    assert.equal(classify('/unnamed', rules), 'other');
  });
});

describe('evaluate: throughput', () => {
  it("computes count / measured duration, not Artillery's averaged rates", () => {
    const evaluation = evaluate(
      results([{ name: 'GET /x [A]', ok: 500, p95: 5 }], { durationMs: 50_000 }),
      TARGETS,
    );
    assert.equal(evaluation.durationSeconds, 50);
    assert.equal(evaluation.overall.throughput, 10);
    assert.equal(evaluation.classes.find((c) => c.class === 'read')!.throughput, 10);
  });
  it('says a demand-bound class was not exercised instead of failing it', () => {
    const evaluation = evaluate(results([{ name: 'GET /x [A]', ok: 1000, p95: 5 }]), TARGETS);
    const read = evaluation.classes.find((c) => c.class === 'read')!;
    assert.equal(read.throughputStatus, 'not-exercised');
    assert.equal(read.throughput, 10);
    assert.equal(evaluation.verdict, 'PASS');
  });
  it('fails a class below target when the server is slow, passes one at target', () => {
    const slow = evaluate(results([{ name: 'GET /x [A]', ok: 1000, p95: 2000 }]), {
      ...TARGETS,
      endpoints: {},
    });
    assert.equal(slow.classes.find((c) => c.class === 'read')!.throughputStatus, 'fail');
    const fast = evaluate(
      results([{ name: 'POST /signals/webhook/{id} [BUY]', ok: 20_000, p95: 5 }]),
      TARGETS,
    );
    assert.equal(fast.classes.find((c) => c.class === 'webhook')!.throughputStatus, 'pass');
  });
});

describe('expected statuses', () => {
  it('reads expect specs as artillery-plugin-expect writes them', () => {
    assert.deepEqual(expectedStatuses([{ statusCode: 200 }]), [200]);
    assert.deepEqual(expectedStatuses([{ statusCode: [400, 401, 422] }]), [400, 401, 422]);
    assert.deepEqual(expectedStatuses({ statusCode: '202' }), [202]);
    assert.deepEqual(expectedStatuses([{ contentType: 'json' }]), null);
    assert.deepEqual(expectedStatuses(undefined), null);
    assert.deepEqual(
      expectedStatuses([{ statusCode: '{{ s }}' }], () => '401'),
      [401],
    );
    assert.equal(isSuccess(401, [400, 401, 422]), true);
    assert.equal(isSuccess(200, [401]), false);
    assert.equal(isSuccess(302, null), true);
    assert.equal(isSuccess(404, null), false);
  });
});

describe('profile overrides', () => {
  it("merges a profile's levels over the defaults", () => {
    const stress = forProfile(TARGETS, 'stress');
    assert.equal(stress.errorRate.acceptable, 0.05);
    assert.equal(stress.responseTime.good, 300);
    assert.equal(forProfile(TARGETS, 'nope'), TARGETS);
  });
});
