// What a finished run leaves besides its verdict, from its evaluation: the HTML report and CSV files, the
// JUnit XML, the Markdown verdict appended to GITHUB_STEP_SUMMARY when set, and the baseline when
// --save-baseline asks. Each is guarded: a file that cannot be written costs that file (or moves the run's
// files to a temporary folder, runner/safe-outputs.ts), one line, never the verdict or its exit code.
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { baselineFromDocument, writeBaseline } from '../documents/baseline-file.js';
import type { EvaluationDocument } from '../documents/evaluation-document.js';
import { junitXml } from '../report/junit.js';
import { stepSummary } from '../report/step-summary.js';
import { writeReport } from '../report/write-report.js';
import type { SafeOutputs } from './safe-outputs.js';
import type { Log } from './session.js';

/** `results/<profile>-<tag>.json` gives `results/<profile>-<tag>.junit.xml`. */
export function junitPath(resultsFile: string): string {
  return `${resultsFile.replace(/(\.evaluation)?\.json$/i, '')}.junit.xml`;
}

export interface OutputOptions {
  /** The HTML report and CSV files (not with --no-report). */
  report: boolean;
  saveBaseline?: string | undefined;
  stepSummaryFile?: string | undefined;
  /** targets.yml `failOn`: a JUnit check fails only when its kind fails the run. */
  failOn: readonly string[];
}

const rel = (file: string) => path.relative(process.cwd(), file);

/** Writes the outputs of a run named `name` (`smoke-<tag>`); returns the report's files. */
export function writeRunOutputs(
  doc: EvaluationDocument,
  name: string,
  outputs: SafeOutputs,
  opts: OutputOptions,
  log: Log,
): string[] {
  const files: string[] = [];
  if (opts.report) {
    const written = outputs.write('the report', name, (base) => writeReport(doc, base));
    if (written) {
      files.push(written.html, ...written.csv);
      log(`report: ${rel(written.html)} (CSV: ${written.csv.map((f) => path.basename(f)).join(', ')})`);
    }
  }
  const junit = outputs.write('the JUnit file', `${name}.junit.xml`, (file) => {
    writeFileSync(
      file,
      junitXml(doc.evaluation, `btcw.${doc.meta.profile ?? 'run'}`, opts.failOn, doc.meta.engine ?? null),
    );
    return file;
  });
  if (junit) log(`JUnit: ${rel(junit)}`);
  if (opts.stepSummaryFile) {
    try {
      appendFileSync(opts.stepSummaryFile, stepSummary(doc.evaluation, `BTC Watcher ${name}`));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      log(`cannot append to GITHUB_STEP_SUMMARY (${code}): the verdict is above`);
    }
  }
  if (opts.saveBaseline) saveBaseline(doc, opts.saveBaseline, log);
  return files;
}

function saveBaseline(doc: EvaluationDocument, file: string, log: Log): void {
  if (doc.meta.interrupted || doc.evaluation.stop) {
    log('baseline not saved: the run ended early, its periods are incomplete');
    return;
  }
  try {
    const baseline = baselineFromDocument(doc, path.basename(file, '.json'), new Date().toISOString());
    writeBaseline(file, baseline);
    const note =
      doc.evaluation.verdict === 'PASS' ? '' : ` (note: this run's verdict is ${doc.evaluation.verdict})`;
    log(`baseline ${baseline.name} saved: ${rel(file)}${note}`);
  } catch (error) {
    log(`baseline not saved: ${(error as Error).message.split('\n')[0]}`);
  }
}
