// `npm run report -- <results.json | *.evaluation.json> [--profile NAME]`: the HTML report and CSV files
// again, next to the given file. A results file is graded as `npm run evaluate` grades it (the run's profile
// and targets file unless --profile says otherwise); an evaluation is rendered as it is.

import { parseArgs } from 'node:util';
import { DocumentError } from '../documents/evaluation-document.js';
import { UsageError } from '../lib/usage-error.js';
import { loadDocument, reportBase, writeReport } from '../report/write-report.js';
import { profileNames, TARGETS_FILE } from '../runner/profiles.js';

export function reportCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { profile: { type: 'string' } },
  });
  if (positionals.length !== 1)
    throw new UsageError(
      'usage: npm run report -- <results.json or results.evaluation.json> [--profile NAME]',
    );
  const file = positionals[0]!;
  let doc: ReturnType<typeof loadDocument>;
  try {
    doc = loadDocument(
      file,
      TARGETS_FILE,
      values.profile,
      (lines) => {
        for (const l of lines) console.log(`btcw: report: ${l}`);
      },
      profileNames(),
    );
  } catch (e) {
    // A bad file is bad input: one line, exit 2.
    if (e instanceof DocumentError) throw new UsageError(e.message);
    throw e;
  }
  const files = writeReport(doc, reportBase(file));
  console.log(`btcw: report written to ${files.html} (and ${files.csv.length} CSV files)`);
  return 0;
}
