// The verdict as printed at the end of a run: one screen: the classes, the users, then the findings (the
// reasons ranked and grouped, grading/findings.ts), not every reason.
import type { Evaluation } from '../grading/evaluation.js';
import { findings } from '../grading/findings.js';
import { verdictLabel } from '../grading/run-stop.js';

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
const num = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
}

/** What the run expected of requests whose answer depends on its set-up, for the header. */
export interface RunExpectations {
  /** The admin login's expected status and why (lib/credentials.ts adminExpectation). */
  adminLogin?: { status: number; reason: string };
}

/** `_worst` is kept for callers of the old signature: the findings name the worst endpoints now. */
export function formatSummary(e: Evaluation, _worst = 5, expected: RunExpectations = {}): string {
  const lines: string[] = [];
  lines.push(
    '',
    `BTC Watcher performance targets: ${verdictLabel(e)}  (${e.overall.requests} requests, ` +
      `${pct(e.overall.errorRate)} failed, ${e.statistic} ${num(e.overall.value)} ms` +
      `${e.overall.tier ? ` ${e.overall.tier}` : ''}, ${num(e.durationSeconds, 0)} s)`,
  );
  if (e.stop) lines.push(`  ${e.stop.line}`);
  // Which expectation graded [ADMIN LOGIN]: a 401 there is a success or a failure depending on it.
  if (expected.adminLogin && e.endpoints.some((x) => x.name.endsWith('[ADMIN LOGIN]')))
    lines.push(`  [ADMIN LOGIN] expects ${expected.adminLogin.status}: ${expected.adminLogin.reason}`);
  const classRows = [['class', 'requests', 'failed', 'req/s', 'target', 'throughput', e.statistic, 'tier']];
  for (const c of e.classes) {
    classRows.push([
      c.class,
      String(c.requests),
      pct(c.errorRate),
      num(c.throughput, 2),
      c.throughputTarget === null ? '-' : String(c.throughputTarget),
      c.throughputStatus,
      `${num(c.value)}${c.latencyApproximate ? '*' : ''}`,
      c.tier ?? '-',
    ]);
  }
  lines.push(...table(classRows).map((l) => `  ${l}`));
  const p = e.pack;
  const stopped = Object.entries(p.usersStopped)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const skipped = Object.values(p.skipped).reduce((a, b) => a + b, 0);
  // Evaluations saved before login retries existed have no such count.
  const retries = p.loginRetries ?? 0;
  if (p.logins + p.relogins + retries > 0 || stopped || skipped) {
    lines.push(
      `  users: ${Object.values(p.usersStarted).reduce((a, b) => a + b, 0)} started, ` +
        `peak ${p.peakConcurrentUsers ?? '-'} concurrent; ` +
        `logins ${p.logins}, re-logins ${p.relogins}, login retries ${retries}; ` +
        `stopped: ${stopped || 'none'}; skipped steps: ${skipped}`,
    );
  }
  // The findings, not every reason: one line per finding, ranked (grading/findings.ts).
  const f = findings(e);
  lines.push(`  ${f.headline}`);
  f.lines.forEach((x, i) => {
    lines.push(`    ${i + 1}. ${x.verdict === 'NOTE' ? '' : `${x.verdict} `}${x.text}`);
  });
  if (f.all.length > f.lines.length)
    lines.push(`  (${f.all.length} reasons in all: the report and the evaluation file list every one)`);
  if (e.classes.some((c) => c.throughputStatus === 'not-exercised')) {
    lines.push(
      '  not-exercised: the load offered stayed below the throughput target while the server kept up; ' +
        'the achieved rate is shown.',
    );
  }
  const oneOff = e.classes.filter((c) => c.throughputStatus === 'one-off');
  if (oneOff.length > 0) {
    lines.push(
      `  one-off: ${oneOff.map((c) => c.class).join(', ')} traffic was set-up, not the steady load ` +
        "(most of it in the run's first half, e.g. start-up logins): no throughput verdict.",
    );
  }
  lines.push(`  exit code ${e.exitCode}`, '');
  return lines.join('\n');
}
