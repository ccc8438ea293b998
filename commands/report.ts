// `npm run report -- <results.json | *.evaluation.json> [--profile NAME]`: the HTML report and CSV files
// again, next to the given file. A results file is graded as `npm run evaluate` grades it (the run's profile
// and targets file unless --profile says otherwise); an evaluation is rendered as it is.

import { type FlagTable, HELP_FLAG, optionLines, parseFlags } from '../lib/flag-table.js';
import { UsageError } from '../lib/usage-error.js';
import { loadDocument, reportBase, writeReport } from '../report/write-report.js';
import { profileNames, TARGETS_FILE } from '../runner/profiles.js';

/** The one line a wrong number of arguments gets. */
const REPORT_SYNOPSIS = 'usage: npm run report -- <results.json or results.evaluation.json> [--profile NAME]';

export const REPORT_FLAGS = [
  {
    name: 'profile',
    type: 'string',
    value: 'NAME',
    help: "grade a results file as this profile (default: the run's own)",
  },
  HELP_FLAG,
] as const satisfies FlagTable;

export const REPORT_USAGE = [REPORT_SYNOPSIS, optionLines(REPORT_FLAGS)].join('\n');

export function reportCommand(argv: string[]): number {
  const { values, positionals } = parseFlags(REPORT_FLAGS, argv);
  if (positionals.length !== 1) throw new UsageError(REPORT_SYNOPSIS);
  const file = positionals[0]!;
  // A bad file is a DocumentError: one line and exit 2 from the top-level handler, as for evaluate.
  const doc = loadDocument(
    file,
    TARGETS_FILE,
    values.profile,
    (lines) => {
      for (const line of lines) console.log(`btcw: report: ${line}`);
    },
    profileNames(),
  );
  const files = writeReport(doc, reportBase(file));
  console.log(`btcw: report written to ${files.html} (and ${files.csv.length} CSV files)`);
  return 0;
}
