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

export function xmlEscape(v: unknown): string {
  return String(v ?? '')
    .replace(CONTROL, '')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
    );
}

const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
const pct = (r: number) => `${(r * 100).toFixed(2)} %`;

function failureOf(reasons: Reason[], failsRun: (r: Reason) => boolean): Case['failure'] | undefined {
  const failing = reasons.filter(failsRun);
  if (failing.length === 0) return undefined;
  return { message: failing.map((r) => r.message).join('; '), type: failing.map((r) => r.kind).join(',') };
}

function regressionCase(c: RegressionCheck, statistic: string, failsRun: boolean): Case {
  const subject = c.scope === 'class' ? `class ${c.subject}` : c.subject;
  const name = `${subject} ${c.kind === 'latency' ? statistic : 'error rate'}`;
  if (c.status === 'regression' && failsRun)
    return { name, failure: { message: regressionLine(c, statistic), type: 'REGRESSION' } };
  if (c.status === 'regression')
    return { name, out: `regression (not in failOn): ${regressionLine(c, statistic)}` };
  if (c.status === 'too-few' || c.status === 'new' || c.status === 'gone') return { name, skipped: c.note };
  return { name, out: `${c.status}: ${c.note}` };
}

/** The suites of one graded run. */
export function junitSuites(e: Evaluation, failOn: readonly string[]): Suite[] {
  // A check is a failure only when its kind fails the run (targets.yml failOn), as the exit code says.
  const failsRun = (r: Reason) => failOn.includes(r.verdict);
  const about = (subject: string, kinds: string[]) =>
    e.reasons.filter((r) => r.subject === subject && kinds.includes(r.kind));
  const classes: Case[] = e.classes.map((c) => ({
    name: c.class,
    failure: failureOf(about(c.class, ['saturated', 'slow-class']), failsRun),
    out:
      `${c.requests} requests, ${pct(c.errorRate)} failed, ` +
      `${e.statistic} ${ms(c.value)} (${c.tier ?? '-'}), ` +
      `throughput ${c.throughputStatus}`,
  }));
  const endpoints: Case[] = e.endpoints.map((x) => {
    const failure = failureOf(about(x.name, ['slow', 'broken']), failsRun);
    // Too little evidence to judge its latency alone (grading/evidence.ts): neither passed nor failed.
    const unjudged =
      failure === undefined && (x.evidence?.status === 'too-few' || x.evidence?.status === 'unproven');
    return {
      name: x.name,
      failure,
      ...(unjudged ? { skipped: `latency ${evidenceNote(x.evidence!)}: graded in its class` } : {}),
      out:
        `${x.requests} requests, ${pct(x.errorRate)} failed, ${x.statistic} ${ms(x.value)} ` +
        `(${x.tier ?? '-'}, target ${x.targetTier})`,
    };
  });
  const overall: Case[] = [
    {
      name: 'error rate',
      failure: failureOf(
        e.reasons.filter((r) => r.kind === 'error-rate'),
        failsRun,
      ),
      out: `${pct(e.overall.errorRate)} of ${e.overall.requests} requests failed (${e.overall.errorLevel})`,
    },
    {
      name: 'requests were made',
      failure: failureOf(
        e.reasons.filter((r) => r.kind === 'no-requests'),
        failsRun,
      ),
    },
  ];
  // A run that ended early is never green in CI: its first check says how it ended.
  const run: Suite[] = e.stop
    ? [
        {
          name: 'run',
          cases: [
            {
              name: 'run completed',
              failure: { message: `${e.stop.line} (exit code ${e.stop.exitCode})`, type: e.stop.kind },
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
  if (e.regression)
    suites.push({
      name: `regression against ${e.regression.baseline.name}`,
      cases: e.regression.checks.map((c) =>
        regressionCase(c, e.regression!.rule.statistic, failOn.includes('REGRESSION')),
      ),
    });
  return suites;
}

/** The JUnit XML of one graded run; `prefix` names the suites (e.g. `btcw.smoke`). */
export function junitXml(e: Evaluation, prefix: string, failOn: readonly string[]): string {
  const suites = junitSuites(e, failOn);
  const count = (s: Suite, k: 'failure' | 'skipped') => s.cases.filter((c) => c[k] !== undefined).length;
  const all = suites.reduce((a, s) => a + s.cases.length, 0);
  const failed = suites.reduce((a, s) => a + count(s, 'failure'), 0);
  const time = (e.durationSeconds ?? 0).toFixed(1);
  const body = suites
    .map((s) => {
      const classname = `${prefix}.${s.name.split(' ')[0]}`;
      const cases = s.cases
        .map((c) => {
          const inner =
            (c.failure
              ? `<failure message="${xmlEscape(c.failure.message)}" type="${xmlEscape(c.failure.type)}">` +
                `${xmlEscape(c.failure.message)}</failure>`
              : '') +
            (c.skipped !== undefined ? `<skipped message="${xmlEscape(c.skipped)}"/>` : '') +
            (c.out ? `<system-out>${xmlEscape(c.out)}</system-out>` : '');
          const open =
            `    <testcase name="${xmlEscape(c.name)}" ` + `classname="${xmlEscape(classname)}" time="0"`;
          return inner ? `${open}>${inner}</testcase>` : `${open}/>`;
        })
        .join('\n');
      return (
        `  <testsuite name="${xmlEscape(`${prefix} ${s.name}`)}" tests="${s.cases.length}" ` +
        `failures="${count(s, 'failure')}" errors="0" skipped="${count(s, 'skipped')}" time="${time}">\n` +
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
