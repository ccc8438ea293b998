// Before any load: the target answers, looks like BTC Watcher, the configured login works (timed, for the
// queued-logins warning) and, when admin credentials are given, so does the admin login.
import { ApiError, BtcwClient } from '../lib/btcw-client.js';
import type { Credentials } from '../lib/credentials.js';
import type { Phase } from './scale.js';

export class PreflightError extends Error {}

export interface PreflightResult {
  /** How long the configured user's login took, in ms (one sample, on an idle server). */
  loginMs: number;
}

export async function preflight(
  target: URL,
  user: Credentials,
  admin: Credentials | null = null,
): Promise<PreflightResult> {
  const base = target.origin + target.pathname.replace(/\/$/, '');
  const client = new BtcwClient(base);
  let health: Awaited<ReturnType<BtcwClient['health']>>;
  try {
    health = await client.health();
  } catch (error) {
    throw new PreflightError(
      `${target.origin} does not answer ` +
        `(${(error as Error).message.replace(/^GET \/health failed: /, '')}): ` +
        'start BTC Watcher there or choose another --env',
    );
  }
  const status = (health.body as { status?: unknown } | null)?.status;
  if (health.status !== 200 || status !== 'healthy') {
    throw new PreflightError(
      `${target.origin}/health answered ${health.status} ` +
        `${status === undefined ? 'without a BTC Watcher health body' : `status "${String(status)}"`}` +
        ': is this a BTC Watcher API?',
    );
  }
  let loginMs: number;
  try {
    const started = performance.now();
    await client.login(user);
    loginMs = performance.now() - started;
    await client.listStrategies();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new PreflightError(
        `login as "${user.username}" was refused (401): ` +
          'check BTCW_USERNAME and BTCW_PASSWORD, or register the user first',
      );
    }
    throw new PreflightError(`${target.origin} failed the BTC Watcher check: ${(error as Error).message}`);
  }
  if (admin !== null) {
    // Given admin credentials make [ADMIN LOGIN] expect 200: wrong ones would fail every admin login.
    try {
      await new BtcwClient(base).login(admin);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
        throw new PreflightError(
          `admin login as "${admin.username}" was refused (${error.status}): ` +
            'check BTCW_ADMIN_USERNAME and BTCW_ADMIN_PASSWORD, ' +
            "or unset both to expect a stock backend's 401",
        );
      }
      throw new PreflightError(`${target.origin} failed the admin login check: ${(error as Error).message}`);
    }
  }
  return { loginMs };
}

/**
 * The one-line warning printed before any load when logins would queue: a server that handles one login
 * at a time (the real backend's synchronous bcrypt) needs arrivals/s × login seconds of login work per
 * second, and above 1 the first logins wait behind each other. Null when they would not, or when the users
 * share pooled tokens. Phases of a single user cannot queue and are left out.
 */
export function loginQueueWarning(
  loginMs: number,
  phases: readonly Pick<Phase, 'arrivalRate' | 'maxVusers'>[],
  loginPolicy: string,
): string | null {
  if (loginPolicy === 'pool') return null;
  const rate = Math.max(0, ...phases.filter((p) => p.maxVusers > 1).map((p) => p.arrivalRate));
  const work = (rate * loginMs) / 1000;
  if (!(work > 1)) return null;
  const arriving =
    rate === 1 ? '1 user/s arriving needs' : `${Number(rate.toFixed(1))} users/s arriving need`;
  return (
    `logins take ${Math.round(loginMs)} ms here; ` +
    `${arriving} ${work.toFixed(1)} s of login work per second: ` +
    'expect queued logins, or use --login-policy pool'
  );
}
