// A first login or a re-login, retried with the processors' capped, jittered backoff on 5xx, 408, 429,
// timeouts and network errors; a refused login (another 4xx) stops the user, with its reason.
import { LOGIN_RETRIES } from '../lib/metrics.js';
import { decideLoginRetry, type LoginOutcome } from '../processors/login-retry.js';
import { type Emitter, type Outcome, type Outgoing, send } from './request.js';

export type LoginResult =
  | { ok: true; outcome: Extract<Outcome, { ok: true }> }
  | { ok: false; why: 'not-retryable' | 'exhausted' | 'deadline'; last: Outcome };

export interface LoginDeps {
  origin: string;
  ee: Emitter;
  /** A uniform draw in [0, 1) from the user's own random stream. */
  random: () => number;
  deadlineMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function login(req: Outgoing, deps: LoginDeps): Promise<LoginResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? wait;
  for (let retries = 0; ; ) {
    const outcome = await send(deps.origin, req, deps.ee);
    const seen: LoginOutcome = outcome.ok ? { status: outcome.status } : { error: outcome.code };
    const d = decideLoginRetry({
      outcome: seen,
      retriesSoFar: retries,
      random: deps.random(),
      nowMs: now(),
      deadlineMs: deps.deadlineMs,
    });
    if (!d.retry) {
      if (d.why === 'succeeded' && outcome.ok) return { ok: true, outcome };
      return { ok: false, why: d.why === 'succeeded' ? 'not-retryable' : d.why, last: outcome };
    }
    deps.ee.emit('counter', LOGIN_RETRIES, 1);
    retries = d.retryNumber;
    await sleep(d.delayMs);
  }
}
