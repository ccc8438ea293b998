// The verdict's reasons ranked and grouped for a person: a headline, then a few lines in a fixed order:
// no requests or users lost to the load generator, saturated classes, broken endpoints, the error-rate
// level, users stopped early and why (the generator's own stops apart, above), then the endpoints
// below their target tier, counted, with the worst few named. Pure; the console summary and the HTML report
// both show it (the report folds the full list of reasons under it).
import type { ClassResult, EndpointResult, Evaluation, Reason } from './evaluation.js';
import { failureRows, GENERATOR_STOPS, generatorStops } from './evaluation.js';
import { evidenceNote } from './evidence.js';
import { coverageText, regressionLine, regressionsOf } from './regression.js';
import { TIERS } from './targets.js';

export type FindingKind = Reason['kind'] | 'stopped' | 'regression' | 'evidence' | 'never-ran';

export interface Finding {
  /** NOTE: not part of the verdict, but part of why it came out so (users stopped early). */
  verdict: 'FAIL' | 'WARN' | 'NOTE' | 'REGRESSION';
  kind: FindingKind;
  text: string;
}

export interface Findings {
  /** One line: the verdict and what drove it. */
  headline: string;
  /** At most `maxLines`, in the order above. */
  lines: Finding[];
  /** Every reason of the verdict, as evaluate() gave them. */
  all: Reason[];
}

export interface FindingsOptions {
  /** Lines under the headline (about 8). */
  maxLines?: number;
  /** Endpoints named in a grouped line. */
  named?: number;
}

