// The capacity finder's options: its own flags (start, step factor, settle, bounds, generator budget) beside
// those of run it takes (environment, mix, think factor, workers, production guard), parsed by one table,
// and the Artillery overrides of one step. Pure over (argv, env): every problem is one UsageError line.

import { type CapacityRules, DEFAULT_RULES } from '../grading/capacity-grading.js';
import { arrivalSeconds } from '../grading/capacity-search.js';
import { type FlagTable, type FlagValues, optionLines, parseFlags, withoutFlags } from '../lib/flag-table.js';
import { engineVariables } from '../lib/run-plan.js';
import { UsageError } from '../lib/usage-error.js';
import { SETTLE_VARIABLE } from '../plugin/capacity-step.js';
import { RUN_FLAGS, type RunOptions, runOptionsFrom, withoutVariablesOf } from '../runner/run-options.js';

/** Periods are 10 s and aligned to the clock: settle + 40 s always holds three whole periods after settle. */
export const PERIOD_SECONDS = 10;
export const GRADED_SECONDS = 4 * PERIOD_SECONDS;

export interface CapacityOptions {
  start: number;
  settleSeconds: number;
  maxMinutes: number;
  generatorCores: number | undefined;
  rules: CapacityRules;
}

/** Options of run that a capacity search cannot honour, and what to do instead. */
const NOT_FOR_CAPACITY = [
  ['--duration-factor', 'use --start, --settle and --max-users instead'],
  ['--users-factor', 'use --start, --settle and --max-users instead'],
  ['--dashboard', 'each step is its own run; follow the steps in the console'],
  ['--dashboard-host', 'each step is its own run; follow the steps in the console'],
  ['--baseline', 'baselines grade the fixed profiles (run <profile> --baseline NAME)'],
  ['--save-baseline', 'baselines grade the fixed profiles (run <profile> --save-baseline NAME)'],
] as const;

/** The finder's own flags. */
const OWN_FLAGS = [
  { name: 'start', type: 'string', value: 'U', help: 'users of the first step (default 10)' },
  {
    name: 'step-factor',
    type: 'string',
    value: 'F',
    help:
      'users × F per step until the first break (default: × 8 while every class is\n' +
      'under an eighth of its latency bound, × 4 under a quarter, × 2 under half,\n' +
      'else × 1.5)',
  },
  {
    name: 'settle',
    type: 'string',
    value: 'S',
    help:
      'seconds of each step not graded: arrivals, logins (default 10); each step lasts\n' +
      `S + ${GRADED_SECONDS} s, which holds at least three whole 10 s periods after S`,
  },
  {
    name: 'max-steps',
    type: 'string',
    value: 'N',
    help: `stop after N steps (default ${DEFAULT_RULES.maxSteps})`,
  },
  {
    name: 'max-users',
    type: 'string',
    value: 'U',
    help: `never more users than U (default ${DEFAULT_RULES.maxUsers})`,
  },
  {
    name: 'max-minutes',
    type: 'string',
    value: 'M',
    help: 'start no step that would end after M minutes (default 30)',
  },
  {
    name: 'generator-cores',
    type: 'string',
    value: 'C',
    help:
      "the load generator's CPU budget in cores (default: its worker threads, at most the\n" +
      "machine's cores); a step at 90 % of it is bounded by the generator, not the API",
  },
] as const satisfies FlagTable;

/** The run options capacity takes: run's flags without those it refuses. */
const RUN_FLAGS_FOR_CAPACITY = withoutFlags(
  RUN_FLAGS,
  NOT_FOR_CAPACITY.map(([flag]) => flag),
);

/** Capacity's flags: its own, then run's that it takes. Its parser, --help and "did you mean" use these. */
export const CAPACITY_FLAGS = [...OWN_FLAGS, ...RUN_FLAGS_FOR_CAPACITY] satisfies FlagTable;

const REFUSED = new Map(
  NOT_FOR_CAPACITY.map(([flag, instead]) => [flag, `${flag} does not apply to capacity: ${instead}`]),
);

