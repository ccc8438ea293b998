// Time series for the report's charts and the history CSV, from the 10 s intermediate periods.
import type { ArtilleryReport } from '../plugin/evaluate.js';

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

const NETWORK_ERROR = /^errors\./;
const FAILED = /^plugins\.btcw-targets\.failed\./;
const MBE_FAILURE = /^plugins\.metrics-by-endpoint\..+\.(errors\.|codes\.[45]\d\d$)/;

function failuresOf(counters: Record<string, number>): number {
  const keys = Object.keys(counters);
  // Expectation-aware failures when the plugin's worker half ran; otherwise network errors and 4xx/5xx.
  if ((counters['plugins.btcw-targets.responses'] ?? 0) > 0 || keys.some((k) => FAILED.test(k))) {
    return keys.filter((k) => FAILED.test(k)).reduce((a, k) => a + counters[k]!, 0);
  }
  const mbe = keys.filter((k) => MBE_FAILURE.test(k));
  if (mbe.length > 0) return mbe.reduce((a, k) => a + counters[k]!, 0);
  return keys.filter((k) => NETWORK_ERROR.test(k) || /^http\.codes\.[45]/.test(k)).reduce((a, k) => a + counters[k]!, 0);
}

export function seriesOf(periods: readonly ArtilleryReport[]): Point[] {
  const sorted = [...periods].filter((p) => p.firstMetricAt !== undefined).sort((a, b) => (a.firstMetricAt! - b.firstMetricAt!));
  return sorted.map((p) => {
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
      p50: rt ? rt.p50 ?? rt.median ?? null : null,
      p95: rt ? rt.p95 : null,
      p99: rt ? rt.p99 : null,
      users: p.summaries?.['btcw.concurrent_users']?.max ?? null,
      requests,
      failures,
    };
  });
}
