// The live error-rate guard's window and levels (grading/error-rate-guard.ts), on made-up slices and periods:
// what stops a run, what only warns once, and what never triggers it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import {
  ErrorRateGuard,
  GUARD_EXIT_CODE,
  type GuardRule,
  type GuardSlice,
  guardRule,
  periodSlice,
} from '../../grading/error-rate-guard.js';
import { evaluate } from '../../grading/evaluation.js';
import { guardAbort, shownVerdict, withStop } from '../../grading/run-stop.js';
import { forProfile, type Targets, TargetsError, validateTargets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import { failedCode } from '../../lib/metrics.js';
import { formatSummary } from '../../report/console-verdict.js';
import { junitXml } from '../../report/junit.js';
import { renderHtml } from '../../report/render-html.js';
import { stepSummary } from '../../report/step-summary.js';
import { fixtureDocument } from '../helpers/report-fixture.js';

const TARGETS: Targets = loadTargets(`${ROOT}/config/targets.yml`);
const RULE = guardRule(TARGETS)!;
const T0 = 1_700_000_000_000;
const MBE = 'plugins.metrics-by-endpoint.';
const NAME = 'GET /strategies/ [LIST]';

/** Period `index` (10 s each from T0) with `requests` requests of which `failed` failed. */
function slice(
  index: number,
  requests: number,
  failed: number,
  classes: Record<string, number> = {},
): GuardSlice {
  return { start: T0 + index * 10_000, end: T0 + (index + 1) * 10_000, requests, failed, classes };
}

/** Feeds rates per period (0..1, 100 requests each) from period 0; returns every event. */
function run(guard: ErrorRateGuard, rates: number[]) {
  return rates.flatMap((r, i) => guard.add(slice(i, 100, Math.round(r * 100))));
}

describe('guard rule: from targets.yml', () => {
  it('defaults: a 30 s window, the errorRate levels, warn at warning, stop at critical', () => {
    assert.equal(RULE.windowSeconds, 30);
    assert.deepEqual(RULE.errorRate, { acceptable: 0.01, warning: 0.05, critical: 0.1 });
    assert.deepEqual(RULE.actions, { warning: 'warn', high: 'warn', critical: 'stop' });
    assert.equal(RULE.latency, null);
  });

  it("follows a profile's errorRate, and a profile's own guard block over the base one", () => {
    const stress = guardRule(forProfile(TARGETS, 'stress'))!;
    assert.equal(stress.errorRate.critical, 0.2);
    const custom = validateTargets({
      ...structuredClone(TARGETS),
      guard: { windowSeconds: 60, actions: { high: 'stop' } },
      profiles: {
        load: { guard: { windowSeconds: 20, errorRate: { critical: 0.3 } } },
        off: { guard: { enabled: false } },
      },
    });
    const load = guardRule(forProfile(custom, 'load'))!;
    assert.equal(load.windowSeconds, 20);
    assert.equal(load.errorRate.critical, 0.3);
    assert.equal(load.actions.high, 'stop', 'the base block is kept under the profile');
    assert.equal(guardRule(forProfile(custom, 'smoke'))!.windowSeconds, 60);
    assert.equal(guardRule(forProfile(custom, 'off')), null);
  });

  it('rejects a bad guard block with one line naming the key', () => {
    const bad = (guard: unknown, re: RegExp) =>
      assert.throws(
        () => validateTargets({ ...structuredClone(TARGETS), guard }, 'targets.yml'),
        (e: unknown) => e instanceof TargetsError && re.test(e.message) && !e.message.includes('\n'),
      );
    bad({ windwSeconds: 30 }, /unknown key "guard\.windwSeconds"/);
    bad({ actions: { critical: 'halt' } }, /"guard\.actions\.critical"/);
    bad({ windowSeconds: 5 }, /"guard\.windowSeconds"/);
    bad({ errorRate: { warning: 0.5, critical: 0.2 } }, /guard\.errorRate levels must increase/);
  });
});

describe('guard: no false stops', () => {
  it('never judges the arrivals, their login wave and the settle time, however bad', () => {
    const guard = new ErrorRateGuard(RULE, 20); // users arrive for 20 s; settle 10 s after
    assert.deepEqual(run(guard, [1, 1, 1, 0, 0, 0]), []);
    assert.equal(guard.judgedFrom(), T0 + 30_000);
  });

  it('does not stop on a blip shorter than the window, even at 100 %', () => {
    const guard = new ErrorRateGuard(RULE, 0);
    // settle: periods 0 (arrivals 0 s + 10 s); then a full window, then one period and a half at 100 %
    assert.deepEqual(run(guard, [0, 0, 0, 0, 1, 0.5, 0, 0, 0, 0]), []);
    assert.equal(guard.result().stop, null);
  });

  it('does not judge a window with fewer requests than minRequests', () => {
    const guard = new ErrorRateGuard({ ...RULE, minRequests: 50 }, 0);
    const events = [1, 2, 3, 4, 5].flatMap((i) => guard.add(slice(i, 5, 5)));
    assert.deepEqual(events, []);
  });
});

describe('guard: levels and actions', () => {
  it('stops when every period of a full window is critical, with the verdict line', () => {
    const guard = new ErrorRateGuard(RULE, 0);
    const events = run(guard, [0, 0, 0, 0, 0.2, 0.3, 0.2, 0.5, 0.5]);
    assert.equal(events.length, 1, JSON.stringify(events));
    const stop = events[0]!;
    assert.equal(stop.action, 'stop');
    assert.equal(stop.level, 'critical');
    assert.equal(stop.at, T0 + 70_000);
    assert.equal(stop.window.requests, 300);
    assert.equal(stop.window.failed, 70);
    assert.equal(
      stop.message,
      'ABORTED by the guard at 1:10: error rate 23 % over the last 30 s (critical ≥ 10 %)',
    );
    assert.deepEqual(guard.result().stop, stop);
    assert.deepEqual(guard.add(slice(9, 100, 90)), [], 'nothing after a stop');
  });

  it('warns once when the level changes, not every period, and once when it is back', () => {
    const guard = new ErrorRateGuard(RULE, 0);
    const events = run(guard, [0, 0, 0, 0, 0.02, 0.03, 0.02, 0.03, 0.02, 0.03, 0.02, 0, 0, 0, 0]);
    assert.deepEqual(
      events.map((e) => [e.action, e.level, e.previous]),
      [
        ['warn', 'warning', 'ok'],
        ['none', 'ok', 'warning'],
      ],
    );
    assert.match(
      events[0]!.message,
      new RegExp(
        '^guard at 1:10: error rate 2\\.3 % over the last 30 s \\(warning ≥ 1 %\\); ' +
          '7 of 300 requests failed: lower the load',
      ),
    );
    assert.match(events[1]!.message, /back under warning \(< 1 %\)/);
    assert.equal(guard.result().stop, null);
  });

  it('a level with action none says nothing; a custom action stops at high', () => {
    const quiet = new ErrorRateGuard(
      { ...RULE, actions: { warning: 'none', high: 'none', critical: 'stop' } },
      0,
    );
    assert.deepEqual(run(quiet, [0, 0, 0, 0, 0.06, 0.07, 0.06, 0.06]), []);
    const strict = new ErrorRateGuard(
      { ...RULE, actions: { warning: 'warn', high: 'stop', critical: 'stop' } },
      0,
    );
    const events = run(strict, [0, 0, 0, 0, 0.06, 0.07, 0.06, 0.06]);
    assert.deepEqual(
      events.map((e) => [e.action, e.level]),
      [['stop', 'high']],
    );
    assert.match(events[0]!.message, /\(high ≥ 5 %\)$/);
  });

  it('the latency condition: a class past the bound in every period of the window', () => {
    const rule: GuardRule = { ...RULE, latency: { past: 'poor', boundMs: 3000, action: 'stop' } };
    const guard = new ErrorRateGuard(rule, 0);
    const slow = (i: number, ms: number) => guard.add(slice(i, 100, 0, { read: ms, write: 50 }));
    const events = [
      slow(0, 4000),
      slow(1, 100),
      slow(2, 4000),
      slow(3, 4000),
      slow(4, 100),
      slow(5, 3500),
      slow(6, 3200),
      slow(7, 4100),
    ];
    const all = events.flat();
    assert.equal(all.length, 1);
    assert.equal(all[0]!.kind, 'latency');
    assert.equal(all[0]!.action, 'stop');
    assert.deepEqual(all[0]!.slowClasses, ['read']);
    assert.match(all[0]!.message, /^ABORTED by the guard at 1:20: read p95 slower than poor \(≥ 3000 ms\)/);
  });
});

describe('guard: periods and the verdict', () => {
  it('a period counts requests and failures as the verdict does', () => {
    const period = {
      period: T0,
      counters: {
        [`${MBE}${NAME}.codes.200`]: 80,
        [`${MBE}${NAME}.codes.500`]: 20,
        [failedCode(NAME, 500)]: 20,
        'plugins.btcw-targets.responses': 100,
      },
      summaries: {},
    };
    const one = periodSlice(period, TARGETS)!;
    assert.deepEqual([one.start, one.end, one.requests, one.failed], [T0, T0 + 10_000, 100, 20]);
  });

  it('a stop makes the verdict ABORTED with its own exit code, outranking FAIL', () => {
    const guard = new ErrorRateGuard(RULE, 0);
    run(guard, [0, 0, 0, 0, 0.5, 0.5, 0.5]);
    const record = guard.result();
    const aggregate = {
      counters: {
        [`${MBE}${NAME}.codes.200`]: 10,
        [`${MBE}${NAME}.codes.500`]: 90,
        [failedCode(NAME, 500)]: 90,
      },
      summaries: {},
      firstMetricAt: T0,
      lastMetricAt: T0 + 70_000,
    };
    const graded = withStop(evaluate({ aggregate, guard: record }, TARGETS), guardAbort(record.stop!));
    assert.equal(shownVerdict(graded), 'ABORTED');
    assert.equal(graded.exitCode, GUARD_EXIT_CODE);
    assert.ok(![0, 1, 2, 3, 4, 5, 6, 7, 21, 130, 137, 143].includes(GUARD_EXIT_CODE));
    assert.equal(graded.verdict, 'FAIL', 'the targets still grade the periods before the stop');
    assert.equal(graded.stop?.line, record.stop!.message);
    assert.equal(graded.stop?.at, T0 + 70_000);
    const clean = evaluate({ aggregate, guard: { events: [], stop: null } }, TARGETS);
    assert.equal(shownVerdict(clean), 'FAIL');
    assert.equal(clean.exitCode, 3);
  });
});

describe('guard: what an aborted run leaves', () => {
  const doc = fixtureDocument();
  const periods = doc.intermediate ?? [];
  const t0 = periods[0]!.firstMetricAt!;
  const guard = new ErrorRateGuard(RULE, 0);
  run(guard, [0, 0, 0, 0, 0.5, 0.5, 0.5]);
  const stop = { ...guard.result().stop!, at: t0 + 40_000 };
  const evaluation = withStop({ ...doc.evaluation, guard: { events: [stop], stop } }, guardAbort(stop));
  const aborted = { ...doc, evaluation };

  it('JUnit fails with the guard line, whatever failOn lists', () => {
    const xml = junitXml(aborted.evaluation, 'btcw.load', [], 'btcw');
    assert.match(xml, /<failure message="ABORTED by the guard at 1:10: [^"]*\(exit code 8\)" type="ABORTED"/);
    assert.doesNotMatch(junitXml(doc.evaluation, 'btcw.load', [], 'btcw'), /type="ABORTED"/);
  });

  it('the report says ABORTED and marks the moment on its charts', () => {
    const html = renderHtml(aborted);
    assert.match(html, /<title>BTC Watcher load test: ABORTED/);
    assert.match(html, /<section class="banner ABORTED"/);
    const marks = html.match(/<line [^>]*class="mark stop"><title>ABORTED by the guard at 1:10/g) ?? [];
    assert.ok(marks.length >= 3, `${marks.length} charts marked`);
    assert.doesNotMatch(renderHtml(doc), /class="mark /);
    // regraded from its -o file, the run keeps its stop (and its moment), not the guard's other events
    const regraded = renderHtml({ ...doc, evaluation: withStop(doc.evaluation, guardAbort(stop)) });
    assert.match(regraded, /<line [^>]*class="mark stop"><title>ABORTED by the guard at 1:10/);
  });

  it('the console verdict and the step summary say ABORTED with the guard line', () => {
    assert.match(formatSummary(aborted.evaluation), /targets: ABORTED \(graded so far: (PASS|WARN|FAIL)\)/);
    const summary = stepSummary(aborted.evaluation, 'run');
    assert.match(summary, /: ABORTED \(graded so far: \w+\) \(exit code 8\)/);
    assert.match(summary, /ABORTED by the guard at 1:10/);
  });
});
