// When a user's login (at start or a re-login) fails, is it worth trying again, and after how long? Pure:
// the caller passes the outcome, the retries so far, the clock and a uniform draw from the user's own random
// stream.
//
// A login storm against a backend that checks passwords one at a time (synchronous bcrypt, ~0.3 s each) and
// writes last_login to SQLite fails with 500 "database is locked" or a timeout: transient overload, which a
// later attempt survives. Wrong credentials (401), an inactive user (400), validation (422) do not change.
//
// Schedule: capped exponential backoff with full jitter, delay = random × min(cap, base × factor^(n−1)) for
// retry n. Full jitter spreads the users that failed together over the whole window instead of sending them
// back in step (equal jitter keeps half the delay fixed, so they return in a narrower band), and gives the
// queue the most time between attempts. base 0.5 s, factor 2, cap 8 s, 4 retries: 5 attempts in all, at
// most 0.5 + 1 + 2 + 4 = 7.5 s of waiting (3.75 s on average) on top of the attempts themselves, small
// against a run of minutes; with a failure rate p per attempt a user is lost with probability p^5.

/** The counter a retry is recorded under (grading/evaluation.ts reads it into the users line). */
export { LOGIN_RETRIES as LOGIN_RETRIES_COUNTER } from '../lib/metrics.js';

export interface RetryPolicy {
  /** Upper bound of the first retry's delay, in ms. */
  baseMs: number;
  /** Growth of the upper bound per retry. */
  factor: number;
  /** The upper bound never exceeds this, in ms. */
  capMs: number;
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
}

export const LOGIN_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  baseMs: 500,
  factor: 2,
  capMs: 8000,
  maxRetries: 4,
});

/** What one login attempt came to: an HTTP status, or no response at all (timeout, reset, refused, ...). */
export type LoginOutcome = { status: number } | { error: string };

/** Statuses below 500 that still mean "try later": request timeout and too many requests (a proxy's). */
const TRANSIENT_4XX: ReadonlySet<number> = new Set([408, 429]);

/**
 * Whether a failed login may succeed if tried again: 5xx, 408, 429, a timeout or a network error, yes;
 * a 2xx/3xx (not a failure) and every other 4xx (401 wrong credentials, 400 inactive, 403, 422), no.
 */
export function isRetryableLogin(outcome: LoginOutcome): boolean {
  if ('error' in outcome) return true;
  return outcome.status >= 500 || TRANSIENT_4XX.has(outcome.status);
}

/**
 * The delay before retry number `retry` (1 for the first retry), in whole ms: full jitter over the capped
 * exponential bound. `random` is a uniform draw in [0, 1); values outside are clamped into it.
 */
export function loginBackoffMs(
  retry: number,
  random: number,
  policy: Readonly<RetryPolicy> = LOGIN_RETRY_POLICY,
): number {
  const attempt = Math.max(1, Math.floor(retry));
  const bound = Math.min(policy.capMs, policy.baseMs * policy.factor ** (attempt - 1));
  const share = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0;
  return Math.floor(share * bound);
}

export type LoginRetryDecision =
  /** Wait delayMs, then send the login again; retryNumber counts the retries (1, 2, ...). */
  | { retry: true; retryNumber: number; delayMs: number }
  /**
   * Stop trying. `why`: the login did not fail (`succeeded`), cannot succeed by repeating
   * (`not-retryable`), used up its retries (`exhausted`), or the retry would end after the run's deadline
   * (`deadline`). A user that stops for a failed login keeps the reason `login_failed` (LOGIN_FAILED).
   */
  | { retry: false; why: 'succeeded' | 'not-retryable' | 'exhausted' | 'deadline' };

/** The stop reason of a user whose first login failed for good (btcw.users_stopped.login_failed). */
export const LOGIN_FAILED = 'login_failed';

export interface LoginAttempt {
  outcome: LoginOutcome;
  /** Retries already made for this login (0 after the first attempt). */
  retriesSoFar: number;
  /** A uniform draw in [0, 1) from the user's random stream. */
  random: number;
  nowMs: number;
  /** The run's shared deadline (context.vars.deadlineMs): no retry starts after it. */
  deadlineMs: number;
}

/** What to do after a login attempt (first or re-login): retry after a delay, or stop (and why). */
export function decideLoginRetry(
  attempt: LoginAttempt,
  policy: Readonly<RetryPolicy> = LOGIN_RETRY_POLICY,
): LoginRetryDecision {
  if ('status' in attempt.outcome && attempt.outcome.status >= 200 && attempt.outcome.status < 300)
    return { retry: false, why: 'succeeded' };
  if (!isRetryableLogin(attempt.outcome)) return { retry: false, why: 'not-retryable' };
  if (attempt.retriesSoFar >= policy.maxRetries) return { retry: false, why: 'exhausted' };
  const retryNumber = attempt.retriesSoFar + 1;
  const delayMs = loginBackoffMs(retryNumber, attempt.random, policy);
  if (attempt.nowMs + delayMs >= attempt.deadlineMs) return { retry: false, why: 'deadline' };
  return { retry: true, retryNumber, delayMs };
}
