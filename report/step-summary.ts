// A short Markdown verdict for a CI job page (GitHub Actions' GITHUB_STEP_SUMMARY): the headline, the
// findings, the largest regressions. Pure; the runner appends it when the variable is set.
import type { Evaluation } from '../grading/evaluation.js';
import { findings } from '../grading/findings.js';
import { regressionsOf } from '../grading/regression.js';
import { verdictLabel } from '../grading/run-stop.js';

// Markdown table cells and list items: no pipes or line breaks from names; HTML-like text escaped.
const md = (v: unknown) =>
  String(v ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[|<>`*_[\]\\]/g, (c) => `\\${c}`);
const pct = (r: number) => `${(r * 100).toFixed(2)} %`;
const num = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(1));

export function stepSummary(e: Evaluation, title: string, maxRegressions = 10): string {
  const f = findings(e);
  const regressions = e.regression ? regressionsOf(e.regression) : [];
  const mark = e.exitCode === 0 ? '✅' : '❌';
  const lines = [
    `### ${mark} ${md(title)}: ${verdictLabel(e)}${regressions.length > 0 ? ' + REGRESSION' : ''} ` +
      `(exit code ${e.exitCode})`,
    '',
    ...(e.stop ? [md(e.stop.line), ''] : []),
    md(f.headline),
    '',
    `${e.overall.requests} requests · ${pct(e.overall.errorRate)} failed · ${e.statistic} ` +
      `${num(e.overall.value)} ms · ${num(e.durationSeconds)} s`,
    '',
    ...f.lines.map((x) => `- **${x.verdict}** ${md(x.text)}`),
  ];
  if (regressions.length > 0) {
    const stat = e.regression!.rule.statistic;
    lines.push(
      '',
      `| regression against ${md(e.regression!.baseline.name)} | before | after | change |`,
      '|---|---:|---:|---:|',
      ...regressions.slice(0, maxRegressions).map((c) => {
        const lat = c.kind === 'latency';
        const v = (x: number | null) => (lat ? `${num(x)} ms` : pct(x ?? 0));
        const change = lat
          ? `+${((c.change ?? 0) * 100).toFixed(1)} %`
          : `+${((c.change ?? 0) * 100).toFixed(2)} pt`;
        const subject = md(c.scope === 'class' ? `class ${c.subject}` : c.subject);
        const what = `${subject} ${lat ? stat : 'error rate'}`;
        return `| ${what} | ${v(c.before)} | ${v(c.after)} | ${change} |`;
      }),
    );
    if (regressions.length > maxRegressions)
      lines.push('', `… and ${regressions.length - maxRegressions} more`);
  }
  return `${lines.join('\n')}\n\n`;
}
