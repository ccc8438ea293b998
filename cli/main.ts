// The pack's command line: run <profile> | cleanup | evaluate <results.json> | report <file> | bundle |
// rehearse <profile> | compare <A> <B>. Bad input gets one line and exit code 2, never a stack trace.

import { bundleCommand } from '../commands/bundle.js';
import { capacity } from '../commands/capacity.js';
import { cleanup } from '../commands/cleanup.js';
import { compareCommand } from '../commands/compare.js';
import { evaluateCommand } from '../commands/evaluate.js';
import { rehearse } from '../commands/rehearse.js';
import { reportCommand } from '../commands/report.js';
import { run } from '../commands/run.js';
import { BaselineError } from '../documents/baseline-file.js';
import { TargetsError } from '../grading/targets.js';
import { UsageError } from '../lib/usage-error.js';
import { PreflightError } from '../runner/preflight.js';
import { profileNames, TARGETS_FILE } from '../runner/profiles.js';

process.env.ARTILLERY_DISABLE_TELEMETRY = 'true';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'cleanup':
      return cleanup(rest);
    case 'capacity':
      return capacity(rest);
    case 'evaluate':
      return evaluateCommand(rest, TARGETS_FILE, profileNames());
    case 'report':
      return reportCommand(rest);
    case 'bundle':
      return bundleCommand(rest);
    case 'rehearse':
      return rehearse(rest);
    case 'compare':
      return compareCommand(rest);
    default:
      console.error(
        `btcw: unknown command "${command ?? ''}": ` +
          'use run, capacity, cleanup, evaluate, report, bundle, rehearse or compare ' +
          '(run --help for options)',
      );
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const err = e as Error;
  const expected =
    e instanceof UsageError ||
    e instanceof TargetsError ||
    e instanceof PreflightError ||
    e instanceof BaselineError ||
    (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`btcw: ${expected ? err.message.split('\n')[0] : `error: ${err.message.split('\n')[0]}`}`);
  process.exitCode = 2;
}
