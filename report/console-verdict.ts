// The verdict as printed at the end of a run: one screen: the classes, the users, then the findings (the
// reasons ranked and grouped, grading/findings.ts), not every reason.
import type { Evaluation } from '../grading/evaluation.js';
import { findings } from '../grading/findings.js';
import { verdictLabel } from '../grading/run-stop.js';

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
const num = (n: number | null, digits = 1) => (n === null ? '-' : n.toFixed(digits));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
}

/** What the run expected of requests whose answer depends on its set-up, for the header. */
export interface RunExpectations {
  /** The admin login's expected status and why (lib/credentials.ts adminExpectation). */
  adminLogin?: { status: number; reason: string };
}

/** `_worst` is kept for callers of the old signature: the findings name the worst endpoints now. */
export function formatSummary(graded: Evaluation, _worst = 5, expected: RunExpectations = {}): string {
  const lines: string[] = [];
  lines.push(
    '',
    `BTC Watcher performance targets: ${verdictLabel(graded)}  (${graded.overall.requests} requests, ` +
      `${pct(graded.overall.errorRate)} failed, ${graded.statistic} ${num(graded.overall.value)} ms` +
      `${graded.overall.tier ? ` ${graded.overall.tier}` : ''}, ${num(graded.durationSeconds, 0)} s)`,
  );
  if (graded.stop) lines.push(`  ${graded.stop.line}`);
  // Which expectation graded [ADMIN LOGIN]: a 401 there is a success or a failure depending on it.
  if (expected.adminLogin && graded.endpoints.some((x) => x.name.endsWith('[ADMIN LOGIN]')))
    lines.push(`  [ADMIN LOGIN] expects ${expected.adminLogin.status}: ${expected.adminLogin.reason}`);
  const classRows = [
    ['class', 'requests', 'failed', 'req/s', 'target', 'throughput', graded.statistic, 'tier'],
  ];
  for (const classResult of graded.classes) {
    classRows.push([
      classResult.class,
      String(classResult.requests),
      pct(classResult.errorRate),
      num(classResult.throughput, 2),
      classResult.throughputTarget === null ? '-' : String(classResult.throughputTarget),
      classResult.throughputStatus,
      `${num(classResult.value)}${classResult.latencyApproximate ? '*' : ''}`,
      classResult.tier ?? '-',
    ]);
  }
  lines.push(...table(classRows).map((l) => `  ${l}`));
  const pack = graded.pack;
  const stopped = Object.entries(pack.usersStopped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const skipped = Object.values(pack.skipped).reduce((a, b) => a + b, 0);
  // Evaluations saved before login retries existed have no such count.
  const retries = pack.loginRetries ?? 0;
  if (pack.logins + pack.relogins + retries > 0 || stopped || skipped) {
    lines.push(
      `  users: ${Object.values(pack.usersStarted).reduce((a, b) => a + b, 0)} started, ` +
        `peak ${pack.peakConcurrentUsers ?? '-'} concurrent; ` +
        `logins ${pack.logins}, re-logins ${pack.relogins}, login retries ${retries}; ` +
        `stopped: ${stopped || 'none'}; skipped steps: ${skipped}`,
    );
  }
  // The findings, not every reason: one line per finding, ranked (grading/findings.ts).
  const ranked = findings(graded);
  lines.push(`  ${ranked.headline}`);
  ranked.lines.forEach((finding, index) => {
    lines.push(`    ${index + 1}. ${finding.verdict === 'NOTE' ? '' : `${finding.verdict} `}${finding.text}`);
  });
  if (ranked.all.length > ranked.lines.length)
    lines.push(`  (${ranked.all.length} reasons in all: the report and the evaluation file list every one)`);
  if (graded.classes.some((c) => c.throughputStatus === 'not-exercised')) {
    lines.push(
      '  not-exercised: the load offered stayed below the throughput target while the server kept up; ' +
        'the achieved rate is shown.',
    );
  }
  const oneOff = graded.classes.filter((c) => c.throughputStatus === 'one-off');
  if (oneOff.length > 0) {
    lines.push(
      `  one-off: ${oneOff.map((c) => c.class).join(', ')} traffic was set-up, not the steady load ` +
        "(most of it in the run's first half, e.g. start-up logins): no throughput verdict.",
    );
  }
  lines.push(`  exit code ${graded.exitCode}`, '');
  return lines.join('\n');
}
