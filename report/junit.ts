// The verdict as a JUnit XML report (`<profile>-<tag>.junit.xml`), which GitHub Actions, GitLab and Jenkins
// display: one test case per check (each operation class, each endpoint, the error rate, each regression
// check), a failed check is a <failure> with its reason. Test case names are the subjects only (no values),
// so a CI's history follows the same check from run to run. Pure.
// Shape (the JUnit schema's required part): testsuites > testsuite[name,tests,failures,errors] >
// testcase[name,classname] > failure[message].

import type { Evaluation, Reason } from '../grading/evaluation.js';
import { evidenceNote } from '../grading/evidence.js';
import { type RegressionCheck, regressionLine } from '../grading/regression.js';

interface Case {
  name: string;
  /** A failed check's reason. */
  failure?: { message: string; type: string };
  /** A check that could not be made (too few requests, not in one of the runs). */
  skipped?: string;
  out?: string;
}

interface Suite {
  name: string;
  cases: Case[];
}

// XML 1.0 allows no control characters but tab, newline and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function xmlEscape(value: unknown): string {
  return String(value ?? '')
    .replace(CONTROL, '')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    );
}

const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
const pct = (r: number) => `${(r * 100).toFixed(2)} %`;

function failureOf(reasons: Reason[], failsRun: (reason: Reason) => boolean): Case['failure'] | undefined {
  const failing = reasons.filter(failsRun);
  if (failing.length === 0) return undefined;
  return { message: failing.map((r) => r.message).join('; '), type: failing.map((r) => r.kind).join(',') };
}

/** Green only where it could have failed: the HTTP engine's hook errors end users uncounted. */
function usersLostCase(
  evaluation: Evaluation,
  failsRun: (reason: Reason) => boolean,
  engine: string | null,
): Case {
  const name = 'no user lost to the load generator';
  const failure = failureOf(
    evaluation.reasons.filter((r) => r.kind === 'users-lost'),
    failsRun,
  );
  if (failure || engine === 'btcw') return { name, failure };
  return {
    name,
    skipped: `only the btcw engine counts the users it loses (this run: ${engine ?? 'unknown'})`,
  };
}

function regressionCase(check: RegressionCheck, statistic: string, failsRun: boolean): Case {
  const subject = check.scope === 'class' ? `class ${check.subject}` : check.subject;
  const name = `${subject} ${check.kind === 'latency' ? statistic : 'error rate'}`;
  if (check.status === 'regression' && failsRun)
    return { name, failure: { message: regressionLine(check, statistic), type: 'REGRESSION' } };
  if (check.status === 'regression')
    return { name, out: `regression (not in failOn): ${regressionLine(check, statistic)}` };
  if (check.status === 'too-few' || check.status === 'new' || check.status === 'gone')
    return { name, skipped: check.note };
  return { name, out: `${check.status}: ${check.note}` };
}

/**
 * The suites of one graded run. `engine`: what its users ran on (the document's meta.engine, null when
 * unrecorded); only btcw counts the users it lost.
 */
