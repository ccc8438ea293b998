// Validates everything a run needs before any load is sent: profile, environment, target, credentials,
// scale factors, user mix, login policy and the production guard. Pure over (argv, env): every problem is
// an UsageError with one line saying what is wrong and how to fix it.

import {
  DASHBOARD_FLAGS,
  type DashboardOptions,
  dashboardOptions,
  normalizeDashboardArgs,
} from '../dashboard/options.js';
import { type Credentials, resolveCredentials } from '../lib/credentials.js';
import { type FlagTable, HELP_FLAG, optionLines, type ParsedFlags, parseFlags } from '../lib/flag-table.js';
import { isLoopback } from '../lib/loopback.js';
import { ENGINES, type Engine, engineVariables, isEngine, resolveEngine } from '../lib/run-plan.js';
import { UsageError } from '../lib/usage-error.js';
import { resolveMix } from '../processors/catalogue.js';
import { type BaselineOptions, baselineOptions } from './baseline-options.js';
import { type EnvironmentSpec, findEnvironment, loadProfile, type ProfileFile } from './profiles.js';
import { type Profile, scaleProfile, totalUsers } from './scale.js';

export interface RunOptions {
  profileName: string;
  profile: ProfileFile;
  scaled: Profile;
  thinkFactor: number;
  environment: string;
  target: URL;
  local: boolean;
  mix: string;
  loginPolicy: 'per-user' | 'pool';
  seed: string | undefined;
  outDir: string;
  report: boolean;
  /** The live error-rate guard (config/targets.yml `guard:`); false: --no-guard, for this run. */
  guard: boolean;
  /** The run's credentials, resolved once here (BTCW_USERNAME, BTCW_ADMIN_*, ...). */
  creds: { user: Credentials; admin: Credentials };
  /** Artillery worker threads; undefined = Artillery's own choice (cores - 1). */
  workers: number | undefined;
  /** The live dashboard (--dashboard), or null. */
  dashboard: DashboardOptions | null;
  /** --baseline and --save-baseline, resolved to files (runner/baseline-options.ts). */
  baselines: BaselineOptions;
  /** --engine, else the profile's (lib/run-plan.ts resolveEngine): what the run plan and flows.yml get. */
  engine: Engine;
  /** --request-timeout: seconds before a request without an answer fails (flows.yml's 30 otherwise). */
  requestTimeout: number | undefined;
}

/** The most worker threads --workers accepts: beyond it each worker gets too few users to matter. */
export const MAX_WORKERS = 64;

/** The flags of a run, declared once: its parser, its --help and "did you mean" are made from them. */
export const RUN_FLAGS = [
  {
    name: 'env',
    env: 'BTCW_ENV',
    short: 'e',
    type: 'string',
    value: 'NAME',
    help: 'local (default: the embedded API, started if needed), staging, production\n(env BTCW_ENV)',
  },
  {
    name: 'duration-factor',
    env: 'BTCW_DURATION_FACTOR',
    type: 'string',
    value: 'F',
    help: 'scale the run and ramp time, e.g. 0.1 (env BTCW_DURATION_FACTOR)',
  },
  {
    name: 'users-factor',
    env: 'BTCW_USERS_FACTOR',
    type: 'string',
    value: 'F',
    help: 'scale the user count, e.g. 0.1 (env BTCW_USERS_FACTOR)',
  },
  {
    name: 'think-factor',
    env: 'BTCW_THINK_FACTOR',
    type: 'string',
    value: 'F',
    help: 'scale think times and in-task pauses (env BTCW_THINK_FACTOR)',
  },
  {
    name: 'mix',
    type: 'string',
    value: 'MIX',
    help: 'comprehensive, auth, strategy, signal, all, or Class1,Class2',
  },
  {
    name: 'login-policy',
    type: 'string',
    value: 'P',
    help: 'per-user (default: each user logs in once) or pool (shared tokens)',
  },
  {
    name: 'seed',
    env: 'BTCW_SEED',
    type: 'string',
    value: 'N',
    help: 'reproducible payloads (env BTCW_SEED)',
  },
  {
    name: 'workers',
    env: 'BTCW_WORKERS',
    type: 'string',
    value: 'N',
    help: 'Artillery worker threads (env BTCW_WORKERS; default: cores - 1)',
  },
  {
    name: 'engine',
    env: 'BTCW_ENGINE',
    type: 'string',
    value: 'E',
    help:
      "http (Artillery's) or btcw (users survive failed requests; env BTCW_ENGINE;\n" +
      'default: btcw for load, stress, spike and capacity, http otherwise)',
  },
  {
    name: 'request-timeout',
    type: 'string',
    value: 'S',
    help: 'seconds before a request with no answer fails (default 30)',
  },
  { name: 'out', type: 'string', value: 'DIR', help: 'where results go (default results/)' },
  { name: 'no-report', type: 'boolean', help: 'skip the HTML report' },
  {
    name: 'no-guard',
    env: 'BTCW_GUARD',
    type: 'boolean',
    help: 'no live error-rate guard for this run (targets.yml guard: warns, then stops;\nenv BTCW_GUARD=off)',
  },
  {
    name: 'baseline',
    env: 'BTCW_BASELINE',
    type: 'string',
    value: 'NAME|FILE',
    help: 'grade also against baselines/<profile>/NAME.json (env BTCW_BASELINE)',
  },
  {
    name: 'save-baseline',
    type: 'string',
    value: 'NAME',
    help: 'save this run as baselines/<profile>/NAME.json (env BTCW_BASELINES_DIR moves them)',
  },
  {
    name: 'confirm-host',
    env: 'BTCW_CONFIRM_HOST',
    type: 'string',
    value: 'HOST',
    help:
      'required for stress, spike or more than BTCW_MAX_UNCONFIRMED_USERS users (default 100)\n' +
      'against a non-local target (env BTCW_CONFIRM_HOST)',
  },
  ...DASHBOARD_FLAGS,
  HELP_FLAG,
] as const satisfies FlagTable;

