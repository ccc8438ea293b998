// The commands' dispatcher behind cli/main.ts: the commands are declared in cli/command.ts.
// Bad input gets one line and exit code 2, never a stack trace.

import { BaselineError } from '../documents/baseline-file.js';
import { DocumentError } from '../documents/evaluation-document.js';
import { EXIT } from '../grading/exit-codes.js';
import { TargetsError } from '../grading/targets.js';
import { didYouMean } from '../lib/flag-table.js';
import { UsageError } from '../lib/usage-error.js';
import { PreflightError } from '../runner/preflight.js';
import { COMMANDS, normalizeFlags, topLevelHelp } from './command.js';

process.env.ARTILLERY_DISABLE_TELEMETRY = 'true';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(topLevelHelp());
    return 0;
  }
  const current = COMMANDS.find((command) => command.name === name);
  if (current === undefined) {
    const near = didYouMean(
      name,
      COMMANDS.map((command) => command.name),
    );
    throw new UsageError(
      `unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}: ` +
        `use ${COMMANDS.map((command) => command.name).join(', ')} (btcw --help)`,
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(current.usage);
    return 0;
  }
  return current.handler(normalizeFlags(rest));
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (thrown) {
  const err = thrown as Error;
  const expected =
    thrown instanceof UsageError ||
    thrown instanceof TargetsError ||
    thrown instanceof PreflightError ||
    thrown instanceof BaselineError ||
    // A document the user named (evaluate, report, compare): bad input, as a bad flag is.
    thrown instanceof DocumentError;
  const line = err.message.split('\n')[0] ?? '';
  console.error(`btcw: ${expected ? line : `error: ${line}`}`);
  process.exitCode = EXIT.BAD_INPUT;
}