const pct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 2 : 1)} %`;
const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const STOP_REASONS: Record<string, string> = {
  login_failed: 'first login failed for good',
  network_error: 'a network error ends an Artillery user',
};

function topFailures(failures: EndpointResult['failures'], most = 3): string {
  return failureRows(failures)
    .slice(0, most)
    .map((r) => `${r.count} × ${r.label}`)
    .join(', ');
}

function saturatedLine(classResult: ClassResult, stat: string): string {
  const rate =
    classResult.throughput === null
      ? '-'
      : classResult.throughput.toFixed(classResult.throughput < 10 ? 1 : 0);
  return (
    `${classResult.class} is saturated: ${rate} req/s ` +
    `against a target of ${classResult.throughputTarget} req/s, ` +
    `${stat} ${ms(classResult.value)} (${classResult.tier ?? '-'})`
  );
}

function brokenLine(endpoint: EndpointResult): string {
  const why = topFailures(endpoint.failures);
  const share = `${endpoint.failed} of ${endpoint.requests} (${pct(endpoint.errorRate)})`;
  return `${endpoint.name} failed ${share}${why ? `: ${why}` : ''}`;
}

/** An endpoint over its target on too little evidence, and what its class's pool says. */
function unjudgedLine(ep: EndpointResult, cls: ClassResult | undefined): string {
  const pool = cls?.evidence;
  const inClass =
    pool === undefined
      ? 'graded in its class'
      : pool.status === 'too-few' || pool.status === 'no-data'
        ? `its class ${cls!.class} too has too few (${pool.samples}): not judged`
        : `graded in its class ${cls!.class} (${pool.status === 'breached' ? 'over' : 'within'} target)`;
  return `${ep.name} ${ep.statistic} ${ms(ep.value)} ${evidenceNote(ep.evidence!)}: ${inClass}`;
}

/**
 * Failed login attempts that were tried again apart from the failures that cost a user a task: both are
 * honest server failures, but only the second kind lost work. Null when no login was retried.
 */
function loginAttempts(graded: Evaluation): string | null {
  const retried = graded.pack.loginRetries ?? 0;
  if (retried === 0) return null;
  const stopped = graded.pack.usersStopped;
  const lost = (stopped.login_failed ?? 0) + (stopped.relogin_failed ?? 0);
  const rest = Math.max(0, graded.overall.failed - retried);
  const attempts =
    lost === 0
      ? `${plural(retried, 'failed login attempt')}, all retried, 0 users lost`
      : `${plural(retried, 'failed login attempt')} retried, ${plural(lost, 'user')} lost ` +
        '(their login failed for good)';
  return `${attempts}; ${plural(rest, 'other failure')} cost a user a task`;
}

/** How far below its target an endpoint is: tiers first, then its value. */
function shortfall(endpoint: EndpointResult): [number, number] {
  return [
    TIERS.indexOf(endpoint.tier ?? 'excellent') - TIERS.indexOf(endpoint.targetTier),
    endpoint.value ?? 0,
  ];
}

/** Classes with no request at all, in a run that made requests (a run with none has its own reason). */
function idleClasses(evaluation: Evaluation): string[] {
  if (evaluation.overall.requests === 0) return [];
  return evaluation.classes.filter((c) => c.requests === 0).map((c) => c.class);
}

/**
 * What never ran is a warning, not a silent pass: the classes with no request, with the likeliest reason,
 * and the tasks whose steps were skipped for want of an id (a pick that found no strategy or signal of the
 * run). They leave the verdict as it is: the grade is of what ran.
 */
function neverRan(evaluation: Evaluation): Finding[] {
  const skipped = Object.entries(evaluation.pack.skipped)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
  const skippedTotal = skipped.reduce((sum, [, count]) => sum + count, 0);
  const idle = idleClasses(evaluation);
  const out: Finding[] = [];
  const why =
    skippedTotal > 0
      ? `${plural(skippedTotal, 'step')} skipped (tasks ${skipped.map(([task]) => task).join(', ')}): ` +
        'no strategy of this run to target'
      : 'no user of the run did its requests: the mix leaves it out, or the run was too short for it';
  if (idle.length > 0)
    out.push({ verdict: 'WARN', kind: 'never-ran', text: `${idle.join(', ')} made no requests: ${why}` });
  if (idle.length === 0 && skippedTotal > 0)
    out.push({
      verdict: 'NOTE',
      kind: 'never-ran',
      text:
        `${plural(skippedTotal, 'step')} skipped for want of an id: ` +
        skipped.map(([task, count]) => `${task} ${count}`).join(', '),
    });
  return out;
}

export function findings(evaluation: Evaluation, opts: FindingsOptions = {}): Findings {
  const maxLines = opts.maxLines ?? 8;
  const named = opts.named ?? 3;
  const byKind = (k: Reason['kind']) => evaluation.reasons.filter((r) => r.kind === k);
  const endpoint = new Map(evaluation.endpoints.map((x) => [x.name, x]));

  const noRequests = byKind('no-requests');
  const saturated = evaluation.classes
    .filter((c) => byKind('saturated').some((r) => r.subject === c.class))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const broken = byKind('broken')
    .map((r) => endpoint.get(r.subject ?? ''))
    .filter((x): x is EndpointResult => x !== undefined)
    .sort((a, b) => b.failed - a.failed || b.errorRate - a.errorRate);
  const errorRate = byKind('error-rate')[0];
  const brokenNames = new Set(broken.map((x) => x.name));
  const slow = byKind('slow')
    .map((r) => endpoint.get(r.subject ?? ''))
    .filter((x): x is EndpointResult => x !== undefined && !brokenNames.has(x.name))
    .sort((left, right) => {
      const [ta, va] = shortfall(left);
      const [tb, vb] = shortfall(right);
      return tb - ta || vb - va;
    });
  const slowClasses = byKind('slow-class');
  // Over target, but not shown: neither a pass nor a fail of the endpoint; said so, with its class's answer.
  const unjudged = evaluation.endpoints
    .filter(
      (ep) =>
        !ep.meetsTarget &&
        !brokenNames.has(ep.name) &&
        (ep.evidence?.status === 'too-few' || ep.evidence?.status === 'unproven'),
    )
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
  const classOf = new Map(evaluation.classes.map((c) => [c.class, c]));
  // The generator's own stops have their line (a users-lost reason) and their words in the headline.
  const lostUsers = generatorStops(evaluation.pack.usersStopped).total;
  const stopped = Object.entries(evaluation.pack.usersStopped)
    .filter(([reason, count]) => count > 0 && !GENERATOR_STOPS.includes(reason))
    .sort((a, b) => b[1] - a[1]);
  const stoppedTotal = stopped.reduce((a, [, count]) => a + count, 0);

  const lines: Finding[] = [];
  for (const reason of [...noRequests, ...byKind('users-lost')])
    lines.push({ verdict: reason.verdict, kind: reason.kind, text: reason.message });
  for (const classResult of saturated)
    lines.push({
      verdict: 'FAIL',
      kind: 'saturated',
      text: saturatedLine(classResult, evaluation.statistic),
    });
  // Broken endpoints: one line each while the budget lasts, the rest in one line.
  const after =
    (errorRate ? 1 : 0) +
    (stoppedTotal > 0 ? 1 : 0) +
    (slow.length > 0 ? 1 : 0) +
    slowClasses.length +
    (unjudged.length > 0 ? 1 : 0);
  const room = Math.max(1, maxLines - lines.length - after);
  const oneEach = broken.length <= room ? broken.length : Math.max(0, room - 1);
  for (const endpoint of broken.slice(0, oneEach))
    lines.push({ verdict: 'FAIL', kind: 'broken', text: brokenLine(endpoint) });
  const rest = broken.slice(oneEach);
  if (rest.length > 0) {
    const names = rest
      .slice(0, named)
      .map((x) => `${x.name} (${pct(x.errorRate)})`)
      .join(', ');
    lines.push({
      verdict: 'FAIL',
      kind: 'broken',
      text:
        `${plural(rest.length, oneEach > 0 ? 'more broken endpoint' : 'broken endpoint')}` +
        ` (failed at least half of at least 5 requests): ${names}${rest.length > named ? ', …' : ''}`,
    });
  }
  const logins = loginAttempts(evaluation);
  if (errorRate) {
    const top = topFailures(evaluation.overall.failures ?? { codes: {}, errors: {} });
    lines.push({
      verdict: errorRate.verdict,
      kind: 'error-rate',
      text: `${errorRate.message}${top ? `: ${top}` : ''}${logins ? `; ${logins}` : ''}`,
    });
  } else if (logins) lines.push({ verdict: 'NOTE', kind: 'error-rate', text: logins });
  if (stoppedTotal > 0) {
    const why = stopped.map(
      ([reason, count]) => `${count} ${reason}${STOP_REASONS[reason] ? ` (${STOP_REASONS[reason]})` : ''}`,
    );
    const retries = evaluation.pack.loginRetries ?? 0;
    lines.push({
      verdict: 'NOTE',
      kind: 'stopped',
      text:
        `${plural(stoppedTotal, 'user')} stopped early: ${why.join('; ')}` +
        (retries > 0 ? `, after ${plural(retries, 'login retry', 'login retries')}` : ''),
    });
  }
  if (slow.length > 0) {
    const worst = slow
      .slice(0, named)
      .map((x) => `${x.name} ${x.statistic} ${ms(x.value)} (${x.tier}, target ${x.targetTier})`)
      .join('; ');
    lines.push({
      verdict: 'FAIL',
      kind: 'slow',
      text:
        `${plural(slow.length, broken.length > 0 ? 'more endpoint' : 'endpoint')} below their target tier` +
        `${slow.length > 1 ? `; worst: ${worst}` : `: ${worst}`}${slow.length > named ? '; …' : ''}`,
    });
  }

  for (const reason of slowClasses) lines.push({ verdict: 'FAIL', kind: 'slow-class', text: reason.message });
  if (unjudged.length > 0) {
    const each = unjudged
      .slice(0, named)
      .map((x) => unjudgedLine(x, classOf.get(x.class)))
      .join('; ');
    lines.push({
      verdict: 'NOTE',
      kind: 'evidence',
      text:
        `${plural(unjudged.length, 'endpoint')} over target on too little evidence to judge alone: ${each}` +
        (unjudged.length > named ? '; …' : ''),
    });
  }

  // Regressions against a baseline (grading/regression.ts): the largest changes named, the rest counted.
  const regressions = evaluation.regression ? regressionsOf(evaluation.regression) : [];
  const shifted = evaluation.regression?.checks.find((c) => c.status === 'shift');
  if (shifted)
    lines.push({
      verdict: 'NOTE',
      kind: 'regression',
      text:
        `the whole run is slower than baseline ${evaluation.regression!.baseline.name} ` +
        `(${evaluation.regression!.rule.statistic} ${shifted.before} → ${shifted.after} ms; ` +
        `endpoints were judged against a common ×${evaluation.regression!.shift.toFixed(2)}): ` +
        'a busy machine or a server-wide slowdown; set regression.runShift to fail on it',
    });
  if (regressions.length > 0) {
    const stat = evaluation.regression!.rule.statistic;
    const each = regressions.length <= named + 1 ? regressions.length : named;
    for (const check of regressions.slice(0, each))
      lines.push({ verdict: 'REGRESSION', kind: 'regression', text: regressionLine(check, stat) });
    if (regressions.length > each)
      lines.push({
        verdict: 'REGRESSION',
        kind: 'regression',
        text:
          `${plural(regressions.length - each, 'more regression')}: ` +
          'the report and the JUnit file list each',
      });
  }

  // Last: what never ran does not change the grade, but must not pass unseen.
  lines.push(...neverRan(evaluation));

  const parts: string[] = [];
  if (noRequests.length > 0) parts.push('no requests');
  if (lostUsers > 0) parts.push(`${plural(lostUsers, 'user')} lost to the load generator`);
  if (saturated.length > 0) parts.push(`${saturated.map((c) => c.class).join(', ')} saturated`);
  if (broken.length > 0) parts.push(plural(broken.length, 'broken endpoint'));
  if (errorRate)
    parts.push(`error rate ${pct(evaluation.overall.errorRate)} (${evaluation.overall.errorLevel})`);
  if (stoppedTotal > 0) parts.push(`${plural(stoppedTotal, 'user')} stopped early`);
  if (slow.length > 0) parts.push(`${plural(slow.length, 'endpoint')} below target tier`);
  if (slowClasses.length > 0)
    parts.push(`${plural(slowClasses.length, 'class', 'classes')} over target tier`);
  if (unjudged.length > 0)
    parts.push(`${plural(unjudged.length, 'endpoint')} over target on too little evidence`);
  const idle = idleClasses(evaluation);
  if (idle.length > 0 && evaluation.overall.requests > 0) parts.push(`${idle.join(', ')} never ran`);
  const verdictLine =
    evaluation.verdict === 'PASS'
      ? `PASS: every target met${unjudged.length > 0 ? ' on the evidence' : ''}` +
        `${parts.length > 0 ? `; ${parts.join(', ')}` : ''}`
      : `${evaluation.verdict}: ${parts.join(', ')}`;
  const against = evaluation.regression ? ` against baseline ${evaluation.regression.baseline.name}` : '';
  // How much was compared, always: "no regression" over checks that were all too few says nothing.
  const coverage = evaluation.regression?.coverage;
  const compared = coverage ? ` (${coverageText(coverage)})` : '';
  const regressionPart = !evaluation.regression
    ? ''
    : regressions.length > 0
      ? `; REGRESSION: ${plural(regressions.length, 'regression')}${against}${compared}`
      : coverage?.inconclusive
        ? `; INCONCLUSIVE${against}: too little compared${compared}`
        : `; no regression${against}${compared}`;
  const headline = verdictLine + regressionPart;
  return { headline, lines, all: evaluation.reasons };
}
