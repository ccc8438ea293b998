// The commands, declared once: name, one-line summary, flags, usage and handler. The top-level help and the
// "did you mean" for an unknown command are made from this table. Each command's flags are the table its
// own parser uses (lib/flag-table.ts), and its usage's option lines are made from that same table.
import { BUNDLE_FLAGS, BUNDLE_USAGE, bundleCommand } from '../commands/bundle.js';
import { capacity } from '../commands/capacity.js';
import { CAPACITY_FLAGS, CAPACITY_USAGE } from '../commands/capacity-flags.js';
import { CLEANUP_FLAGS, CLEANUP_USAGE, cleanup } from '../commands/cleanup.js';
import { COMPARE_FLAGS, COMPARE_USAGE, compareCommand } from '../commands/compare.js';
import { EVALUATE_FLAGS, EVALUATE_USAGE, evaluateCommand } from '../commands/evaluate.js';
import { REHEARSE_FLAGS, REHEARSE_USAGE, rehearse } from '../commands/rehearse.js';
import { REPORT_FLAGS, REPORT_USAGE, reportCommand } from '../commands/report.js';
import { run } from '../commands/run.js';
import type { FlagTable } from '../lib/flag-table.js';
import { UsageError } from '../lib/usage-error.js';
import { profileNames, TARGETS_FILE } from '../runner/profiles.js';
import { RUN_FLAGS, RUN_USAGE } from '../runner/run-options.js';

export interface Command {
  name: string;
  summary: string;
  /** The flags its parser takes, no others. */
  flags: FlagTable;
  /** Its --help: its synopsis and notes, and the option lines made from `flags`. */
  usage: string;
  handler: (argv: string[]) => number | Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'run',
    summary: 'run a profile against a target and grade it',
    flags: RUN_FLAGS,
    usage: RUN_USAGE,
    handler: run,
  },
  {
    name: 'capacity',
    summary: 'find the most users the target serves within its targets, step by step',
    flags: CAPACITY_FLAGS,
    usage: CAPACITY_USAGE,
    handler: capacity,
  },
  {
    name: 'rehearse',
    summary: 'rehearse a distributed run: N local containers, one merged verdict',
    flags: REHEARSE_FLAGS,
    usage: REHEARSE_USAGE,
    handler: rehearse,
  },
  {
    name: 'compare',
    summary: 'compare two runs or baselines, endpoint by endpoint',
    flags: COMPARE_FLAGS,
    usage: COMPARE_USAGE,
    handler: compareCommand,
  },
  {
    name: 'evaluate',
    summary: 'grade a saved Artillery results file',
    flags: EVALUATE_FLAGS,
    usage: EVALUATE_USAGE,
    handler: (argv) => evaluateCommand(argv, TARGETS_FILE, profileNames()),
  },
  {
    name: 'report',
    summary: 'render the HTML report of a results or evaluation file',
    flags: REPORT_FLAGS,
    usage: REPORT_USAGE,
    handler: reportCommand,
  },
  {
    name: 'cleanup',
    summary: 'delete the strategies the pack tagged on a target',
    flags: CLEANUP_FLAGS,
    usage: CLEANUP_USAGE,
    handler: cleanup,
  },
  {
    name: 'bundle',
    summary: 'list what a cloud run (run-fargate, run-lambda) uploads for a profile',
    flags: BUNDLE_FLAGS,
    usage: BUNDLE_USAGE,
    handler: bundleCommand,
  },
];

export function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: btcw <command> [options]   (npx btcw <command> --help for its options)',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
  ].join('\n');
}

/**
 * `--flag -1` reaches the command as `--flag=-1`, so a negative number gets the flag's own range message
 * rather than parseArgs' "ambiguous"; a second --env is refused, since only one environment can apply;
 * `--dashboard abc` is named as a bad port, not as a second profile.
 */
export function normalizeFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index]!;
    const next = argv[index + 1];
    if (/^--[a-z][a-z-]*$/.test(word) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${word}=${next}`);
      index++;
    } else out.push(word);
  }
  const dashboard = out.indexOf('--dashboard');
  const port = dashboard >= 0 ? out[dashboard + 1] : undefined;
  if (port !== undefined && !port.startsWith('-') && !/^\d+$/.test(port) && !profileNames().includes(port))
    throw new UsageError(`--dashboard takes a port number or nothing, got "${port}"`);
  const envs = out.filter((word) => word === '--env' || word === '-e' || word.startsWith('--env='));
  if (envs.length > 1) throw new UsageError('--env is given more than once: name one environment');
  return out;
}
