// The CI outputs: the JUnit XML (report/junit.ts) against the JUnit schema's required shape, parsed with
// fast-xml-parser (already installed with Artillery's AWS SDK), and the GITHUB_STEP_SUMMARY Markdown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { loadTargets } from '../../documents/targets-file.js';
import { type ArtilleryResults, evaluate } from '../../grading/evaluation.js';
import { snapshotOf } from '../../grading/metric-snapshot.js';
import { compareSnapshots, regressionRule } from '../../grading/regression.js';
import { ROOT } from '../../harness/pack.js';
import { BY_ENDPOINT as MBE } from '../../lib/metrics.js';
import { junitXml } from '../../report/junit.js';
import { stepSummary } from '../../report/step-summary.js';
import { summaryAt } from '../helpers/summaries.js';

const summary = summaryAt;
const TARGETS = loadTargets(`${ROOT}/config/targets.yml`);

/** One slow endpoint (p95 900 ms: acceptable, below good) and one whose name needs escaping. */
function results(slowP95: number, oddP95 = 8): ArtilleryResults {
  const odd = 'GET /s [A<&>"\'|B]';
  const period = {
    firstMetricAt: 0,
    lastMetricAt: 9_000,
    counters: {
      [`${MBE}GET /slow [LIST].codes.200`]: 300,
      [`${MBE}${odd}.codes.200`]: 300,
      [`${MBE}POST /strategies/ [CREATE].codes.201`]: 100,
    },
    summaries: {
      [`${MBE}response_time.GET /slow [LIST]`]: summary(slowP95, 300),
      [`${MBE}response_time.${odd}`]: summary(oddP95, 300),
      [`${MBE}response_time.POST /strategies/ [CREATE]`]: summary(9, 100),
      'http.response_time': summary(slowP95, 700),
    },
  };
  return {
    aggregate: period,
    intermediate: [period, { ...period, firstMetricAt: 10_000, lastMetricAt: 19_000 }],
  };
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as Node[];

function parse(xml: string): Node {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as Node;
}

/** testsuites > testsuite[name,tests,failures,errors] > testcase[name,classname] > failure[message]. */
function checkShape(doc: Node): Node[] {
  const root = doc.testsuites as Node;
  assert.ok(root, 'a testsuites root');
  const suites = list(root.testsuite);
  assert.ok(suites.length > 0);
  let tests = 0;
  let failures = 0;
  const cases: Node[] = [];
  for (const suite of suites) {
    for (const attribute of ['@name', '@tests', '@failures', '@errors'])
      assert.ok(attribute in suite, `testsuite ${attribute}`);
    const cs = list(suite.testcase);
    assert.equal(Number(suite['@tests']), cs.length, `tests of ${suite['@name']}`);
    const failed = cs.filter((c) => c.failure !== undefined);
    assert.equal(Number(suite['@failures']), failed.length, `failures of ${suite['@name']}`);
    for (const testCase of cs) {
      assert.ok(typeof testCase['@name'] === 'string' && testCase['@name'] !== '', 'testcase name');
      assert.ok(
        typeof testCase['@classname'] === 'string' && testCase['@classname'] !== '',
        'testcase classname',
      );
      if (testCase.failure !== undefined)
        assert.ok((testCase.failure as Node)['@message'], 'failure message');
    }
    tests += cs.length;
    failures += failed.length;
    cases.push(...cs.map((c) => ({ ...c, suite: suite['@name'] })));
  }
  assert.equal(Number(root['@tests']), tests);
  assert.equal(Number(root['@failures']), failures);
  return cases;
}

describe('JUnit XML', () => {
  it('one case per class, endpoint and the error rate; a slow endpoint is a failure with its reason', () => {
    const evaluation = evaluate(results(900), TARGETS);
    assert.equal(evaluation.verdict, 'FAIL');
    const cases = checkShape(parse(junitXml(evaluation, 'btcw.smoke', TARGETS.failOn, 'btcw')));
    const names = cases.map((c) => c['@name']);
    for (const endpoint of evaluation.endpoints) assert.ok(names.includes(endpoint.name), endpoint.name);
    for (const classResult of evaluation.classes)
      assert.ok(names.includes(classResult.class), classResult.class);
    assert.ok(names.includes('error rate'));
    const failed = cases.filter((c) => c.failure !== undefined);
    assert.deepEqual(
      failed.map((c) => c['@name']),
      ['GET /slow [LIST]'],
    );
    assert.match(
      String((failed[0]!.failure as Node)['@message']),
      /GET \/slow \[LIST\] p95 900 ms is acceptable, below its target tier good/,
    );
    // the escaped name comes back whole
    assert.ok(names.includes('GET /s [A<&>"\'|B]'));
  });

  it('users lost to the load generator are a failing case of their own', () => {
    const run = results(10);
    const lost = {
      ...run,
      aggregate: {
        ...run.aggregate,
        counters: { ...run.aggregate.counters, 'btcw.users_stopped.hook_failed': 4 },
      },
    };
    const name = 'no user lost to the load generator';
    const xml = (counted: typeof run, engine: string) =>
      checkShape(parse(junitXml(evaluate(counted, TARGETS), 'btcw.smoke', TARGETS.failOn, engine)));
    const lostCase = xml(lost, 'btcw').find((c) => c['@name'] === name);
    assert.match(String((lostCase?.failure as Node | undefined)?.['@message']), /^4 users ended on an error/);
    const greenCase = xml(run, 'btcw').find((c) => c['@name'] === name);
    assert.ok(greenCase, 'the case is there when none was lost');
    assert.equal(greenCase.failure, undefined, 'and green');
    assert.equal(greenCase.skipped, undefined);
    // The HTTP engine counts no such users: the case could not have failed, so it is skipped, not green.
    const httpCase = xml(run, 'http').find((c) => c['@name'] === name);
    assert.equal(httpCase?.failure, undefined);
    assert.ok(httpCase?.skipped !== undefined, 'skipped on http');
  });

  it('a passing run has no failures; regression checks are cases, a regression a failure', () => {
    const before = results(10);
    const after = results(80);
    const eBefore = evaluate(before, TARGETS);
    const eAfter = evaluate(after, TARGETS);
    const regression = compareSnapshots(
      snapshotOf(eBefore, before.intermediate!),
      snapshotOf(eAfter, after.intermediate!),
      regressionRule(TARGETS),
      { name: 'main', file: null, runTag: null, savedAt: null },
    );
    const cases = checkShape(
      parse(junitXml({ ...eAfter, regression }, 'btcw.smoke', TARGETS.failOn, 'btcw')),
    );
    const failed = cases.filter((c) => c.failure !== undefined);
    assert.ok(failed.length > 0);
    assert.ok(failed.every((c) => String(c.suite).includes('regression against main')));
    assert.ok(failed.some((c) => c['@name'] === 'GET /slow [LIST] p95'));
    assert.match(String((failed[0]!.failure as Node)['@type']), /REGRESSION/);
    const plain = checkShape(parse(junitXml(eBefore, 'btcw.smoke', TARGETS.failOn, 'btcw')));
    assert.equal(plain.filter((c) => c.failure !== undefined).length, 0);
    // Without REGRESSION in failOn the run exits 0, and no check is red either.
    const notFailing = checkShape(parse(junitXml({ ...eAfter, regression }, 'btcw.smoke', ['FAIL'], 'btcw')));
    assert.equal(notFailing.filter((c) => c.failure !== undefined).length, 0);
  });

  it('a warning is a failure only when failOn lists WARN', () => {
    const evaluation = evaluate(results(900), TARGETS);
    const warned = evaluation.reasons.filter((r) => r.verdict === 'WARN');
    const fails = (failOn: string[]) =>
      checkShape(
        parse(
          junitXml(
            { ...evaluation, reasons: evaluation.reasons.map((r) => ({ ...r, verdict: 'WARN' as const })) },
            'btcw.smoke',
            failOn,
            'btcw',
          ),
        ),
      ).filter((c) => c.failure !== undefined).length;
    assert.ok(
      evaluation.reasons.length > warned.length,
      'the run has a failing reason to turn into a warning',
    );
    assert.equal(fails(['FAIL']), 0);
    assert.ok(fails(['FAIL', 'WARN']) > 0);
  });
});

describe('GITHUB_STEP_SUMMARY Markdown', () => {
  it('the verdict, the exit code, the findings, and the regressions in a table with names escaped', () => {
    const before = results(10, 10);
    const after = results(80, 80);
    const eAfter = evaluate(after, TARGETS);
    const regression = compareSnapshots(
      snapshotOf(evaluate(before, TARGETS), before.intermediate!),
      snapshotOf(eAfter, after.intermediate!),
      regressionRule(TARGETS),
      { name: 'main', file: null, runTag: null, savedAt: null },
    );
    const md = stepSummary({ ...eAfter, regression, exitCode: 5 }, 'BTC Watcher smoke-x');
    assert.match(md, /^### ❌ BTC Watcher smoke-x: PASS \+ REGRESSION \(exit code 5\)/);
    assert.match(md, /\| regression against main \| before \| after \| change \|/);
    assert.match(md, /\| GET \/slow \\\[LIST\\\] p95 \| 10\.0 ms \| 80\.0 ms \| \+700\.0 % \|/);
    // a pipe in a name cannot break the table
    const odd = md.split('\n').find((l) => l.startsWith('| GET /s \\[A'));
    assert.ok(odd, md);
    assert.match(odd, /\\\|B\\\] p95 \| 10\.0 ms/);
    assert.match(odd, /\\<&\\>/);
  });
});
