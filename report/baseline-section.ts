// The run report's "against the baseline" section: shown when the run was graded against one (the
// evaluation carries `regression`); the deltas table of `npm run compare`, largest change first.
import type { Evaluation } from '../grading/evaluation.js';
import { coverageText } from '../grading/regression.js';
import { escapeHtml } from './html-primitives.js';
import { DELTA_STYLE, deltasTable, ruleText, statusCounts } from './render-compare.js';

export function baselineSection(evaluation: Evaluation): string {
  const regression = evaluation.regression;
  if (!regression) return '';
  const baseline = regression.baseline;
  const from = [
    baseline.runTag ? `run ${baseline.runTag}` : null,
    baseline.savedAt ? `saved ${baseline.savedAt}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `<h2 id="baseline">Against baseline ${escapeHtml(baseline.name)} ` +
    `<small>(${escapeHtml(from)}; ${escapeHtml(statusCounts(regression))})</small></h2>
${
  regression.coverage
    ? `<p class="note${regression.coverage.inconclusive ? ' inconclusive' : ''}"><b>${
        regression.coverage.inconclusive ? 'INCONCLUSIVE: too little compared. ' : ''
      }</b>${escapeHtml(coverageText(regression.coverage))}</p>`
    : ''
}
<p class="note">${escapeHtml(ruleText(regression))}</p>
<style>${DELTA_STYLE}</style>
${deltasTable(regression, 'baseline-deltas')}`
  );
}
