// What a run leaves for CI and for later runs, from its evaluation: the JUnit XML beside the results, the
// Markdown verdict appended to GITHUB_STEP_SUMMARY when set, and the baseline when --save-baseline asks.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { baselineFromDocument, writeBaseline } from '../documents/baseline-file.js';
import type { EvaluationDocument } from '../documents/evaluation-document.js';
import { junitXml } from '../report/junit.js';
import { stepSummary } from '../report/step-summary.js';

/** `results/<profile>-<tag>.json` gives `results/<profile>-<tag>.junit.xml`. */
export function junitPath(resultsFile: string): string {
  return `${resultsFile.replace(/(\.evaluation)?\.json$/i, '')}.junit.xml`;
}

export function writeRunOutputs(
  doc: EvaluationDocument,
  resultsFile: string,
  opts: {
    saveBaseline?: string | undefined;
    stepSummaryFile?: string | undefined;
    /** targets.yml `failOn`: a JUnit check fails only when its kind fails the run. */
    failOn: readonly string[];
  },
  log: (line: string) => void,
): void {
  const name = path.basename(resultsFile).replace(/\.json$/i, '');
  const junit = junitPath(resultsFile);
  writeFileSync(junit, junitXml(doc.evaluation, `btcw.${doc.meta.profile ?? 'run'}`, opts.failOn));
  log(`JUnit: ${path.relative(process.cwd(), junit)}`);
  if (opts.stepSummaryFile) {
    try {
      appendFileSync(opts.stepSummaryFile, stepSummary(doc.evaluation, `BTC Watcher ${name}`));
    } catch (e) {
      log(
        `cannot append to GITHUB_STEP_SUMMARY (${(e as NodeJS.ErrnoException).code}): the verdict is above`,
      );
    }
  }
  if (opts.saveBaseline) {
    if (doc.meta.interrupted) {
      log('baseline not saved: the run was interrupted, its periods are incomplete');
      return;
    }
    const b = baselineFromDocument(doc, path.basename(opts.saveBaseline, '.json'), new Date().toISOString());
    writeBaseline(opts.saveBaseline, b);
    const note =
      doc.evaluation.verdict === 'PASS' ? '' : ` (note: this run's verdict is ${doc.evaluation.verdict})`;
    log(`baseline ${b.name} saved: ${path.relative(process.cwd(), opts.saveBaseline)}${note}`);
  }
}
