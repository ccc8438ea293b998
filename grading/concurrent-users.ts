// Concurrent users of the whole run, from counters. A processor's own count of live users is per worker
// thread (and per container), so the pack emits only counters, which Artillery adds up across all of
// them, and the users alive in a period are worked out here from the periods' counters.
import { USERS_ENDED, USERS_STARTED } from '../lib/metrics.js';
import type { ArtilleryReport } from './types.js';

function startedIn(counters: Record<string, number>): number {
  let started = 0;
  for (const [name, count] of Object.entries(counters)) if (name.startsWith(USERS_STARTED)) started += count;
  return started;
}

/**
 * Users alive at some time in each period, in period order: those started up to the period's end less
 * those that ended before it began. Exact for a closed model, whose users live until the deadline; with
 * users ending and starting within one period, an upper bound. Periods without a start time are skipped.
 */
export function usersAlivePerPeriod(periods: readonly ArtilleryReport[]): { t: number; users: number }[] {
  const sorted = periods
    .filter((p) => p.firstMetricAt !== undefined)
    .sort((a, b) => a.firstMetricAt! - b.firstMetricAt!);
  let started = 0;
  let ended = 0;
  return sorted.map((period) => {
    const counters = period.counters ?? {};
    started += startedIn(counters);
    const alive = started - ended;
    ended += counters[USERS_ENDED] ?? 0;
    return { t: period.lastMetricAt ?? period.firstMetricAt!, users: alive };
  });
}

/** The most users alive at once over the run, or null without periods (an aggregate alone cannot say). */
export function peakConcurrentUsers(periods: readonly ArtilleryReport[]): number | null {
  const alive = usersAlivePerPeriod(periods);
  return alive.length === 0 ? null : Math.max(...alive.map((a) => a.users));
}
