// One-off traffic is not steady load: a module run's start-up logins get no throughput verdict (neither
// "saturated" nor a pass), and retried login attempts are told apart from failures that cost a user a task.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import {
  type ArtilleryReport,
  type ArtilleryResults,
  evaluate,
  type Summary,
} from '../../grading/evaluation.js';
import { findings } from '../../grading/findings.js';
import { forProfile, type Targets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import { BY_ENDPOINT as MBE } from '../../lib/metrics.js';
import { formatSummary } from '../../report/console-verdict.js';
import { flatSummary } from '../helpers/summaries.js';

const TARGETS: Targets = forProfile(loadTargets(`${ROOT}/config/targets.yml`), 'strategy');
const LOGIN = 'POST /auth/token [LOGIN AT START]';
const LIST = 'GET /strategies/ [LIST]';

/** A 60 s run in six 10 s periods: `perPeriod[name][i]` requests of each name in period i, at `ms`. */
function run(
  perPeriod: Record<string, { counts: number[]; ms: number; failed?: number }>,
  pack: Record<string, number> = {},
): ArtilleryResults {
  const intermediate: ArtilleryReport[] = [];
  const counters: Record<string, number> = { 'plugins.btcw-targets.responses': 1, ...pack };
  const summaries: Record<string, Summary> = {};
  for (let period = 0; period < 6; period++) {
    const periodCounters: Record<string, number> = {};
    for (const [name, load] of Object.entries(perPeriod))
      if (load.counts[period]! > 0) periodCounters[`${MBE}${name}.codes.200`] = load.counts[period]!;
    intermediate.push({ counters: periodCounters, firstMetricAt: period * 10_000, period: period * 10_000 });
  }
  for (const [name, load] of Object.entries(perPeriod)) {
    const all = load.counts.reduce((a, b) => a + b, 0);
    counters[`${MBE}${name}.codes.200`] = all - (load.failed ?? 0);
    if (load.failed) {
      counters[`${MBE}${name}.codes.500`] = load.failed;
      counters[`plugins.btcw-targets.failed.${name}.codes.500`] = load.failed;
    }
    summaries[`${MBE}response_time.${name}`] = flatSummary(load.ms, all);
  }
  return { aggregate: { counters, summaries, firstMetricAt: 0, lastMetricAt: 60_000 }, intermediate };
}

describe('steady load: set-up traffic gets no throughput verdict', () => {
  it("does not call a module run's 40 slow start-up logins a saturated auth class", () => {
    // 40 logins queued behind bcrypt (2.5 s each) in the first 10 s, then only strategy reads
    const evaluation = evaluate(
      run({
        [LOGIN]: { counts: [40, 0, 0, 0, 0, 0], ms: 2500 },
        [LIST]: { counts: [50, 50, 50, 50, 50, 50], ms: 20 },
      }),
      TARGETS,
    );
    const auth = evaluation.classes.find((c) => c.class === 'auth')!;
    assert.equal(auth.throughputStatus, 'one-off');
    assert.equal(auth.laterShare, 0);
    assert.ok(!evaluation.reasons.some((r) => r.kind === 'saturated'), JSON.stringify(evaluation.reasons));
    // the logins are still over their own (acceptable) target on 40 requests: that is a latency finding
    assert.ok(evaluation.reasons.some((r) => r.kind === 'slow' && r.subject === LOGIN));
    assert.equal(evaluation.classes.find((c) => c.class === 'read')!.throughputStatus, 'not-exercised');
    assert.match(formatSummary(evaluation), /one-off: auth traffic was set-up, not the steady load/);
  });
  it('still fails a saturated class whose traffic ran the whole run', () => {
    const steady = [7, 7, 7, 7, 6, 6];
    const evaluation = evaluate(run({ [LOGIN]: { counts: steady, ms: 2500 } }), TARGETS);
    const auth = evaluation.classes.find((c) => c.class === 'auth')!;
    assert.ok(auth.laterShare! > 0.4);
    assert.equal(auth.throughputStatus, 'fail');
    assert.ok(evaluation.reasons.some((r) => r.kind === 'saturated' && r.subject === 'auth'));
  });
  it('does not call the traffic of a one-period run set-up (a short smoke run)', () => {
    // One period spans the whole run: half of it lies in the later half, whatever its start.
    const results = run({ [LOGIN]: { counts: [40, 0, 0, 0, 0, 0], ms: 2500 } });
    results.intermediate = [{ ...results.intermediate![0]!, lastMetricAt: 9_000 }];
    results.aggregate.lastMetricAt = 9_000;
    const auth = evaluate(results, TARGETS).classes.find((c) => c.class === 'auth')!;
    assert.ok(auth.laterShare! > 0.4, String(auth.laterShare));
    assert.equal(auth.throughputStatus, 'fail');
  });

  it('judges the whole run when it has no periods (older or synthetic results)', () => {
    const results = run({ [LOGIN]: { counts: [40, 0, 0, 0, 0, 0], ms: 2500 } });
    delete results.intermediate;
    assert.equal(
      evaluate(results, TARGETS).classes.find((c) => c.class === 'auth')!.throughputStatus,
      'fail',
    );
  });
});

describe('steady load: retried logins are not lost users', () => {
  it('says N failed attempts, all retried, 0 users lost, apart from failures that cost a task', () => {
    const evaluation = evaluate(
      run(
        {
          [LOGIN]: { counts: [91, 0, 0, 0, 0, 0], ms: 200, failed: 51 },
          [LIST]: { counts: [50, 50, 50, 50, 50, 50], ms: 20, failed: 3 },
        },
        { 'btcw.login_retries': 51, 'btcw.logins': 40 },
      ),
      TARGETS,
    );
    // honest: the attempts are failed requests, in the error rate
    assert.equal(evaluation.overall.failed, 54);
    const line = findings(evaluation).lines.find((l) => l.kind === 'error-rate')!;
    assert.match(
      line.text,
      /; 51 failed login attempts, all retried, 0 users lost; 3 other failures cost a user a task$/,
    );
  });
  it('counts the users a login lost for good', () => {
    const evaluation = evaluate(
      run(
        {
          [LOGIN]: { counts: [60, 0, 0, 0, 0, 0], ms: 200, failed: 22 },
          [LIST]: { counts: [50, 50, 50, 50, 50, 50], ms: 20 },
        },
        { 'btcw.login_retries': 20, 'btcw.logins': 38, 'btcw.users_stopped.login_failed': 2 },
      ),
      TARGETS,
    );
    const text = findings(evaluation)
      .lines.map((l) => l.text)
      .join('\n');
    assert.match(
      text,
      /20 failed login attempts retried, 2 users lost \(their login failed for good\); 2 other failures/,
    );
  });
  it('notes retried logins even when the error rate stays acceptable', () => {
    const evaluation = evaluate(
      run(
        {
          [LOGIN]: { counts: [41, 0, 0, 0, 0, 0], ms: 200, failed: 1 },
          [LIST]: { counts: [500, 500, 500, 500, 500, 500], ms: 20 },
        },
        { 'btcw.login_retries': 1, 'btcw.logins': 40 },
      ),
      TARGETS,
    );
    assert.equal(evaluation.verdict, 'PASS');
    const note = findings(evaluation).lines.find((l) => l.kind === 'error-rate')!;
    assert.equal(note.verdict, 'NOTE');
    assert.equal(
      note.text,
      '1 failed login attempt, all retried, 0 users lost; 0 other failures cost a user a task',
    );
  });
});
