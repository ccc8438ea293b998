// The capacity finder's options: its own flags (start, step factor, settle, bounds, generator budget) taken
// out of argv, the rest parsed as a run's (environment, mix, think factor, workers, production guard), and
// the Artillery overrides of one step. Pure over (argv, env): every problem is one UsageError line.

import { type CapacityRules, DEFAULT_RULES } from '../grading/capacity-grading.js';
import { arrivalSeconds } from '../grading/capacity-search.js';
import { engineVariables } from '../lib/run-plan.js';
import { UsageError } from '../lib/usage-error.js';
import { SETTLE_VARIABLE } from '../plugin/capacity-step.js';
import { parseRunArgs, RUN_USAGE, type RunOptions } from '../runner/run-options.js';

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
const NOT_FOR_CAPACITY: ReadonlyArray<[string, string]> = [
  ['--duration-factor', 'use --start, --settle and --max-users instead'],
  ['--users-factor', 'use --start, --settle and --max-users instead'],
  ['--dashboard', 'each step is its own run; follow the steps in the console'],
  ['--dashboard-host', 'each step is its own run; follow the steps in the console'],
  ['--baseline', 'baselines grade the fixed profiles (run <profile> --baseline NAME)'],
  ['--save-baseline', 'baselines grade the fixed profiles (run <profile> --save-baseline NAME)'],
];

export const CAPACITY_USAGE = `Usage: npm run capacity -- [options]   (or: node build/cli/main.js capacity)
  Steps the users of a mix up until the API stops meeting its targets, then narrows down the limit.
  --start U              users of the first step (default 10)
  --step-factor F        users × F per step until the first break (default: × 8 while every class is
                         under an eighth of its latency bound, × 4 under a quarter, × 2 under half,
                         else × 1.5)
  --settle S             seconds of each step not graded: arrivals, logins (default 10); each step lasts
                         S + ${GRADED_SECONDS} s, which holds at least three whole 10 s periods after S
  --max-steps N          stop after N steps (default ${DEFAULT_RULES.maxSteps})
  --max-users U          never more users than U (default ${DEFAULT_RULES.maxUsers})
  --max-minutes M        start no step that would end after M minutes (default 30)
  --generator-cores C    the load generator's CPU budget in cores (default: its worker threads, at most the
                         machine's cores); a step at 90 % of it is bounded by the generator, not the API
and these options of run; capacity needs --confirm-host for any non-local host, as stress does:
${runFlagsForCapacity()}`;

const OWN_FLAGS = [
  'start',
  'step-factor',
  'settle',
  'max-steps',
  'max-users',
  'max-minutes',
  'generator-cores',
];

/** Takes the finder's own flags out of argv; the rest goes to the run options' parser. */
function splitFlags(argv: string[]): { own: Map<string, string>; rest: string[] } {
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match && OWN_FLAGS.includes(match[1]!)) {
      const value = match[2] ?? argv[++index];
      if (value === undefined) throw new UsageError(`--${match[1]} needs a value (see --help)`);
      own.set(match[1]!, value);
    } else rest.push(arg);
  }
  return { own, rest };
}

function numberFlag(
  own: Map<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
  whole: boolean,
): number {
  const raw = own.get(name);
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
  const { own, rest } = splitFlags(argv);
  for (const [flag, instead] of NOT_FOR_CAPACITY)
    if (rest.some((a) => a === flag || a.startsWith(`${flag}=`)))
      throw new UsageError(`${flag} does not apply to capacity: ${instead}`);
  const maxUsers = numberFlag(own, 'max-users', DEFAULT_RULES.maxUsers, 1, 100_000, true);
  const capacity: CapacityOptions = {
    start: numberFlag(own, 'start', 10, 1, 100_000, true),
    settleSeconds: numberFlag(own, 'settle', 10, 2, 600, true),
    maxMinutes: numberFlag(own, 'max-minutes', 30, 1, 24 * 60, false),
    generatorCores: own.has('generator-cores')
      ? numberFlag(own, 'generator-cores', 1, 0.01, 1024, false)
      : undefined,
    rules: {
      ...DEFAULT_RULES,
      stepFactor: numberFlag(own, 'step-factor', DEFAULT_RULES.stepFactor, 1.05, 4, false),
      // A factor given is the factor used: the growth by distance to the limits is the default's.
      adaptive: !own.has('step-factor'),
      maxSteps: numberFlag(own, 'max-steps', DEFAULT_RULES.maxSteps, 1, 100, true),
      maxUsers,
    },
  };
  if (capacity.start > maxUsers)
    throw new UsageError(
      `--start ${capacity.start} is above --max-users ${maxUsers}: lower --start or raise --max-users`,
    );
  // The run options and the production guard as for any profile: `capacity` is guarded like stress.
  let run: RunOptions | 'help';
  try {
    // What capacity refuses as flags is not taken from the environment either (a job-wide BTCW_BASELINE).
    const { BTCW_BASELINE: _b, BTCW_DASHBOARD: _d, BTCW_DASHBOARD_HOST: _h, ...runVars } = vars;
    run = parseRunArgs(['capacity', ...rest], runVars);
  } catch (error) {
    if (error instanceof UsageError && error.message.startsWith('name one profile'))
      throw new UsageError('capacity takes no profile name: it runs its own steps (see --help)');
    throw error;
  }
  if (run === 'help') return 'help';
  return { run, capacity };
}

/**
 * The run options' usage without the flags capacity refuses (each flag's line and the lines that continue
 * it), so that --help lists only what it accepts.
 */
function runFlagsForCapacity(): string {
  const refused = new Set(NOT_FOR_CAPACITY.map(([flag]) => flag));
  const kept: string[] = [];
  let dropping = false;
  for (const line of RUN_USAGE.split('\n').slice(2)) {
    const flag = /^ {2}(--[a-z-]+)/.exec(line)?.[1];
    if (flag !== undefined) dropping = refused.has(flag);
    else if (!/^ {4,}/.test(line)) dropping = false;
    if (!dropping) kept.push(line);
  }
  return kept.join('\n');
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
