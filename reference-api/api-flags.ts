// Turns CLI flags and environment variables into ApiOptions. Pure: errors come back as one-line messages.
import { parseArgs } from 'node:util';
import { type ApiOptions, DEFAULT_API_OPTIONS } from './api-options.js';
import { type FaultConfig, mergeFaults } from './faults.js';
import { NO_SATURATION, type SaturationSetting } from './saturation.js';

export const TARGET_USAGE = `Usage: npm run target -- [options]
  --port N               port to listen on (default 8000; env BTCW_API_PORT; 0 picks a free one)
  --host H               loopback address to bind (default 127.0.0.1)
  --db PATH              SQLite file (default in memory)
  --seed-strategies N    seeded strategies (default 5)
  --seed-signals N       seeded signals (default 50)
  --bcrypt-cost N        bcrypt cost, 4-15 (default 8; the real backend uses 12)
  --token-lifetime S     token lifetime in seconds (default 86400)
  --start-delay-ms N     starting -> running delay (default 300)
  --stop-delay-ms N      stopping -> stopped delay (default 300)
  --max-body-bytes N     larger request bodies get 413 (default 65536)
  --max-inflight C --service-ms S   saturation: at most C API requests served at once, each holding its
                         slot S ms, the rest queue FIFO; capacity C × 1000 / S req/s (env BTCW_MAX_INFLIGHT,
                         BTCW_SERVICE_MS; both or neither)
faults (off by default; env BTCW_FAULT_<NAME> with the same names in upper snake case):
  --latency-ms N --jitter-ms N --latency-route REGEX
  --error-rate F --reset-rate F --malformed-rate F   (fractions 0..1)
  --hang-rate F          a fraction of API requests never answers, until the client gives up
  --token-ttl S          issue tokens that expire after S seconds
  --empty-lists          list endpoints answer empty pages
  --fail-login           every login answers 401
  --fail-login-after N   ...once N more logins have succeeded
  --login-error-rate F   a fraction of correct logins answer 500 "database is locked" (the real backend
                         on SQLite under a login storm)
  --serial-login-ms N    logins wait in one queue and hold it N ms each (the real backend's blocking bcrypt:
                         about 300); or --bcrypt-cost 12 for the real hash cost, on one worker thread
  --stall-every S --stall-ms M   every S seconds every API response waits until an M ms stall ends (the
                         real backend's monitoring call that blocks its event loop: about 30 and 1000)
  --error-rate-from S    --error-rate starts S seconds after the API starts (or the faults are set)
  --exit-when-idle       stop once every run registered at /__admin/runs has left or died (how a run
                         starts it, so that a second run on the machine can share it)
The JWT secret comes from BTCW_JWT_SECRET (random per start when unset).`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  'seed-strategies': { type: 'string' },
  'seed-signals': { type: 'string' },
  'bcrypt-cost': { type: 'string' },
  'token-lifetime': { type: 'string' },
  'start-delay-ms': { type: 'string' },
  'stop-delay-ms': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'latency-ms': { type: 'string' },
  'jitter-ms': { type: 'string' },
  'latency-route': { type: 'string' },
  'error-rate': { type: 'string' },
  'reset-rate': { type: 'string' },
  'malformed-rate': { type: 'string' },
  'hang-rate': { type: 'string' },
  'token-ttl': { type: 'string' },
  'empty-lists': { type: 'boolean' },
  'fail-login': { type: 'boolean' },
  'fail-login-after': { type: 'string' },
  'login-error-rate': { type: 'string' },
  'serial-login-ms': { type: 'string' },
  'stall-every': { type: 'string' },
  'stall-ms': { type: 'string' },
  'error-rate-from': { type: 'string' },
  'max-inflight': { type: 'string' },
  'service-ms': { type: 'string' },
  'exit-when-idle': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FAULT_FLAGS: Record<string, keyof FaultConfig> = {
  'latency-ms': 'latencyMs',
  'jitter-ms': 'jitterMs',
  'latency-route': 'latencyRoute',
  'error-rate': 'errorRate',
  'reset-rate': 'resetRate',
  'malformed-rate': 'malformedRate',
  'hang-rate': 'hangRate',
  'token-ttl': 'tokenTtlSeconds',
  'empty-lists': 'emptyLists',
  'fail-login': 'failLogin',
  'fail-login-after': 'failLoginAfter',
  'login-error-rate': 'loginErrorRate',
  'serial-login-ms': 'serialLoginMs',
  'stall-every': 'stallEverySeconds',
  'stall-ms': 'stallMs',
  'error-rate-from': 'errorRateFromSeconds',
};

export type ParsedTargetArgs =
  | { help: true }
  | { help: false; options: ApiOptions; exitWhenIdle: boolean }
  | { error: string };

function envName(flag: string): string {
  return `BTCW_FAULT_${flag.replace(/-/g, '_').toUpperCase()}`;
}

