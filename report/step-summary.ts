// A short Markdown verdict for a CI job page (GitHub Actions' GITHUB_STEP_SUMMARY): the headline, the
// findings, the largest regressions. Pure; the runner appends it when the variable is set.
import type { Evaluation } from '../grading/evaluation.js';
import { findings } from '../grading/findings.js';
import { regressionsOf } from '../grading/regression.js';
import { verdictLabel } from '../grading/run-stop.js';

// Markdown table cells and list items: no pipes or line breaks from names; HTML-like text escaped.
const md = (value: unknown) =>
  String(value ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[|<>`*_[\]\\]/g, (c) => `\\${c}`);
const pct = (r: number) => `${(r * 100).toFixed(2)} %`;
const num = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(1));

export function stepSummary(graded: Evaluation, title: string, maxRegressions = 10): string {
  const ranked = findings(graded);
  const regressions = graded.regression ? regressionsOf(graded.regression) : [];
  const mark = graded.exitCode === 0 ? '✅' : '❌';
  const lines = [
    `### ${mark} ${md(title)}: ${verdictLabel(graded)}${regressions.length > 0 ? ' + REGRESSION' : ''} ` +
      `(exit code ${graded.exitCode})`,
    '',
    ...(graded.stop ? [md(graded.stop.line), ''] : []),
    md(ranked.headline),
    '',
    `${graded.overall.requests} requests · ${pct(graded.overall.errorRate)} failed · ${graded.statistic} ` +
      `${num(graded.overall.value)} ms · ${num(graded.durationSeconds)} s`,
    '',
    ...ranked.lines.map((x) => `- **${x.verdict}** ${md(x.text)}`),
  ];
  if (regressions.length > 0) {
    const stat = graded.regression!.rule.statistic;
    lines.push(
      '',
      `| regression against ${md(graded.regression!.baseline.name)} | before | after | change |`,
      '|---|---:|---:|---:|',
      ...regressions.slice(0, maxRegressions).map((check) => {
        const lat = check.kind === 'latency';
        const cell = (x: number | null) => (lat ? `${num(x)} ms` : pct(x ?? 0));
        const change = lat
          ? `+${((check.change ?? 0) * 100).toFixed(1)} %`
          : `+${((check.change ?? 0) * 100).toFixed(2)} pt`;
        const subject = md(check.scope === 'class' ? `class ${check.subject}` : check.subject);
        const what = `${subject} ${lat ? stat : 'error rate'}`;
        return `| ${what} | ${cell(check.before)} | ${cell(check.after)} | ${change} |`;
      }),
    );
    if (regressions.length > maxRegressions)
      lines.push('', `… and ${regressions.length - maxRegressions} more`);
  }
  return `${lines.join('\n')}\n\n`;
}
