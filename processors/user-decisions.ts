// Per-user decisions, kept free of Artillery so they can be unit-tested: weighted task choice, think time
// clamped to the run's deadline, token renewal, and picking ids out of the API's wrapped list responses.

/** Picks a task with probability weight / total weight (Locust's @task). `roll` is uniform in [0,1). */
export function pickWeighted<T extends { weight: number }>(tasks: readonly T[], roll: number): T {
  const total = tasks.reduce((a, t) => a + t.weight, 0);
  let edge = roll * total;
  for (const task of tasks) {
    edge -= task.weight;
    if (edge < 0) return task;
  }
  return tasks[tasks.length - 1]!;
}

/** Uniform think time in ms within [min, max] seconds, never past the deadline. */
export function thinkMs(
  range: readonly [number, number],
  roll: number,
  nowMs: number,
  deadlineMs: number,
): number {
  const ms = (range[0] + roll * (range[1] - range[0])) * 1000;
  return Math.max(0, Math.min(Math.round(ms), deadlineMs - nowMs));
}

/** Clamps a task's in-task pauses so that together they never run past the deadline. */
export function clampPauses(pausesMs: readonly number[], nowMs: number, deadlineMs: number): number[] {
  let left = Math.max(0, deadlineMs - nowMs);
  return pausesMs.map((pause) => {
    const clamped = Math.min(pause, left);
    left -= clamped;
    return clamped;
  });
}

/** Reads `exp` (seconds) from a JWT without verifying it; null when the token carries none. */
export function tokenExpiryMs(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * Renew a token this close to expiry before starting a task, so no request of the task is sent with an
 * expired token. It covers the longest task (StrategyMixedUser's 7 s of pauses) plus slow responses.
 */
export const RENEW_MARGIN_MS = 10_000;

export function needsRenewal(expiryMs: number | null, nowMs: number): boolean {
  return expiryMs !== null && expiryMs - nowMs < RENEW_MARGIN_MS;
}

export interface ListItem {
  id: number;
  status?: string;
  name?: string;
}

/** A response body as a JSON object (parsed when it is a string), or null for anything else. */
export function jsonObject(body: unknown): Record<string, unknown> | null {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return null;
    }
  }
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
}

/**
 * Items of a wrapped list response (`{total, skip, limit, strategies: [...]}` or `{..., signals: [...]}`),
 * or an empty list for anything else: an unparseable body, the wrong shape, items without integer ids.
 */
export function listItems(body: unknown, key: 'strategies' | 'signals'): ListItem[] {
  const items = jsonObject(body)?.[key];
  if (!Array.isArray(items)) return [];
  return items.filter(
    (i): i is ListItem => typeof i === 'object' && i !== null && Number.isInteger((i as ListItem).id),
  );
}

export type Scope = 'run' | 'any';

/** Candidate strategies for start/stop/logs/webhooks: by default only those this run created (tagged). */
export function inScope(items: ListItem[], scope: Scope, tagSuffix: string): ListItem[] {
  return scope === 'any'
    ? items
    : items.filter((i) => typeof i.name === 'string' && i.name.endsWith(tagSuffix));
}