function intIn(name: string, raw: string, min: number, max: number): number | string {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max)
    return `${name} must be a whole number from ${min} to ${max}, got "${raw}"`;
  return value;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

function parseSaturation(
  values: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
): SaturationSetting | string {
  const maxInflightText = (values['max-inflight'] as string | undefined) ?? env.BTCW_MAX_INFLIGHT;
  const serviceMsText = (values['service-ms'] as string | undefined) ?? env.BTCW_SERVICE_MS;
  if (maxInflightText === undefined && serviceMsText === undefined) return NO_SATURATION;
  if (maxInflightText === undefined || serviceMsText === undefined)
    return '--max-inflight and --service-ms go together: give both (e.g. --max-inflight 3 --service-ms 10)';
  const maxInflight = intIn('--max-inflight', maxInflightText, 1, 10_000);
  if (typeof maxInflight === 'string') return maxInflight;
  const serviceMs = intIn('--service-ms', serviceMsText, 1, 60_000);
  if (typeof serviceMs === 'string') return serviceMs;
  return { maxInflight, serviceMs };
}

export function parseTargetArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedTargetArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    return { error: `${(error as Error).message.split('\n')[0]} (see --help)` };
  }
  if (values.help) return { help: true };
  const options: ApiOptions = { ...DEFAULT_API_OPTIONS, seed: { ...DEFAULT_API_OPTIONS.seed } };
  const ints: Array<[string, number, number, (value: number) => void]> = [
    [
      'port',
      0,
      65535,
      (value) => {
        options.port = value;
      },
    ],
    [
      'seed-strategies',
      0,
      100_000,
      (value) => {
        options.seed.strategies = value;
      },
    ],
    [
      'seed-signals',
      0,
      1_000_000,
      (value) => {
        options.seed.signals = value;
      },
    ],
    [
      'bcrypt-cost',
      4,
      15,
      (value) => {
        options.bcryptCost = value;
      },
    ],
    [
      'token-lifetime',
      1,
      10 * 365 * 86400,
      (value) => {
        options.tokenLifetimeSeconds = value;
      },
    ],
    [
      'start-delay-ms',
      0,
      600_000,
      (value) => {
        options.startDelayMs = value;
      },
    ],
    [
      'stop-delay-ms',
      0,
      600_000,
      (value) => {
        options.stopDelayMs = value;
      },
    ],
    [
      'max-body-bytes',
      1,
      1 << 30,
      (value) => {
        options.maxBodyBytes = value;
      },
    ],
  ];
  const portEnv = env.BTCW_API_PORT;
  if (values.port === undefined && portEnv !== undefined) values.port = portEnv;
  for (const [name, min, max, set] of ints) {
    const raw = values[name];
    if (typeof raw !== 'string') continue;
    const value = intIn(`--${name}`, raw, min, max);
    if (typeof value === 'string') return { error: value };
    set(value);
  }
  if (typeof values.host === 'string') {
    if (!LOOPBACK.test(values.host))
      return {
        error: `--host must be a loopback address (127.x.x.x, localhost or ::1), got "${values.host}"`,
      };
    options.host = values.host;
  }
  if (typeof values.db === 'string') options.dbPath = values.db;
  if (env.BTCW_JWT_SECRET) options.jwtSecret = env.BTCW_JWT_SECRET;
  const saturation = parseSaturation(values, env);
  if (typeof saturation === 'string') return { error: saturation };
  options.saturation = saturation;

  const patch: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FAULT_FLAGS)) {
    const raw = values[flag] ?? env[envName(flag)];
    if (raw === undefined) continue;
    if (key === 'emptyLists' || key === 'failLogin') {
      patch[key] = raw === true || raw === 'true' || raw === '1';
    } else if (key === 'latencyRoute') {
      patch[key] = String(raw);
    } else {
      const value = Number(raw);
      if (String(raw).trim() === '' || !Number.isFinite(value))
        return { error: `--${flag} must be a number, got "${String(raw)}"` };
      patch[key] = value;
    }
  }
  if ((patch.stallEverySeconds === undefined) !== (patch.stallMs === undefined))
    return {
      error: '--stall-every and --stall-ms go together: give both (e.g. --stall-every 30 --stall-ms 1000)',
    };
  if (Number(patch.stallMs) > 0 && Number(patch.stallMs) >= Number(patch.stallEverySeconds) * 1000)
    return { error: `--stall-ms must be shorter than --stall-every (${String(patch.stallEverySeconds)} s)` };
  if (patch.errorRateFromSeconds !== undefined && !(Number(patch.errorRate) > 0))
    return { error: '--error-rate-from needs --error-rate (e.g. --error-rate 0.5 --error-rate-from 20)' };
  const faults = mergeFaults(options.faults, patch);
  if (typeof faults === 'string') return { error: faults };
  options.faults = faults;
  return { help: false, options, exitWhenIdle: values['exit-when-idle'] === true };
}
