// The dashboard's snapshot, pure: the verdict so far is evaluate() on the periods seen, the total counts the
// 2 s ticks not yet covered by a period (and no tick twice), per-class users add up to the total, and the
// profile's elapsed and remaining time.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LiveState } from '../../dashboard/snapshot.js';
import { loadTargets } from '../../documents/targets-file.js';
import { type ArtilleryReport, evaluate } from '../../grading/evaluation.js';
import { guardAbort, withStop } from '../../grading/run-stop.js';
import { ROOT } from '../../harness/pack.js';
import { fixtureResults } from '../helpers/report-fixture.js';

const targets = loadTargets(path.join(ROOT, 'config', 'targets.yml'));
const RUN = { profile: 'smoke', runTag: 't', users: 7, runSeconds: 200, mix: 'comprehensive' };

/** The aggregate Artillery's periods add up to, without summaries (enough for the counts). */
function countersOf(periods: ArtilleryReport[]): ArtilleryReport {
  const counters: Record<string, number> = {};
  for (const period of periods)
    for (const [name, count] of Object.entries(period.counters ?? {}))
      counters[name] = (counters[name] ?? 0) + count;
  return {
    counters,
    firstMetricAt: periods[0]!.firstMetricAt,
    lastMetricAt: periods[periods.length - 1]!.lastMetricAt,
  };
}

