// Switchable fault injection for the reference API. Off by default; set by CLI flags, env, or at run time
// through PUT /__admin/faults so tests can change faults in the middle of a run.

export interface FaultConfig {
  /** Added latency in ms before a matching request is handled. */
  latencyMs: number;
  /** Extra uniform random latency in [0, jitterMs). */
  jitterMs: number;
  /** Only add latency to requests whose route template or path matches this regex (all when empty). */
  latencyRoute: string;
  /** Fraction [0,1] of API requests answered with a 500. */
  errorRate: number;
  /** Fraction [0,1] of API requests whose connection is reset without an answer. */
  resetRate: number;
  /** Fraction [0,1] of API requests answered 200 with a body that is not valid JSON. */
  malformedRate: number;
  /** Fraction [0,1] of API requests never answered: the connection stays open until the client gives up. */
  hangRate: number;
  /** List endpoints answer with empty pages. */
  emptyLists: boolean;
  /** Lifetime of newly issued tokens in seconds; 0 means the normal lifetime. */
  tokenTtlSeconds: number;
  /** Every login fails with 401 (to test how the pack handles a broken login)... */
  failLogin: boolean;
  /** ...after this many more logins have succeeded (0: at once), e.g. to let a run's set-up login through. */
  failLoginAfter: number;
  /**
   * Fraction [0,1] of logins with the right password answered 500 after the password check, as an SQLite
   * deployment of the real backend does under a login storm ("database is locked" on UPDATE last_login).
   */
  loginErrorRate: number;
  /**
   * Each login with a known username waits its turn and holds one shared queue for this many ms: the real
   * backend's synchronous bcrypt (~300 ms, one login at a time). 0: logins run concurrently.
   */
  serialLoginMs: number;
  /**
   * Every this many seconds (from when the faults were set), every API response waits until the stall
   * ends, for stallMs: the real backend's periodic monitoring call that blocks its event loop. 0: off.
   */
  stallEverySeconds: number;
  /** How long each stall holds the responses, in ms; less than stallEverySeconds. */
  stallMs: number;
  /** errorRate applies only this many seconds after the faults were set (0: at once). */
  errorRateFromSeconds: number;
}

export const NO_FAULTS: FaultConfig = {
  latencyMs: 0,
  jitterMs: 0,
  latencyRoute: '',
  errorRate: 0,
  resetRate: 0,
  malformedRate: 0,
  hangRate: 0,
  emptyLists: false,
  tokenTtlSeconds: 0,
  failLogin: false,
  failLoginAfter: 0,
  loginErrorRate: 0,
  serialLoginMs: 0,
  stallEverySeconds: 0,
  stallMs: 0,
  errorRateFromSeconds: 0,
};

export type FaultAction = 'reset' | 'error' | 'malformed' | 'hang' | 'none';

const RATE_KEYS = ['errorRate', 'resetRate', 'malformedRate', 'hangRate', 'loginErrorRate'] as const;
const NUMBER_KEYS = [
  'latencyMs',
  'jitterMs',
  'tokenTtlSeconds',
  'failLoginAfter',
  'serialLoginMs',
  'stallEverySeconds',
  'stallMs',
  'errorRateFromSeconds',
  ...RATE_KEYS,
] as const;
const BOOL_KEYS = ['emptyLists', 'failLogin'] as const;

/** Validates a partial fault config (from JSON or flags); returns an error message or the merged config. */
export function mergeFaults(base: FaultConfig, patch: Record<string, unknown>): FaultConfig | string {
  const out: FaultConfig = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        return `fault "${key}" must be a number >= 0`;
      if ((RATE_KEYS as readonly string[]).includes(key) && value > 1)
        return `fault "${key}" is a fraction between 0 and 1`;
      (out as unknown as Record<string, number>)[key] = value;
    } else if ((BOOL_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') return `fault "${key}" must be true or false`;
      (out as unknown as Record<string, boolean>)[key] = value;
    } else if (key === 'latencyRoute') {
      if (typeof value !== 'string') return 'fault "latencyRoute" must be a regular expression string';
      try {
        new RegExp(value);
      } catch {
        return `fault "latencyRoute" is not a valid regular expression: ${value}`;
      }
      out.latencyRoute = value;
    } else {
      return `unknown fault "${key}" (known: ${Object.keys(NO_FAULTS).join(', ')})`;
    }
  }
  if (out.stallEverySeconds > 0 !== out.stallMs > 0)
    return 'faults "stallEverySeconds" and "stallMs" go together: give both (e.g. every 30 s for 1000 ms)';
  const period = out.stallEverySeconds;
  if (out.stallMs >= period * 1000 && out.stallMs > 0)
    return `fault "stallMs" (${out.stallMs}) must be shorter than the stall period (${period} s)`;
  return out;
}

/**
 * Decides what happens to one API request. `roll` is a uniform [0,1) draw, injected for tests; `sinceMs` is
 * the time since the faults were set, for errorRateFromSeconds.
 */
export function chooseFault(
  faults: FaultConfig,
  roll: number,
  sinceMs = Number.POSITIVE_INFINITY,
): FaultAction {
  let edge = faults.resetRate;
  if (roll < edge) return 'reset';
  edge += sinceMs >= faults.errorRateFromSeconds * 1000 ? faults.errorRate : 0;
  if (roll < edge) return 'error';
  edge += faults.malformedRate;
  if (roll < edge) return 'malformed';
  edge += faults.hangRate;
  if (roll < edge) return 'hang';
  return 'none';
}

/**
 * How long a response ready `sinceMs` after the faults were set waits for the stall fault: until the
 * current stall ends, if one is on. Stalls start at every multiple of stallEverySeconds, from the first.
 */
export function stallHold(faults: FaultConfig, sinceMs: number): number {
  if (faults.stallEverySeconds === 0 || faults.stallMs === 0) return 0;
  const period = faults.stallEverySeconds * 1000;
  if (sinceMs < period) return 0;
  const into = sinceMs % period;
  return into < faults.stallMs ? faults.stallMs - into : 0;
}

export function addedLatency(faults: FaultConfig, routeOrPath: string, roll: number): number {
  if (faults.latencyMs === 0 && faults.jitterMs === 0) return 0;
  if (faults.latencyRoute !== '' && !new RegExp(faults.latencyRoute).test(routeOrPath)) return 0;
  return faults.latencyMs + roll * faults.jitterMs;
}

/** The real backend's unhandled-exception 500 body (DEBUG on) when SQLite refuses a concurrent write. */
export const DATABASE_LOCKED = {
  error: 'Internal server error',
  message: '(sqlite3.OperationalError) database is locked',
};

/** Whether a login that passed the password check fails under loginErrorRate. `roll` is uniform [0,1). */
export function loginErrors(faults: FaultConfig, roll: number): boolean {
  return roll < faults.loginErrorRate;
}
