// The pack's command line: run <profile> | cleanup | evaluate <results.json> | report <file> | bundle |
// rehearse <profile> | compare <A> <B>. Bad input gets one line and exit code 2, never a stack trace.
import { BaselineError } from '../plugin/baseline.js';
import { evaluateCommand } from '../plugin/cli.js';
import { TargetsError } from '../plugin/targets.js';
import { capacity } from './capacity.js';
import { cleanup } from './cleanup-command.js';
import { bundleCommand } from './cloud-bundle.js';
import { compareCommand } from './compare-command.js';
import { PreflightError } from './preflight.js';
import { InputError, profileNames, TARGETS_FILE } from './profiles.js';
import { rehearse } from './rehearse.js';
import { reportCommand } from './report-command.js';
import { run } from './run.js';

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
    e instanceof InputError ||
    e instanceof TargetsError ||
    e instanceof PreflightError ||
    e instanceof BaselineError ||
    (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`btcw: ${expected ? err.message.split('\n')[0] : `error: ${err.message.split('\n')[0]}`}`);
  process.exitCode = 2;
}
