// Writes the HTML report and the CSV files for one evaluation document, next to it.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ArtilleryResults } from '../plugin/evaluate.js';
import { evaluate } from '../plugin/evaluate.js';
import { forProfile, loadTargets } from '../plugin/targets.js';
import { failuresCsv, historyCsv, statsCsv } from './csv.js';
import { type EvaluationDocument, renderHtml } from './render-html.js';
import { seriesOf } from './series.js';

export interface ReportFiles {
  html: string;
  csv: string[];
}

/** Where a results file's report goes: beside it, named after it (`x.json` and `x.evaluation.json` give `x`). */
export function reportBase(resultsFile: string): string {
  return resultsFile.replace(/(\.evaluation)?\.json$/i, '');
}

export function writeReport(doc: EvaluationDocument, base: string): ReportFiles {
  const html = `${base}.html`;
  writeFileSync(html, renderHtml(doc));
  const series = seriesOf(doc.intermediate ?? []);
  const csv = [`${base}_stats.csv`, `${base}_stats_history.csv`, `${base}_failures.csv`];
  writeFileSync(csv[0]!, statsCsv(doc.evaluation));
  writeFileSync(csv[1]!, historyCsv(series));
  writeFileSync(csv[2]!, failuresCsv(doc.evaluation));
  return { html, csv };
}

/**
 * Loads either an evaluation document (`*.evaluation.json`, from the plugin) or Artillery's own `-o` JSON,
 * which is graded with the targets first.
 */
export function loadDocument(file: string, targetsFile: string, profile?: string): EvaluationDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read ${file} as JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const obj = raw as Partial<EvaluationDocument> & Partial<ArtilleryResults>;
  if (obj && typeof obj === 'object' && obj.evaluation) return obj as EvaluationDocument;
  if (obj && typeof obj === 'object' && obj.aggregate) {
    const evaluation = evaluate(obj as ArtilleryResults, forProfile(loadTargets(targetsFile), profile));
    return {
      kind: 'btcw-evaluation',
      meta: { source: file, profile: profile ?? null },
      evaluation,
      intermediate: obj.intermediate ?? [],
    };
  }
  throw new Error(
    `${file} is neither an evaluation (*.evaluation.json) nor Artillery results (artillery run -o)`,
  );
}
