import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from '../../documents/evaluation-document.js';
import { loadTargets } from '../../documents/targets-file.js';
import {
  answerExitCode,
  type CapacityStepRow,
  capacityAnswer,
  DEFAULT_RULES,
  gradeStep,
  previousGood,
  stepLine,
} from '../../grading/capacity-grading.js';
import { nextStep } from '../../grading/capacity-search.js';
import { evaluate, type Summary } from '../../grading/evaluation.js';
import { EXIT } from '../../grading/exit-codes.js';
import type { Targets } from '../../grading/targets.js';
import { ROOT } from '../../harness/pack.js';
import type { CapacityStepResult } from '../../plugin/capacity-step.js';
import { cpuCoresBetween, generatorBudget } from '../../plugin/generator-cpu.js';
import { capacitySvg, renderCapacity } from '../../report/render-capacity.js';
import { renderHtml } from '../../report/render-html.js';
import { fixtureDocument } from '../helpers/report-fixture.js';

const TARGETS: Targets = loadTargets(`${ROOT}/config/targets.yml`);
const MBE = 'plugins.metrics-by-endpoint.';
const LIST = 'GET /strategies/ [LIST]';

/** A sketch's summary; its p90 at the p95, so that a p95 past a bound shows 10 % slow: evidence of it. */
function summary(p95: number, count: number): Summary {
  const values = { min: 1, max: p95 * 2, count, mean: p95 / 2, p50: p95 / 2, p95, p99: p95 * 1.5 };
  return Object.assign(values, { p90: p95 });
}

/** A step graded over 30 s: `rps` requests per second of one read endpoint, with its p95 and failures. */
function step(
  rps: number,
  p95: number,
  opts: { failed?: number; cores?: number; budget?: number; added?: number; lost?: number } = {},
) {
  const requests = Math.round(rps * 30);
  const failed = opts.failed ?? 0;
  const counters: Record<string, number> = { [`${MBE}${LIST}.codes.200`]: requests - failed };
  if (opts.lost) counters['btcw.users_stopped.engine_error'] = opts.lost;
  if (failed > 0) counters[`${MBE}${LIST}.codes.500`] = failed;
  const evaluation = evaluate(
    {
      aggregate: {
        counters,
        summaries: {
          [`${MBE}response_time.${LIST}`]: summary(p95, requests),
          'http.response_time': summary(p95, requests),
        },
        firstMetricAt: 0,
        lastMetricAt: 30_000,
      },
    },
    TARGETS,
  );
  const result: CapacityStepResult = {
    settleSeconds: 10,
    gradedPeriods: 3,
    windowStart: 0,
    windowEnd: 30_000,
    evaluation,
    generator: { cores: opts.cores ?? 0.2, budget: opts.budget ?? 1, addedP95: opts.added ?? null },
  };
  return result;
}

function grade(rows: CapacityStepRow[], users: number, result: CapacityStepResult): CapacityStepRow {
  const row = gradeStep(rows.length + 1, users, result, previousGood(rows, users), TARGETS);
  rows.push(row);
  return row;
}

