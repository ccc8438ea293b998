// The commands, declared once: name, one-line summary, usage and handler. The top-level help, each
// command's --help and the "did you mean" for an unknown command or flag are all made from this table.
import { BUNDLE_USAGE, bundleCommand } from '../commands/bundle.js';
import { capacity } from '../commands/capacity.js';
import { CAPACITY_USAGE } from '../commands/capacity-flags.js';
import { cleanup } from '../commands/cleanup.js';
import { COMPARE_USAGE, compareCommand } from '../commands/compare.js';
import { EVALUATE_USAGE, evaluateCommand } from '../commands/evaluate.js';
import { REHEARSE_USAGE, rehearse } from '../commands/rehearse.js';
import { reportCommand } from '../commands/report.js';
import { run } from '../commands/run.js';
import { UsageError } from '../lib/usage-error.js';
import { profileNames, TARGETS_FILE } from '../runner/profiles.js';
import { RUN_USAGE } from '../runner/run-options.js';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  handler: (argv: string[]) => number | Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  { name: 'run', summary: 'run a profile against a target and grade it', usage: RUN_USAGE, handler: run },
  {
    name: 'capacity',
    summary: 'find the most users the target serves within its targets, step by step',
    usage: CAPACITY_USAGE,
    handler: capacity,
  },
  {
    name: 'rehearse',
    summary: 'rehearse a distributed run: N local containers, one merged verdict',
    usage: REHEARSE_USAGE,
    handler: rehearse,
  },
  {
    name: 'compare',
    summary: 'compare two runs or baselines, endpoint by endpoint',
    usage: COMPARE_USAGE,
    handler: compareCommand,
  },
  {
    name: 'evaluate',
    summary: 'grade a saved Artillery results file',
    usage: EVALUATE_USAGE,
    handler: (argv) => evaluateCommand(argv, TARGETS_FILE, profileNames()),
  },
  {
    name: 'report',
    summary: 'render the HTML report of a results or evaluation file',
    usage: 'Usage: npm run report -- <results.json|evaluation.json> [--profile NAME]',
    handler: reportCommand,
  },
  {
    name: 'cleanup',
    summary: 'delete the strategies the pack tagged on a target',
    usage: 'Usage: npm run cleanup -- [--env NAME] [--tag RUN_TAG]',
    handler: cleanup,
  },
  {
    name: 'bundle',
    summary: 'list what a cloud run (run-fargate, run-lambda) uploads for a profile',
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

/** Edit distance, for "did you mean". */
function distance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let col = 1; col <= right.length; col++)
      current[col] = Math.min(
        previous[col]! + 1,
        current[col - 1]! + 1,
        previous[col - 1]! + (left[row - 1] === right[col - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[right.length]!;
}

/** The nearest known word, when it is near enough to be what was meant. */
export function didYouMean(word: string, known: readonly string[]): string | null {
  const bare = (text: string) => text.replace(/^-+/, '').replaceAll('-', '');
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const gap = distance(bare(word), bare(candidate));
    if (gap < bestDistance) [best, bestDistance] = [candidate, gap];
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(bare(word).length / 4)) ? best : null;
}

/** The flags a command's usage names. */
export const flagsOf = (command: Command): string[] => [
  ...new Set(command.usage.match(/--[a-z][a-z-]*/g) ?? []),
];

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