describe('dashboard snapshot', () => {
  const { aggregate, intermediate } = fixtureResults();
  const t0 = intermediate[0]!.firstMetricAt!;

  it('grades what has been seen with evaluate(), period by period', () => {
    const state = new LiveState(RUN, targets, t0 - 3000);
    assert.equal(state.snapshot(t0).verdict, null, 'a verdict before any period');
    const three = intermediate.slice(0, 3);
    for (const period of three) state.receive({ btcw: 'period', period, aggregate: countersOf(three) });
    const soFar = evaluate({ aggregate: countersOf(three), intermediate: three }, targets);
    const s3 = state.snapshot(t0 + 30_000);
    assert.equal(s3.requests, soFar.overall.requests);
    assert.equal(s3.verdict?.periods, 3);
    assert.equal(s3.status, 'running');

    for (const period of intermediate.slice(3)) state.receive({ btcw: 'period', period, aggregate });
    const whole = evaluate({ aggregate, intermediate }, targets);
    const snapshot = state.snapshot(t0 + 120_000);
    assert.ok(snapshot.requests > s3.requests);
    assert.equal(snapshot.requests, whole.overall.requests);
    assert.equal(snapshot.failures, whole.overall.failed);
    assert.deepEqual(snapshot.verdict, {
      verdict: whole.verdict,
      reasons: whole.reasons.map((r) => r.message),
      periods: 12,
      final: false,
    });
    assert.deepEqual(
      snapshot.endpoints.map((e) => [e.name, e.requests, e.failures, e.p95, e.tier]),
      whole.endpoints.map((e) => [e.name, e.requests, e.failed, e.latency?.p95 ?? null, e.tier]),
    );
    // failures by endpoint and code add up to the run's failures
    assert.equal(
      snapshot.failureRows.reduce((a, f) => a + f.count, 0),
      whole.overall.failed,
    );
    assert.equal(snapshot.series.t.length, 12);
    assert.deepEqual(snapshot.series.requestsPerSec.slice(0, 1), [
      intermediate[0]!.counters!['http.requests']! / 9.9,
    ]);
  });

  it('per-class users add up to the total at every period', () => {
    const state = new LiveState(RUN, targets, t0);
    for (const period of intermediate) {
      state.receive({ btcw: 'period', period, aggregate });
      const snapshot = state.snapshot(period.lastMetricAt!);
      const sum = Object.values(snapshot.usersNow.byClass).reduce((a, n) => a + n, 0);
      assert.equal(sum, snapshot.usersNow.total, `at ${period.period}`);
      for (let index = 0; index < snapshot.series.t.length; index++) {
        const perClass = Object.values(snapshot.usersByClass).reduce((a, v) => a + (v[index] ?? 0), 0);
        assert.equal(perClass, snapshot.series.users[index]);
      }
    }
    assert.ok(state.snapshot(t0).usersNow.total > 0);
  });

  it('adds the ticks since the last period, once, and drops them when a period covers them', () => {
    const state = new LiveState(RUN, targets, t0);
    const first = intermediate.slice(0, 2);
    for (const period of first) state.receive({ btcw: 'period', period, aggregate: countersOf(first) });
    const base = state.snapshot(t0).requests;
    const end = first[1]!.lastMetricAt!;
    // a tick whose interval lies mostly before the period's end is already in it
    state.receive({ btcw: 'tick', t: end + 500, ms: 2000, requests: 30, failures: 1 });
    assert.equal(state.snapshot(end).requests, base);
    state.receive({ btcw: 'tick', t: end + 2500, ms: 2000, requests: 40, failures: 2 });
    state.receive({ btcw: 'tick', t: end + 4500, ms: 2000, requests: 50, failures: 0 });
    const live = state.snapshot(end + 4500);
    assert.equal(live.requests, base + 90);
    assert.equal(live.failures, state.evaluation()!.overall.failed + 2);
    assert.deepEqual(live.now, { requestsPerSec: 25, failuresPerSec: 0, at: end + 4500 });
    const three = intermediate.slice(0, 3);
    state.receive({ btcw: 'period', period: three[2]!, aggregate: countersOf(three) });
    assert.equal(state.snapshot(end + 10_000).requests, state.evaluation()!.overall.requests);
  });

  it('counts elapsed and remaining time from the first period, none left when finished', () => {
    const state = new LiveState(RUN, targets, t0 - 5000);
    assert.deepEqual(
      [state.snapshot(t0).elapsedSeconds, state.snapshot(t0).remainingSeconds, state.snapshot(t0).status],
      [5, 195, 'starting'],
    );
    state.receive({ btcw: 'period', period: intermediate[0]!, aggregate });
    const snapshot = state.snapshot(t0 + 50_000);
    assert.deepEqual([snapshot.elapsedSeconds, snapshot.remainingSeconds], [50, 150]);
    assert.equal(state.snapshot(t0 + 500_000).remainingSeconds, 0);
    state.exitCode = 0;
    state.files = ['x.html'];
    state.end(null, false, t0 + 60_000);
    const done = state.snapshot(t0 + 90_000);
    assert.deepEqual(
      [done.status, done.elapsedSeconds, done.remainingSeconds, done.exitCode, done.files],
      ['finished', 60, 0, 0, ['x.html']],
      'the clock stops when the run ends',
    );
  });

  it('after Stop: "stopped", the final verdict, and the final counts, not the last ticks', () => {
    const state = new LiveState(RUN, targets, t0 - 3000);
    const three = intermediate.slice(0, 3);
    for (const period of three) state.receive({ btcw: 'period', period, aggregate: countersOf(three) });
    // ticks after the last period: requests the final verdict never counts (the period was not flushed)
    const end = three[2]!.lastMetricAt!;
    state.receive({ btcw: 'tick', t: end + 3000, ms: 2000, requests: 17, failures: 2 });
    assert.equal(state.snapshot(end + 3000).requests, state.evaluation()!.overall.requests + 17);
    state.status = 'stopping';
    // the run's own evaluation: fewer periods than the page saw, as the plugin graded them
    const final = evaluate(
      { aggregate: countersOf(three.slice(0, 2)), intermediate: three.slice(0, 2) },
      targets,
    );
    state.end(final, true, end + 4000);
    const shown = state.snapshot(end + 9000);
    assert.equal(shown.status, 'stopped');
    assert.equal(shown.requests, final.overall.requests);
    assert.equal(shown.failures, final.overall.failed);
    assert.deepEqual(
      shown.endpoints.map((e) => [e.name, e.requests]),
      final.endpoints.map((e) => [e.name, e.requests]),
    );
    assert.equal(shown.verdict?.verdict, final.verdict);
    assert.equal(shown.verdict?.final, true);
    assert.equal(shown.remainingSeconds, 0);
  });

  it("shows the guard's lines, and 'aborted' with ABORTED after its stop", () => {
    const state = new LiveState(RUN, targets, t0 - 3000);
    for (const period of intermediate.slice(0, 4)) state.receive({ btcw: 'period', period, aggregate });
    const stopLine = 'ABORTED by the guard at 0:40: error rate 23 % over the last 30 s (critical ≥ 10 %)';
    const event = {
      kind: 'level' as const,
      action: 'stop' as const,
      at: t0 + 40_000,
      elapsedSeconds: 40,
      level: 'critical' as const,
      previous: 'ok' as const,
      window: { seconds: 30, from: t0 + 10_000, to: t0 + 40_000, requests: 300, failed: 70, errorRate: 0.23 },
      slowClasses: [],
      message: stopLine,
    };
    state.receive({ btcw: 'guard', event });
    assert.equal(state.snapshot(t0 + 41_000).status, 'stopping');
    assert.deepEqual(state.snapshot(t0 + 41_000).guard, { lines: [stopLine], stop: stopLine });
    const final = withStop(
      evaluate({ aggregate, intermediate, guard: { events: [event], stop: event } }, targets),
      guardAbort(event),
    );
    state.end(final, false, t0 + 42_000);
    const shown = state.snapshot(t0 + 43_000);
    assert.equal(shown.status, 'aborted');
    assert.equal(shown.verdict?.verdict, 'ABORTED');
    assert.equal(shown.verdict?.reasons[0], stopLine);
  });
});