export const RUN_USAGE = [
  'Usage: npm run <profile> -- [options]    (or: node build/cli/main.js run <profile> [options])',
  '  profiles: smoke, load, stress, spike; modules: auth, strategy, signal',
  optionLines(RUN_FLAGS),
].join('\n');

export const GUARDED_PROFILES = new Set(['stress', 'spike', 'capacity']);

function factor(name: string, raw: string | undefined): number {
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 10)
    throw new UsageError(`--${name} must be a number above 0 and at most 10, got "${raw}"`);
  return value;
}

export function resolveTarget(env: EnvironmentSpec, vars: NodeJS.ProcessEnv): URL {
  if (env.name === 'local' && env.target !== null && vars.BTCW_API_PORT) {
    // The embedded API's port can move (BTCW_API_PORT), e.g. for parallel test runs.
    const url = new URL(env.target);
    url.port = vars.BTCW_API_PORT;
    return url;
  }
  const raw = env.target ?? vars.BTCW_TARGET;
  if (raw === undefined || raw === '') {
    throw new UsageError(
      `BTCW_TARGET is not set for environment "${env.name}": ` +
        'set it to the BTC Watcher base URL (e.g. https://staging.example.com) ' +
        `in the shell or in config/${env.name}.env`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `the target "${raw}" of environment "${env.name}" is not a URL: use http(s)://host[:port]`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `the target of environment "${env.name}" must be http or https, got ${url.protocol}`,
    );
  if (url.username || url.password)
    throw new UsageError(
      `the target of environment "${env.name}" must not carry credentials in the URL: ` +
        'use BTCW_USERNAME and BTCW_PASSWORD',
    );
  return url;
}

/**
 * The environment without the variables of flags a command refuses (`--dashboard-host` is
 * BTCW_DASHBOARD_HOST): a job-wide BTCW_BASELINE would otherwise be checked, and could stop a capacity
 * search or a rehearsal, that never uses it.
 */
export function withoutVariablesOf(refused: Iterable<string>, vars: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = { ...vars };
  for (const flag of refused)
    delete kept[`BTCW_${flag.replace(/^--/, '').replaceAll('-', '_').toUpperCase()}`];
  return kept;
}

export function parseRunArgs(argv: string[], vars: NodeJS.ProcessEnv): RunOptions | 'help' {
  return runOptionsFrom(parseFlags(RUN_FLAGS, normalizeDashboardArgs(argv)), vars);
}

/**
 * The run options from flags already parsed, by run's table or by that of a command built on it (rehearse,
 * capacity): a flag its table leaves out is absent here.
 */
export function runOptionsFrom(
  { values, positionals }: ParsedFlags<typeof RUN_FLAGS>,
  vars: NodeJS.ProcessEnv,
): RunOptions | 'help' {
  if (values.help) return 'help';
  if (positionals.length !== 1)
    throw new UsageError(
      'name one profile to run, e.g. "run smoke" ' +
        `(got ${positionals.length === 0 ? 'none' : positionals.join(' ')})`,
    );
  const profileName = positionals[0]!;
  const profile = loadProfile(profileName);

  const envSpec = findEnvironment(values.env, vars);
  const environment = envSpec.name;
  const target = resolveTarget(envSpec, vars);
  const local = isLoopback(target.hostname);

  const scale = {
    duration: factor('duration-factor', values['duration-factor'] ?? vars.BTCW_DURATION_FACTOR),
    users: factor('users-factor', values['users-factor'] ?? vars.BTCW_USERS_FACTOR),
  };
  const scaled = scaleProfile(profile, scale);
  const thinkFactor = factor('think-factor', values['think-factor'] ?? vars.BTCW_THINK_FACTOR);

  const mix = values.mix ?? profile.userMix;
  const classes = resolveMix(mix);
  if (typeof classes === 'string') throw new UsageError(classes);

  const loginPolicy = values['login-policy'] ?? 'per-user';
  if (loginPolicy !== 'per-user' && loginPolicy !== 'pool')
    throw new UsageError(`--login-policy must be per-user or pool, got "${loginPolicy}"`);

  const seed = values.seed ?? vars.BTCW_SEED;
  if (seed !== undefined && !/^\d{1,10}$/.test(seed))
    throw new UsageError(`--seed must be a whole number, got "${seed}"`);

  const guardVariable = vars.BTCW_GUARD;
  if (
    guardVariable !== undefined &&
    guardVariable !== '' &&
    guardVariable !== 'on' &&
    guardVariable !== 'off'
  )
    throw new UsageError(`BTCW_GUARD must be on or off (off: as --no-guard), got "${guardVariable}"`);

  const workersRaw = values.workers ?? vars.BTCW_WORKERS;
  let workers: number | undefined;
  if (workersRaw !== undefined && workersRaw !== '') {
    workers = Number(workersRaw);
    if (!/^\d+$/.test(workersRaw) || workers < 1 || workers > MAX_WORKERS)
      throw new UsageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, got "${workersRaw}"`);
  }

  const engineRaw = values.engine ?? vars.BTCW_ENGINE;
  if (engineRaw !== undefined && engineRaw !== '' && !isEngine(engineRaw))
    throw new UsageError(`--engine must be ${ENGINES.join(' or ')}, got "${engineRaw}"`);
  const engine = resolveEngine(profileName, engineRaw ? (engineRaw as Engine) : undefined);

  const timeoutRaw = values['request-timeout'];
  const requestTimeout = timeoutRaw === undefined ? undefined : Number(timeoutRaw);
  if (requestTimeout !== undefined && !(requestTimeout >= 0.1 && requestTimeout <= 300))
    throw new UsageError(
      `--request-timeout must be a number of seconds from 0.1 to 300, got "${timeoutRaw}"`,
    );

  const dashboard = dashboardOptions(values.dashboard, values['dashboard-host'], vars);
  const baselines = baselineOptions(
    values.baseline ?? vars.BTCW_BASELINE,
    values['save-baseline'],
    profileName,
    vars,
    engine,
  );

  const creds = resolveCredentials(vars, environment);
  if (!creds.ok) throw new UsageError(creds.error);

  // Production guard: heavy load on a non-local host needs that host named explicitly.
  const maxUnconfirmed = Number(vars.BTCW_MAX_UNCONFIRMED_USERS ?? 100);
  const users = totalUsers(scaled);
  const confirm = values['confirm-host'] ?? vars.BTCW_CONFIRM_HOST;
  if (!local && (GUARDED_PROFILES.has(profileName) || users > maxUnconfirmed) && confirm !== target.host) {
    throw new UsageError(
      `refusing to run "${profileName}" (${users} users) against ${target.host} without confirmation: ` +
        `add --confirm-host ${target.host} (or BTCW_CONFIRM_HOST=${target.host}) ` +
        'if this host may take the load',
    );
  }

  return {
    profileName,
    profile,
    scaled,
    thinkFactor,
    environment,
    target,
    local,
    mix,
    loginPolicy: loginPolicy as RunOptions['loginPolicy'],
    seed,
    outDir: values.out ?? 'results',
    report: values['no-report'] !== true,
    guard: values['no-guard'] !== true && guardVariable !== 'off',
    creds: { user: creds.user, admin: creds.admin },
    workers,
    dashboard,
    baselines,
    engine,
    requestTimeout,
  };
}

/** What `artillery run --overrides` gets from the options: the scaled phases and the run's variables. */
export function profileOverrides(opts: RunOptions): { config: Record<string, unknown> } {
  return {
    config: {
      ...(opts.requestTimeout === undefined ? {} : { http: { timeout: opts.requestTimeout } }),
      phases: opts.scaled.phases,
      variables: {
        runSeconds: opts.scaled.runSeconds,
        userMix: opts.mix,
        loginPolicy: opts.loginPolicy,
        thinkFactor: opts.thinkFactor,
        ...engineVariables(opts.engine),
      },
    },
  };
}
