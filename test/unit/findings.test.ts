// The findings: the verdict's reasons ranked and grouped (grading/findings.ts), and the console summary that
// prints them instead of every reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTargets } from '../../documents/targets-file.js';
import { type ArtilleryResults, evaluate, type Summary } from '../../grading/evaluation.js';
import { findings } from '../../grading/findings.js';
import type { Targets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import { BY_ENDPOINT as MBE } from '../../lib/metrics.js';
import { formatSummary } from '../../report/console-verdict.js';
import { summaryAt } from '../helpers/summaries.js';

const TARGETS: Targets = loadTargets(`${ROOT}/config/targets.yml`);
const FAILED = 'plugins.btcw-targets.failed.';

const summary = (p95: number, count: number) => summaryAt(p95, count, { max: p95 * 2, p99: p95 * 1.2 });

/**
 * A saturated load run: logins at 4/s with a p95 of 23 s, 32 users stopped because their
 * login failed, and some 45 read and write endpoints slower than their target, a few of them broken.
 */
function saturatedRun(): ArtilleryResults {
  const counters: Record<string, number> = {
    'plugins.btcw-targets.responses': 1,
    'btcw.users_started.StrategyReadUser': 100,
    'btcw.users_stopped.login_failed': 30,
    'btcw.users_stopped.network_error': 2,
    'btcw.login_retries': 120,
    'btcw.logins': 68,
  };
  const summaries: Record<string, Summary> = { 'http.response_time': summary(9000, 5000) };
  const add = (name: string, ok: number, failed: number, p95: number, code = 500) => {
    counters[`${MBE}${name}.codes.200`] = ok;
    if (failed) {
      counters[`${MBE}${name}.codes.${code}`] = failed;
      counters[`${FAILED}${name}.codes.${code}`] = failed;
    }
    summaries[`${MBE}response_time.${name}`] = summary(p95, ok + failed);
  };
  add('POST /auth/token [LOGIN AT START]', 1200, 300, 23_000);
  summaries['plugins.btcw-targets.response_time.auth'] = summary(23_000, 1500);
  // reads and writes slow, but within acceptable: not saturated
  summaries['plugins.btcw-targets.response_time.read'] = summary(800, 4000);
  summaries['plugins.btcw-targets.response_time.write'] = summary(700, 60);
  for (let index = 0; index < 40; index++)
    add(`GET /strategies/{id} [READ ${index}]`, 100, 0, 400 + index * 15);
  for (let index = 0; index < 5; index++) add(`POST /strategies/ [WRITE ${index}]`, 2, 8 + index, 700);
  return { aggregate: { counters, summaries, firstMetricAt: 0, lastMetricAt: 300_000 } };
}

const TOO_SHORT =
  'no user of the run did its requests: the mix leaves it out, or the run was too short for it';

describe('findings', () => {
  const evaluation = evaluate(saturatedRun(), TARGETS);
  const ranked = findings(evaluation);

  it('puts first what matters: saturated classes, broken endpoints, error rate, stopped users, rest', () => {
    assert.equal(evaluation.verdict, 'FAIL');
    assert.ok(evaluation.reasons.length >= 45, `${evaluation.reasons.length} reasons`);
    // eight, and last the warning that a class never ran
    assert.ok(ranked.lines.length <= 9, ranked.lines.map((l) => l.text).join('\n'));
    assert.deepEqual(
      ranked.lines.map((l) => l.kind),
      ['saturated', 'broken', 'broken', 'broken', 'broken', 'error-rate', 'stopped', 'slow', 'never-ran'],
    );
    assert.match(
      ranked.lines[0]!.text,
      /^auth is saturated: 5\.0 req\/s against a target of 50 req\/s, p95 23000 ms \(unacceptable\)$/,
    );
    assert.match(
      ranked.lines[1]!.text,
      /^POST \/strategies\/ \[WRITE 4\] failed 12 of 14 \(85\.7 %\): 12 × HTTP 500$/,
    );
    assert.match(
      ranked.lines[4]!.text,
      /^2 more broken endpoints \(failed at least half of at least 5 requests\): /,
    );
    assert.equal(
      ranked.lines[5]!.text,
      'error rate 6.29 % is above the warning level (>= 5.00 %): 350 × HTTP 500; ' +
        '120 failed login attempts retried, 30 users lost (their login failed for good); ' +
        '230 other failures cost a user a task',
    );
    assert.equal(
      ranked.lines[6]!.text,
      '32 users stopped early: 30 login_failed (first login failed for good); 2 network_error ' +
        '(a network error ends an Artillery user), after 120 login retries',
    );
    assert.match(
      ranked.lines[7]!.text,
      new RegExp(
        '^\\d+ more endpoints below their target tier; worst: ' +
          'POST /auth/token \\[LOGIN AT START\\] p95 23000 ms \\(unacceptable, target acceptable\\); ' +
          'GET /strategies/\\{id\\} \\[READ 39\\] p95 985 ms',
      ),
    );
    assert.equal(ranked.all, evaluation.reasons);
  });
  it('sums it up in a headline', () => {
    assert.match(
      ranked.headline,
      new RegExp(
        '^FAIL: auth saturated, 5 broken endpoints, error rate 6\\.29 % \\(high\\), ' +
          '32 users stopped early, 41 endpoints below target tier, webhook never ran$',
      ),
    );
    const pass = evaluate(
      {
        aggregate: {
          counters: { [`${MBE}GET /x [A].codes.200`]: 10 },
          summaries: { [`${MBE}response_time.GET /x [A]`]: summary(5, 10) },
          firstMetricAt: 0,
          lastMetricAt: 10_000,
        },
      },
      TARGETS,
    );
    assert.deepEqual(findings(pass), {
      headline: 'PASS: every target met; auth, webhook, write never ran',
      lines: [
        { verdict: 'WARN', kind: 'never-ran', text: `auth, webhook, write made no requests: ${TOO_SHORT}` },
      ],
      all: [],
    });
  });
  it('names a lone broken endpoint and a lone slow one in full', () => {
    const one = evaluate(
      {
        aggregate: {
          counters: {
            [`${MBE}GET /x [A].codes.200`]: 100,
            [`${MBE}POST /auth/token [ADMIN LOGIN].codes.200`]: 5,
            [`${FAILED}POST /auth/token [ADMIN LOGIN].codes.200`]: 5,
          },
          summaries: {
            [`${MBE}response_time.GET /x [A]`]: summary(400, 100),
            [`${MBE}response_time.POST /auth/token [ADMIN LOGIN]`]: summary(50, 5),
          },
          firstMetricAt: 0,
          lastMetricAt: 10_000,
        },
      },
      TARGETS,
    );
    const lines = findings(one).lines.map((l) => `${l.verdict} ${l.text}`);
    assert.deepEqual(lines, [
      'FAIL POST /auth/token [ADMIN LOGIN] failed 5 of 5 (100.0 %): 5 × HTTP 200 (unexpected)',
      'WARN error rate 4.76 % is above acceptable (>= 1.00 %): 5 × HTTP 200 (unexpected)',
      'FAIL 1 more endpoint below their target tier: GET /x [A] p95 400 ms (acceptable, target good)',
      `WARN webhook, write made no requests: ${TOO_SHORT}`,
    ]);
  });
  it('warns of what never ran, naming skipped tasks as the reason, without changing the grade', () => {
    const run = {
      aggregate: {
        counters: {
          [`${MBE}GET /x [A].codes.200`]: 10,
          'btcw.skipped.WH-1': 5,
          'btcw.skipped.WH-2': 3,
        },
        summaries: { [`${MBE}response_time.GET /x [A]`]: summary(5, 10) },
        firstMetricAt: 0,
        lastMetricAt: 10_000,
      },
    };
    const graded = evaluate(run, TARGETS);
    assert.equal(graded.verdict, 'PASS');
    const found = findings(graded);
    assert.equal(found.headline, 'PASS: every target met; auth, webhook, write never ran');
    assert.deepEqual(
      found.lines.map((l) => `${l.verdict} ${l.text}`),
      [
        'WARN auth, webhook, write made no requests: 8 steps skipped (tasks WH-1, WH-2): ' +
          'no strategy of this run to target',
      ],
    );
  });
});

describe('console summary', () => {
  it('prints the findings, not every reason, within about 15 lines of verdict', () => {
    const evaluation = evaluate(saturatedRun(), TARGETS);
    const text = formatSummary(evaluation);
    const lines = text.split('\n');
    assert.match(lines[1]!, /^BTC Watcher performance targets: FAIL /);
    const from = lines.findIndex((l) => l.startsWith('  FAIL: auth saturated'));
    assert.ok(from > 0, text);
    assert.match(lines[from + 1]!, /^ {4}1\. FAIL auth is saturated: /);
    assert.match(lines[from + 7]!, /^ {4}7\. 32 users stopped early/);
    assert.match(text, /\(\d+ reasons in all: the report and the evaluation file list every one\)/);
    assert.ok(lines.length <= 22, `${lines.length} lines:\n${text}`);
    assert.ok(!text.includes('[READ 3]'), 'a minor slow endpoint was listed');
  });
});