describe('capacity: grading a step', () => {
  it('says so in its line when its logins left it fewer periods than it was sized for', () => {
    const full = grade([], 10, step(100, 20));
    assert.doesNotMatch(stepLine(full), /graded periods/);
    const short = grade([], 10, { ...step(100, 20), gradedPeriods: 2, loginSeconds: 31.5 });
    assert.match(stepLine(short), /meets every target \(2 graded periods: logins ran to 31\.5 s\)$/);
  });
  it('passes a step that meets every target and follows the load', () => {
    const rows: CapacityStepRow[] = [];
    assert.equal(grade(rows, 10, step(100, 20)).passed, true);
    const row = grade(rows, 15, step(148, 25));
    assert.equal(row.passed, true, JSON.stringify(row.limits));
    assert.equal(row.achieved!.toFixed(0), '148');
    assert.deepEqual(
      row.classes.map((c) => [c.class, c.p95]),
      [['read', 25]],
    );
  });
  it('breaks on throughput that stops following the load (+50 % users, under +10 % req/s)', () => {
    const rows: CapacityStepRow[] = [];
    grade(rows, 20, step(280, 40));
    const row = grade(rows, 30, step(300, 60));
    assert.equal(row.passed, false);
    assert.equal(row.limits[0]!.kind, 'throughput');
    assert.match(row.limits[0]!.message, /\+50 % users gave \+7\.1 % req\/s \(280 → 300\)/);
  });
  it('breaks on a statistic past its target tier, naming the class and the endpoint', () => {
    const row = grade([], 40, step(300, 450));
    assert.deepEqual(
      row.limits.map((l) => [l.kind, l.subject]),
      [
        ['latency', 'read class'],
        ['latency', LIST],
      ],
    );
    assert.match(row.limits[0]!.message, /p95 450 ms is acceptable, past its target tier good/);
  });
  it('a slow endpoint with too few requests does not break a step alone; its class judges it', () => {
    // 30 s of a busy list endpoint (fast) and a rare one whose 8 requests caught a stall.
    const RARE = 'GET /strategies/{id} [DETAIL]';
    const evaluation = evaluate(
      {
        aggregate: {
          counters: { [`${MBE}${LIST}.codes.200`]: 3000, [`${MBE}${RARE}.codes.200`]: 8 },
          summaries: {
            [`${MBE}response_time.${LIST}`]: summary(40, 3000),
            [`${MBE}response_time.${RARE}`]: summary(1000, 8),
            'plugins.btcw-targets.response_time.read': summary(41, 3008),
            'http.response_time': summary(41, 3008),
          },
          firstMetricAt: 0,
          lastMetricAt: 30_000,
        },
      },
      TARGETS,
    );
    const stepResult = { ...step(100, 40), evaluation };
    const row = grade([], 40, stepResult);
    assert.deepEqual(row.limits, []);
    assert.equal(row.passed, true);
    assert.equal(row.judged, true);
    // How far from its bound the class was: 41 ms of good's 300 (targets.yml).
    assert.ok(row.headroom! > 0.1 && row.headroom! < 0.2, String(row.headroom));
    // The same endpoint with enough requests breaks it.
    const many = evaluate(
      {
        aggregate: {
          counters: { [`${MBE}${LIST}.codes.200`]: 3000, [`${MBE}${RARE}.codes.200`]: 200 },
          summaries: {
            [`${MBE}response_time.${LIST}`]: summary(40, 3000),
            [`${MBE}response_time.${RARE}`]: summary(1000, 200),
            'plugins.btcw-targets.response_time.read': summary(41, 3200),
            'http.response_time': summary(41, 3200),
          },
          firstMetricAt: 0,
          lastMetricAt: 30_000,
        },
      },
      TARGETS,
    );
    const broken = grade([], 40, { ...step(100, 40), evaluation: many });
    assert.deepEqual(
      broken.limits.map((l) => l.subject),
      [RARE],
    );
    assert.match(broken.limits[0]!.message, /\(200 requests\)$/);
  });
  it('with Server-Timing, a latency limit must show at the server too: a starved generator is none', () => {
    const withServer = (serverP95: number) =>
      evaluate(
        {
          aggregate: {
            counters: { [`${MBE}${LIST}.codes.200`]: 3000 },
            summaries: {
              [`${MBE}response_time.${LIST}`]: summary(450, 3000),
              'plugins.btcw-targets.response_time.read': summary(450, 3000),
              [`plugins.btcw-targets.server_time.${LIST}`]: summary(serverP95, 3000),
              'plugins.btcw-targets.server_time_class.read': summary(serverP95, 3000),
              'http.response_time': summary(450, 3000),
            },
            firstMetricAt: 0,
            lastMetricAt: 30_000,
          },
        },
        TARGETS,
      );
    const starved = grade([], 40, { ...step(100, 450), evaluation: withServer(20) });
    assert.deepEqual(starved.limits, []);
    assert.ok(starved.headroom! < 0.1, `headroom from the server's time: ${starved.headroom}`);
    const slow = grade([], 40, { ...step(100, 450), evaluation: withServer(440) });
    assert.deepEqual(
      slow.limits.map((l) => l.subject),
      ['read class', LIST],
    );
    assert.match(slow.limits[0]!.message, /\(440 ms at the server\)$/);
  });
  it('breaks on an error rate at or above warning', () => {
    const row = grade([], 40, step(100, 20, { failed: 200 })); // 200 of 3000: 6.7 %
    assert.equal(row.limits[0]!.kind, 'errors');
    assert.match(row.limits[0]!.message, /error rate 6\.7 % is at or above warning \(5\.0 %\)/);
    const under = grade([], 40, step(100, 20, { failed: 100 })); // 3.3 %: a warning, not a limit
    assert.equal(under.passed, true);
  });
  it('marks a step whose generator ran at 90 % of its budget', () => {
    const row = grade([], 40, step(300, 20, { cores: 0.95, budget: 1 }));
    assert.equal(row.generatorBound, true);
    assert.equal(row.passed, false);
    assert.match(row.limits.at(-1)!.message, /95 % of 1 core: bounded by the load generator, not the API/);
    assert.equal(grade([], 40, step(300, 20, { cores: 0.85, budget: 1 })).generatorBound, false);
  });
  it('marks a step whose users the generator lost to its own errors: it measured the generator', () => {
    const rows: CapacityStepRow[] = [];
    const row = grade(rows, 40, step(300, 20, { lost: 3 }));
    assert.equal(row.generatorBound, true);
    assert.equal(row.passed, false);
    assert.match(row.limits[0]!.message, /^3 users ended on an error of the load generator/);
    assert.equal(row.limits[0]!.kind, 'generator-error');
    assert.equal(capacityAnswer(rows, '').kind, 'generator-error');
    assert.equal(answerExitCode('generator-error'), EXIT.GENERATOR_LIMIT);
    // A fault to fix, not a limit to scale past: no "above N req/s", no "the load generator limits".
    assert.match(
      capacityAnswer(rows, '').line,
      /^capacity: not measured: at 40 users, 3 users ended on an error of the load generator, not of the API/,
    );
    assert.match(
      (nextStep(rows, DEFAULT_RULES) as { stop: string }).stop,
      /lost users to its own errors at 40 users/,
    );
    const html = renderCapacity({
      offeredUnit: 'users',
      mix: 'StrategyReadUser',
      thinkFactor: 1,
      settleSeconds: 10,
      stepSeconds: 40,
      statistic: 'p95',
      stoppedBecause: '',
      steps: rows,
      answer: capacityAnswer(rows, ''),
    });
    assert.match(html, /users lost to the load generator's own errors/);
    assert.doesNotMatch(html, /bounded by the load generator/);
  });
});

describe('capacity: the answer', () => {
  it('names the best passing step and what broke above it', () => {
    const rows: CapacityStepRow[] = [];
    grade(rows, 20, step(200, 30));
    grade(rows, 30, step(290, 40));
    grade(rows, 45, step(300, 500));
    const answer = capacityAnswer(rows, 'bracketed');
    assert.equal(answer.kind, 'capacity');
    assert.equal(answer.users, 30);
    assert.equal(
      answer.line,
      'capacity: 290 req/s at 30 users (read class limits: p95 500 ms is acceptable, ' +
        'past its target tier good, at 45 users)',
    );
  });
  it('says the generator was the limit instead of naming a capacity', () => {
    const rows: CapacityStepRow[] = [];
    grade(rows, 20, step(200, 30));
    grade(rows, 30, step(250, 30, { cores: 1.9, budget: 2 }));
    const answer = capacityAnswer(rows, 'generator');
    assert.equal(answer.kind, 'generator');
    assert.match(
      answer.line,
      /^capacity: not measured, above 250 req\/s at 30 users \(the load generator limits: /,
    );
    assert.match(answer.line, /bounded by the load generator, not the API\)$/);
  });
  it('says when no limit was found or the first step already broke', () => {
    const rows: CapacityStepRow[] = [];
    grade(rows, 10, step(100, 20));
    assert.match(
      capacityAnswer(rows, 'reached the user limit (10 users)').line,
      /at least 100 req\/s.*no limit found/,
    );
    const broke: CapacityStepRow[] = [];
    grade(broke, 50, step(100, 2000));
    const answer = capacityAnswer(broke, 'a single user already broke a limit');
    assert.equal(answer.kind, 'below-start');
    // No advice to start lower: the search steps down by itself, and fewer users give fewer samples.
    assert.equal(
      answer.line,
      'capacity: below 50 users (read class limits: p95 2000 ms is poor, past its target tier good)',
    );
    grade(broke, 5, step(0.5, 2000));
    assert.equal(broke[1]!.passed, false);
    assert.equal(broke[1]!.limits.length, 0, '15 requests: too few to break a step');
    assert.match(
      capacityAnswer(broke, 'too few').line,
      /^capacity: below 50 users \(read class limits: .*; 5 users gave too few requests to judge\)$/,
    );
    assert.equal(capacityAnswer([], 'interrupted').line, 'capacity: no step was graded (interrupted)');
  });
});

describe('capacity: generator CPU and the report', () => {
  it('averages cores between two moments from the samples around them', () => {
    const samples = [
      { t: 0, cpuUs: 0 },
      { t: 1000, cpuUs: 500_000 },
      { t: 2000, cpuUs: 1_500_000 },
      { t: 3000, cpuUs: 2_500_000 },
    ];
    assert.equal(cpuCoresBetween(samples, 1000, 3000), 1);
    assert.equal(cpuCoresBetween(samples, 0, 1000), 0.5);
    assert.equal(cpuCoresBetween(samples.slice(0, 1), 0, 1000), null);
    assert.equal(generatorBudget({ BTCW_GENERATOR_CORES: '0.25' }), 0.25);
    assert.ok(generatorBudget({}) >= 1);
  });
  it('renders the answer, one row per step with its limit, and the chart', () => {
    const rows: CapacityStepRow[] = [];
    grade(rows, 20, step(200, 30, { added: 4.5 }));
    grade(rows, 30, step(300, 500));
    const html = renderCapacity({
      offeredUnit: 'users',
      mix: 'StrategyReadUser',
      thinkFactor: 0.25,
      settleSeconds: 10,
      stepSeconds: 50,
      statistic: 'p95',
      stoppedBecause: 'bracketed between 20 and 30 users',
      steps: rows,
      answer: capacityAnswer(rows, 'bracketed'),
    });
    assert.match(html, /capacity: 200 req\/s at 20 users \(read class limits: p95 500 ms/);
    assert.equal(html.match(/<tr class="(pass|break)">/g)?.length, 2);
    const breakRow = /<tr class="break">[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    assert.match(breakRow, /<td class="n">30<\/td>[\s\S]*<b>read class<\/b>: p95 500 ms/);
    assert.match(html, /20 % of 1<br>added p95 4\.5 ms/);
    assert.match(html, /read 15 \/ 30 \/ 45/);
    assert.equal(capacitySvg(rows).match(/<circle/g)?.length, 4);
    assert.match(html, /"users":\[20,30\],"achieved":\[200,300\],"p95":\[30,500\]/);
  });

  it('keeps the capacity part of a saved document for the report, and refuses a broken one', () => {
    const rows: CapacityStepRow[] = [];
    grade(rows, 20, step(200, 30));
    const capacity = {
      offeredUnit: 'users' as const,
      mix: 'StrategyReadUser',
      thinkFactor: 1,
      settleSeconds: 10,
      stepSeconds: 50,
      statistic: 'p95',
      stoppedBecause: 'reached the step limit (1 steps)',
      steps: rows,
      answer: capacityAnswer(rows, 'reached the step limit (1 steps)'),
    };
    const saved = JSON.parse(JSON.stringify({ ...fixtureDocument(), capacity }));
    const doc = parseDocument(saved, 'x.evaluation.json');
    assert.deepEqual(doc.capacity, capacity);
    // A step's own grade survives the reader too: the finder reads every step through it.
    const stepGrade = JSON.parse(JSON.stringify(step(200, 30)));
    const stepDoc = parseDocument({ ...fixtureDocument(), capacityStep: stepGrade }, 'step.evaluation.json');
    assert.deepEqual(stepDoc.capacityStep, stepGrade);
    const html = renderHtml(doc);
    assert.match(html, /<section id="capacity">/);
    assert.match(html, /capacity: at least 200 req\/s at 20 users/);
    // The answer leads, as the page's title and first heading; the shown step's verdict follows it, in no
    // verdict's colour and named as that step's.
    assert.match(html, /<title>BTC Watcher capacity: at least 200 req\/s at 20 users/);
    assert.ok(html.indexOf('id="capacity-answer"') < html.indexOf('id="verdict"'), 'the answer is not first');
    const banner = /<section class="banner step" id="verdict"><h1>([^<]*)<\/h1>/.exec(html);
    assert.match(banner?.[1] ?? '', /^Step 1 \(20 users\) graded as a whole run, start-up included: \w+$/);
    assert.doesNotMatch(html, /class="banner PASS"/);
    assert.doesNotMatch(renderHtml(fixtureDocument()), /id="capacity"/);
    assert.throws(
      () => parseDocument({ ...saved, capacity: { ...capacity, answer: {} } }, 'x.evaluation.json'),
      /x\.evaluation\.json is not a readable evaluation: "capacity\.answer\.line"/,
    );
  });
});
