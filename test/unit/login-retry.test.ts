import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideLoginRetry,
  isRetryableLogin,
  LOGIN_RETRIES_COUNTER,
  LOGIN_RETRY_POLICY,
  type LoginAttempt,
  loginBackoffMs,
} from '../../processors/login-retry.js';

describe('login retry: which failures are worth another attempt', () => {
  it('retries 5xx, 408, 429, timeouts and network errors', () => {
    for (const status of [500, 502, 503, 504, 408, 429])
      assert.equal(isRetryableLogin({ status }), true, `${status}`);
    for (const error of ['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE'])
      assert.equal(isRetryableLogin({ error }), true, error);
  });
  it('does not retry what repeating cannot fix: 401, 403, 400, 404, 422, nor a success', () => {
    for (const status of [401, 403, 400, 404, 405, 422, 200, 307])
      assert.equal(isRetryableLogin({ status }), false, `${status}`);
  });
});

describe('login retry: backoff schedule', () => {
  it('bounds each retry by base × 2^(n-1), capped at 8 s, with full jitter', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => loginBackoffMs(n, 0.999999)),
      [499, 999, 1999, 3999, 7999, 7999, 7999],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => loginBackoffMs(n, 0.5)),
      [250, 500, 1000, 2000],
    );
    assert.equal(loginBackoffMs(3, 0), 0);
  });
  it('clamps a draw outside [0, 1) and a retry number below 1', () => {
    assert.equal(loginBackoffMs(1, -3), 0);
    assert.equal(loginBackoffMs(1, 7), 500);
    assert.equal(loginBackoffMs(1, Number.NaN), 0);
    assert.equal(loginBackoffMs(0, 0.5), 250);
  });
  it('follows a given policy', () => {
    const policy = { baseMs: 100, factor: 3, capMs: 1000, maxRetries: 2 };
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => loginBackoffMs(n, 0.5, policy)),
      [50, 150, 450, 500],
    );
  });
  it('waits at most 7.5 s in all over its 4 retries', () => {
    let total = 0;
    for (let retry = 1; retry <= LOGIN_RETRY_POLICY.maxRetries; retry++)
      total += loginBackoffMs(retry, 0.9999999);
    assert.ok(total <= 7500 && total > 7490, String(total));
  });
});

describe('login retry: the decision after an attempt', () => {
  const at = (over: Partial<LoginAttempt>): LoginAttempt => ({
    outcome: { status: 500 },
    retriesSoFar: 0,
    random: 0.5,
    nowMs: 1_000,
    deadlineMs: 60_000,
    ...over,
  });

  it('retries a 500 after a jittered delay, numbering the retries', () => {
    assert.deepEqual(decideLoginRetry(at({})), { retry: true, retryNumber: 1, delayMs: 250 });
    assert.deepEqual(decideLoginRetry(at({ retriesSoFar: 3, outcome: { error: 'ETIMEDOUT' } })), {
      retry: true,
      retryNumber: 4,
      delayMs: 2000,
    });
  });
  it('stops after 4 retries: 5 attempts in all', () => {
    assert.deepEqual(decideLoginRetry(at({ retriesSoFar: 4 })), { retry: false, why: 'exhausted' });
    const noRetries = { ...LOGIN_RETRY_POLICY, maxRetries: 0 };
    assert.deepEqual(decideLoginRetry(at({}), noRetries), { retry: false, why: 'exhausted' });
  });
  it('does not retry wrong credentials or a success', () => {
    assert.deepEqual(decideLoginRetry(at({ outcome: { status: 401 } })), {
      retry: false,
      why: 'not-retryable',
    });
    assert.deepEqual(decideLoginRetry(at({ outcome: { status: 403 } })), {
      retry: false,
      why: 'not-retryable',
    });
    assert.deepEqual(decideLoginRetry(at({ outcome: { status: 200 } })), { retry: false, why: 'succeeded' });
  });
  it('starts no retry that would begin after the run deadline', () => {
    assert.deepEqual(decideLoginRetry(at({ nowMs: 59_800 })), { retry: false, why: 'deadline' });
    assert.equal(decideLoginRetry(at({ nowMs: 59_700 })).retry, true);
  });
  it('users that failed together come back spread out, not in step', () => {
    const delays = Array.from({ length: 10 }, (_, i) => decideLoginRetry(at({ random: i / 10 })));
    const ms = delays.map((d) => (d.retry ? d.delayMs : -1));
    assert.equal(new Set(ms).size, 10);
    assert.ok(ms.every((d) => d >= 0 && d < 500));
  });
  it('names the counter the evaluation reads', () => {
    assert.equal(LOGIN_RETRIES_COUNTER, 'btcw.login_retries');
  });
});
