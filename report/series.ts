// Time series for the report's charts and the history CSV, from the 10 s intermediate periods.
import { usersAlivePerPeriod } from '../plugin/concurrent-users.js';
import { type ArtilleryReport, countsByName } from '../plugin/evaluate.js';

export interface Point {
  /** Period end, ms since the epoch. */
  t: number;
  requestsPerSec: number;
  failuresPerSec: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  users: number | null;
  requests: number;
  failures: number;
}

/** Failed requests in one period, by the same rule as the verdict (evaluate's countsByName). */
function failuresOf(counters: Record<string, number>): number {
  let failed = 0;
  for (const e of countsByName(counters).values()) failed += e.failed;
  return failed;
}

export function seriesOf(periods: readonly ArtilleryReport[]): Point[] {
  const sorted = [...periods]
    .filter((p) => p.firstMetricAt !== undefined)
    .sort((a, b) => a.firstMetricAt! - b.firstMetricAt!);
  // Same order as `sorted`: usersAlivePerPeriod sorts by firstMetricAt too.
  const alive = usersAlivePerPeriod(sorted);
  return sorted.map((p, i) => {
    const counters = p.counters ?? {};
    const rt = p.summaries?.['http.response_time'];
    // A period spans at most 10 s; the first and last are often shorter.
    const width = Math.max(1, Math.min(10, ((p.lastMetricAt ?? p.firstMetricAt!) - p.firstMetricAt!) / 1000));
    const requests = counters['http.requests'] ?? 0;
    const failures = failuresOf(counters);
    return {
      t: p.lastMetricAt ?? p.firstMetricAt!,
      requestsPerSec: requests / width,
      failuresPerSec: failures / width,
      p50: rt ? (rt.p50 ?? rt.median ?? null) : null,
      p95: rt ? rt.p95 : null,
      p99: rt ? rt.p99 : null,
      users: alive[i]?.users ?? null,
      requests,
      failures,
    };
  });
}
