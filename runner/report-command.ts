// `npm run report -- <results.json | *.evaluation.json> [--profile NAME]`: the HTML report and CSV files again,
// next to the given file.
import { parseArgs } from 'node:util';
import { loadDocument, reportBase, writeReport } from '../report/write-report.js';
import { InputError, TARGETS_FILE } from './profiles.js';

export function reportCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { profile: { type: 'string' } },
  });
  if (positionals.length !== 1)
    throw new InputError(
      'usage: npm run report -- <results.json or results.evaluation.json> [--profile NAME]',
    );
  const file = positionals[0]!;
  const doc = loadDocument(file, TARGETS_FILE, values.profile);
  const files = writeReport(doc, reportBase(file));
  console.log(`btcw: report written to ${files.html} (and ${files.csv.length} CSV files)`);
  return 0;
}