export const CAPACITY_USAGE = [
  'Usage: npm run capacity -- [options]   (or: node build/cli/main.js capacity)',
  '  Steps the users of a mix up until the API stops meeting its targets, then narrows down the limit.',
  optionLines(OWN_FLAGS),
  'and these options of run; capacity needs --confirm-host for any non-local host, as stress does:',
  optionLines(RUN_FLAGS_FOR_CAPACITY),
].join('\n');

/** The finder's flags that take a number. */
type NumberFlagName = Extract<(typeof OWN_FLAGS)[number], { type: 'string' }>['name'];

function numberFlag(
  own: FlagValues<typeof OWN_FLAGS>,
  name: NumberFlagName,
  fallback: number,
  min: number,
  max: number,
  whole: boolean,
): number {
  const raw = own[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (whole && !Number.isInteger(value))
  )
    throw new UsageError(
      `--${name} must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`,
    );
  return value;
}

export function parseCapacityArgs(
  argv: string[],
  vars: NodeJS.ProcessEnv,
): { run: RunOptions; capacity: CapacityOptions } | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const parsed = parseFlags(CAPACITY_FLAGS, argv, { refused: REFUSED });
  if (parsed.positionals.length > 0)
    throw new UsageError('capacity takes no profile name: it runs its own steps (see --help)');
  const own = parsed.values;
  const maxUsers = numberFlag(own, 'max-users', DEFAULT_RULES.maxUsers, 1, 100_000, true);
  const capacity: CapacityOptions = {
    start: numberFlag(own, 'start', 10, 1, 100_000, true),
    settleSeconds: numberFlag(own, 'settle', 10, 2, 600, true),
    maxMinutes: numberFlag(own, 'max-minutes', 30, 1, 24 * 60, false),
    generatorCores:
      own['generator-cores'] !== undefined
        ? numberFlag(own, 'generator-cores', 1, 0.01, 1024, false)
        : undefined,
    rules: {
      ...DEFAULT_RULES,
      stepFactor: numberFlag(own, 'step-factor', DEFAULT_RULES.stepFactor, 1.05, 4, false),
      // A factor given is the factor used: the growth by distance to the limits is the default's.
      adaptive: own['step-factor'] === undefined,
      maxSteps: numberFlag(own, 'max-steps', DEFAULT_RULES.maxSteps, 1, 100, true),
      maxUsers,
    },
  };
  if (capacity.start > maxUsers)
    throw new UsageError(
      `--start ${capacity.start} is above --max-users ${maxUsers}: lower --start or raise --max-users`,
    );
  // The run options and the production guard as for any profile: `capacity` is guarded like stress.
  // What capacity refuses as flags is not taken from the environment either (a job-wide BTCW_BASELINE).
  const runVars = withoutVariablesOf(REFUSED.keys(), vars);
  const run = runOptionsFrom({ values: parsed.values, positionals: ['capacity'] }, runVars);
  if (run === 'help') return 'help';
  return { run, capacity };
}

/** Seconds each step lasts: settle, then at least three whole periods. */
export const stepSeconds = (o: CapacityOptions) => o.settleSeconds + GRADED_SECONDS;

/** The step's overrides: its users arrive in the first half of the settle time, then loop until it ends. */
export function stepOverrides(
  run: RunOptions,
  capacity: CapacityOptions,
  users: number,
  extraSeconds = 0,
): { config: Record<string, unknown> } {
  const ramp = arrivalSeconds(capacity.settleSeconds);
  return {
    config: {
      phases: [
        {
          name: `capacity-${users}`,
          duration: ramp,
          arrivalRate: Math.max(1, Math.ceil(users / ramp)),
          maxVusers: users,
        },
      ],
      variables: {
        runSeconds: stepSeconds(capacity) + extraSeconds,
        userMix: run.mix,
        loginPolicy: run.loginPolicy,
        thinkFactor: run.thinkFactor,
        ...engineVariables(run.engine),
        [SETTLE_VARIABLE]: capacity.settleSeconds,
      },
    },
  };
}
