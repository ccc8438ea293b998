// The pack's command line: run <profile> | cleanup | evaluate <results.json>. Bad input gets one line and
// exit code 2, never a stack trace.
import '../target/quiet-sqlite-warning.js';
import { parseArgs } from 'node:util';
import { evaluateCommand } from '../plugin/cli.js';
import { TargetsError } from '../plugin/targets.js';
import { cleanup } from './cleanup-command.js';
import { InputError, TARGETS_FILE } from './profiles.js';
import { PreflightError } from './preflight.js';
import { run } from './run.js';
import { loadDocument, writeReport } from '../report/write-report.js';

/** `npm run report -- <results.json | *.evaluation.json> [--profile NAME]`: HTML and CSV next to the file. */
function reportCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { profile: { type: 'string' } } });
  if (positionals.length !== 1) throw new InputError('usage: npm run report -- <results.json or results.evaluation.json> [--profile NAME]');
  const file = positionals[0]!;
  const doc = loadDocument(file, TARGETS_FILE, values.profile);
  const files = writeReport(doc, file.replace(/(\.evaluation)?\.json$/i, ''));
  console.log(`btcw: report written to ${files.html} (and ${files.csv.length} CSV files)`);
  return 0;
}

process.env.ARTILLERY_DISABLE_TELEMETRY = 'true';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run': return run(rest);
    case 'cleanup': return cleanup(rest);
    case 'evaluate': return evaluateCommand(rest, TARGETS_FILE);
    case 'report': return reportCommand(rest);
    default:
      console.error(`btcw: unknown command "${command ?? ''}": use run, cleanup, evaluate or report (run --help for options)`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const err = e as Error;
  const expected = e instanceof InputError || e instanceof TargetsError || e instanceof PreflightError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`btcw: ${expected ? err.message.split('\n')[0] : `error: ${err.message.split('\n')[0]}`}`);
  process.exitCode = 2;
}