export function junitSuites(
  evaluation: Evaluation,
  failOn: readonly string[],
  engine: string | null,
): Suite[] {
  // A check is a failure only when its kind fails the run (targets.yml failOn), as the exit code says.
  const failsRun = (r: Reason) => failOn.includes(r.verdict);
  const about = (subject: string, kinds: string[]) =>
    evaluation.reasons.filter((r) => r.subject === subject && kinds.includes(r.kind));
  const classes: Case[] = evaluation.classes.map((classResult) => ({
    name: classResult.class,
    failure: failureOf(about(classResult.class, ['saturated', 'slow-class']), failsRun),
    out:
      `${classResult.requests} requests, ${pct(classResult.errorRate)} failed, ` +
      `${evaluation.statistic} ${ms(classResult.value)} (${classResult.tier ?? '-'}), ` +
      `throughput ${classResult.throughputStatus}`,
  }));
  const endpoints: Case[] = evaluation.endpoints.map((endpoint) => {
    const failure = failureOf(about(endpoint.name, ['slow', 'broken']), failsRun);
    // Too little evidence to judge its latency alone (grading/evidence.ts): neither passed nor failed.
    const unjudged =
      failure === undefined &&
      (endpoint.evidence?.status === 'too-few' || endpoint.evidence?.status === 'unproven');
    return {
      name: endpoint.name,
      failure,
      ...(unjudged ? { skipped: `latency ${evidenceNote(endpoint.evidence!)}: graded in its class` } : {}),
      out:
        `${endpoint.requests} requests, ${pct(endpoint.errorRate)} failed, ` +
        `${endpoint.statistic} ${ms(endpoint.value)} ` +
        `(${endpoint.tier ?? '-'}, target ${endpoint.targetTier})`,
    };
  });
  const overall: Case[] = [
    {
      name: 'error rate',
      failure: failureOf(
        evaluation.reasons.filter((r) => r.kind === 'error-rate'),
        failsRun,
      ),
      out:
        `${pct(evaluation.overall.errorRate)} of ${evaluation.overall.requests} requests failed ` +
        `(${evaluation.overall.errorLevel})`,
    },
    {
      name: 'requests were made',
      failure: failureOf(
        evaluation.reasons.filter((r) => r.kind === 'no-requests'),
        failsRun,
      ),
    },
    usersLostCase(evaluation, failsRun, engine),
  ];
  // A run that ended early is never green in CI: its first check says how it ended.
  const run: Suite[] = evaluation.stop
    ? [
        {
          name: 'run',
          cases: [
            {
              name: 'run completed',
              failure: {
                message: `${evaluation.stop.line} (exit code ${evaluation.stop.exitCode})`,
                type: evaluation.stop.kind,
              },
            },
          ],
        },
      ]
    : [];
  const suites: Suite[] = [
    ...run,
    { name: 'classes', cases: classes },
    { name: 'endpoints', cases: endpoints },
    { name: 'overall', cases: overall },
  ];
  if (evaluation.regression)
    suites.push({
      name: `regression against ${evaluation.regression.baseline.name}`,
      cases: evaluation.regression.checks.map((check) =>
        regressionCase(check, evaluation.regression!.rule.statistic, failOn.includes('REGRESSION')),
      ),
    });
  return suites;
}

/** The JUnit XML of one graded run; `prefix` names the suites (e.g. `btcw.smoke`). */
export function junitXml(
  evaluation: Evaluation,
  prefix: string,
  failOn: readonly string[],
  engine: string | null,
): string {
  const suites = junitSuites(evaluation, failOn, engine);
  const count = (s: Suite, k: 'failure' | 'skipped') => s.cases.filter((c) => c[k] !== undefined).length;
  const all = suites.reduce((a, s) => a + s.cases.length, 0);
  const failed = suites.reduce((a, s) => a + count(s, 'failure'), 0);
  const time = (evaluation.durationSeconds ?? 0).toFixed(1);
  const body = suites
    .map((suite) => {
      const classname = `${prefix}.${suite.name.split(' ')[0]}`;
      const cases = suite.cases
        .map((testCase) => {
          const inner =
            (testCase.failure
              ? `<failure message="${xmlEscape(testCase.failure.message)}" ` +
                `type="${xmlEscape(testCase.failure.type)}">` +
                `${xmlEscape(testCase.failure.message)}</failure>`
              : '') +
            (testCase.skipped !== undefined ? `<skipped message="${xmlEscape(testCase.skipped)}"/>` : '') +
            (testCase.out ? `<system-out>${xmlEscape(testCase.out)}</system-out>` : '');
          const open =
            `    <testcase name="${xmlEscape(testCase.name)}" ` +
            `classname="${xmlEscape(classname)}" time="0"`;
          return inner ? `${open}>${inner}</testcase>` : `${open}/>`;
        })
        .join('\n');
      return (
        `  <testsuite name="${xmlEscape(`${prefix} ${suite.name}`)}" tests="${suite.cases.length}" ` +
        `failures="${count(suite, 'failure')}" errors="0" ` +
        `skipped="${count(suite, 'skipped')}" time="${time}">\n` +
        `${cases}\n  </testsuite>`
      );
    })
    .join('\n');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${xmlEscape(prefix)}" tests="${all}" failures="${failed}" ` +
    `errors="0" time="${time}">\n` +
    `${body}\n</testsuites>\n`
  );
}
