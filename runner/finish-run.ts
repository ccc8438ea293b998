// After one Artillery process: its graded result, however it ended. A run that ended by itself or was
// interrupted has the evaluation its plugin wrote (read with the validating reader); a killed Artillery
// wrote none, so its periods so far (documents/partial-results.ts) become its `-o` file and are graded
// here, with the verdict printed as the plugin would have printed it. Then the exit code, from one table.
import { existsSync, writeFileSync } from 'node:fs';
import {
  DocumentError,
  type EvaluationDocument,
  evaluationPath,
  loadEvaluationDocument,
} from '../documents/evaluation-document.js';
import { discardPartialResults, promotePartialResults } from '../documents/partial-results.js';
import { gradeResults, readResults } from '../documents/results-file.js';
import { EXIT } from '../grading/exit-codes.js';
import { withStop } from '../grading/run-stop.js';
import { formatSummary } from '../report/console-verdict.js';
import type { ArtilleryEnd, Log } from './session.js';

export interface Finished {
  doc: EvaluationDocument | null;
  /** The command's exit code for this process: the stop's, else the verdict's, else the table's. */
  code: number;
}

export function finishArtillery(
  results: string,
  end: ArtilleryEnd,
  grading: { targetsFile: string; knownProfiles: readonly string[]; print: boolean; gradeResults?: boolean },
  log: Log,
): Finished {
  if (end.stop?.kind === 'KILLED') log(end.stop.line);
  const evaluationFile = evaluationPath(results);
  // The plugin wrote the evaluation (and, when interrupted, the `-o` file), else the periods so far are all.
  if (!existsSync(evaluationFile) && !existsSync(results) && end.stop !== null)
    promotePartialResults(results, end.stop);
  discardPartialResults(results);
  let doc: EvaluationDocument | null = null;
  try {
    if (existsSync(evaluationFile)) doc = loadEvaluationDocument(evaluationFile);
    else if (existsSync(results) && (end.stop !== null || grading.gradeResults === true)) {
      // Graded here: the plugin did not get to its end (a killed Artillery), or never grades (merged
      // containers). A container's own run (WORKER_ID) leaves its verdict to whoever merges it.
      const graded = gradeResults(results, readResults(results), {
        defaultTargets: grading.targetsFile,
        knownProfiles: grading.knownProfiles,
      });
      if (grading.print) console.log(`evaluate: ${graded.profileLine}`);
      doc = graded.document;
      if (end.stop && !doc.evaluation.stop) doc.evaluation = withStop(doc.evaluation, end.stop);
      writeFileSync(evaluationFile, JSON.stringify(doc, null, 1));
      const adminLogin = doc.meta.adminLogin;
      if (grading.print) console.log(formatSummary(doc.evaluation, 5, adminLogin ? { adminLogin } : {}));
    }
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    log(`the run's results cannot be graded: ${error.message}`);
    doc = null;
  }
  if (end.stop) return { doc, code: end.stop.exitCode };
  if (doc) return { doc, code: doc.evaluation.exitCode };
  // Results without a verdict, on purpose (a cloud container, BTCW_TARGETS_DISABLE): Artillery's own code.
  if (existsSync(results) && end.code !== null) return { doc, code: end.code };
  // The plugin stops a run with bad targets or a bad baseline before any load, with its own line.
  if (end.code === EXIT.BAD_INPUT) return { doc, code: EXIT.BAD_INPUT };
  log(`Artillery ended with exit code ${end.code} and no results to grade: see its output above`);
  return { doc, code: EXIT.NOTHING_GRADED };
}
