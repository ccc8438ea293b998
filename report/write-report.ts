// Writes the HTML report and the CSV files for one evaluation document, next to it.
import { writeFileSync } from 'node:fs';
import {
  DocumentError,
  type EvaluationDocument,
  isArtilleryResults,
  isEvaluationDocument,
  parseDocument,
  readJsonFile,
} from '../documents/evaluation-document.js';
import { gradeResults } from '../documents/results-file.js';
import { failuresCsv, historyCsv, statsCsv } from './csv.js';
import { renderHtml } from './render-html.js';
import { seriesOf } from './series.js';

export interface ReportFiles {
  html: string;
  csv: string[];
}

/** Where a results file's report goes: beside it, named after it (`x.json`, `x.evaluation.json` give `x`). */
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
 * which is graded first, as `npm run evaluate` grades it: the profile and the targets file as the run found
 * them (documents/results-file.ts gradeResults) unless `profile` is given. `onGraded` hears how they were
 * found.
 */
export function loadDocument(
  file: string,
  defaultTargets: string,
  profile?: string,
  onGraded?: (lines: string[]) => void,
  knownProfiles?: readonly string[],
): EvaluationDocument {
  const raw = readJsonFile(file);
  if (isEvaluationDocument(raw)) return parseDocument(raw, file);
  if (isArtilleryResults(raw)) {
    const graded = gradeResults(file, raw, { profile, defaultTargets, knownProfiles });
    onGraded?.([graded.profileLine, ...(graded.targetsLine ? [graded.targetsLine] : [])]);
    return graded.document;
  }
  throw new DocumentError(
    `${file} is neither an evaluation (*.evaluation.json) nor Artillery results (artillery run -o)`,
  );
}
