// The run report's "against the baseline" section: shown when the run was graded against one (the
// evaluation carries `regression`); the deltas table of `npm run compare`, largest change first.
import type { Evaluation } from '../grading/evaluation.js';
import { coverageText } from '../grading/regression.js';
import { escapeHtml } from './html-primitives.js';
import { DELTA_STYLE, deltasTable, ruleText, statusCounts } from './render-compare.js';

export function baselineSection(e: Evaluation): string {
  const r = e.regression;
  if (!r) return '';
  const b = r.baseline;
  const from = [b.runTag ? `run ${b.runTag}` : null, b.savedAt ? `saved ${b.savedAt}` : null]
    .filter(Boolean)
    .join(', ');
  return `<h2 id="baseline">Against baseline ${escapeHtml(b.name)} <small>(${escapeHtml(from)}; ${escapeHtml(
    statusCounts(r),
  )})</small></h2>
${
  r.coverage
    ? `<p class="note${r.coverage.inconclusive ? ' inconclusive' : ''}"><b>${
        r.coverage.inconclusive ? 'INCONCLUSIVE: too little compared. ' : ''
      }</b>${escapeHtml(coverageText(r.coverage))}</p>`
    : ''
}
<p class="note">${escapeHtml(ruleText(r))}</p>
<style>${DELTA_STYLE}</style>
${deltasTable(r, 'baseline-deltas')}`;
}
