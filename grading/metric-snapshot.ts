// A run trimmed to what comparing two runs needs: per endpoint, per operation class and overall, the
// request and failure counts, the latency statistics, and the same per 10 s period (the regression rule
// judges a change against how the statistic varies between periods). Pure; a baseline file stores one
// (documents/baseline-file.ts) and every graded run makes one of itself to compare (grading/regression.ts).
import {
  BY_ENDPOINT,
  CLASS_RESPONSE_TIME,
  HTTP_RESPONSE_TIME,
  SERVER_TIME,
  SERVER_TIME_CLASS,
} from '../lib/metrics.js';
import {
  type ArtilleryReport,
  type Evaluation,
  judgedByExpectation,
  type Summary,
  tallyByName,
} from './evaluation.js';
import type { Statistic } from './targets.js';

export type Stats = Record<Statistic, number>;

/** One 10 s period of one subject. `s`: seconds from the run's first period; `stats` null: no latency. */
export interface SnapshotPeriod {
  s: number;
  requests: number;
  failed: number;
  stats: Stats | null;
  /** The server's own time (Server-Timing), when it sends it; absent in snapshots from before it. */
  serverStats?: Stats | null;
}

export interface SnapshotSubject {
  requests: number;
  failed: number;
  errorRate: number;
  stats: Stats | null;
  /** The server's own time (Server-Timing): endpoints and classes, when the server sends it. */
  serverStats?: Stats | null;
  periods: SnapshotPeriod[];
}

export interface SnapshotEndpoint extends SnapshotSubject {
  name: string;
  class: string;
}

export interface SnapshotClass extends SnapshotSubject {
  class: string;
}

export interface Snapshot {
  /** The statistic the run was graded on (targets.yml `statistic`). */
  statistic: Statistic;
  durationSeconds: number | null;
  overall: SnapshotSubject;
  classes: SnapshotClass[];
  endpoints: SnapshotEndpoint[];
}

const round = (v: number) => Math.round(v * 100) / 100;

function statsOf(s: Summary | undefined): Stats | null {
  if (!s || !(s.count > 0)) return null;
  return { mean: round(s.mean), p50: round(s.p50 ?? s.median ?? 0), p95: round(s.p95), p99: round(s.p99) };
}

const rateOf = (failed: number, requests: number) => (requests > 0 ? failed / requests : 0);

/** The snapshot of a graded run: its evaluation and its 10 s periods (counters and summaries). */
export function snapshotOf(e: Evaluation, periods: readonly ArtilleryReport[]): Snapshot {
  const sorted = [...periods]
    .filter((p) => p.firstMetricAt !== undefined)
    .sort((a, b) => a.firstMetricAt! - b.firstMetricAt!);
  const t0 = sorted[0]?.firstMetricAt ?? 0;
  const judged = sorted.some((p) => judgedByExpectation(p.counters ?? {}));
  const classOf = new Map(e.endpoints.map((x) => [x.name, x.class]));
  const byEndpoint = new Map<string, SnapshotPeriod[]>(e.endpoints.map((x) => [x.name, []]));
  const byClass = new Map<string, SnapshotPeriod[]>(e.classes.map((c) => [c.class, []]));
  const overall: SnapshotPeriod[] = [];
  for (const p of sorted) {
    const s = Math.round((p.firstMetricAt! - t0) / 1000);
    const summaries = p.summaries ?? {};
    const tally = tallyByName(p.counters ?? {}, judged);
    const classTotals = new Map<string, { requests: number; failed: number }>();
    let requests = 0;
    let failed = 0;
    for (const [name, t] of tally) {
      requests += t.requests;
      failed += t.failed;
      const cls = classOf.get(name);
      if (cls !== undefined) {
        const c = classTotals.get(cls) ?? { requests: 0, failed: 0 };
        c.requests += t.requests;
        c.failed += t.failed;
        classTotals.set(cls, c);
      }
      byEndpoint.get(name)?.push({
        s,
        requests: t.requests,
        failed: t.failed,
        stats: statsOf(summaries[`${BY_ENDPOINT}response_time.${name}`]),
        serverStats: statsOf(summaries[`${SERVER_TIME}${name}`]),
      });
    }
    for (const [cls, list] of byClass) {
      const c = classTotals.get(cls);
      if (c)
        list.push({
          s,
          ...c,
          stats: statsOf(summaries[`${CLASS_RESPONSE_TIME}${cls}`]),
          serverStats: statsOf(summaries[`${SERVER_TIME_CLASS}${cls}`]),
        });
    }
    overall.push({ s, requests, failed, stats: statsOf(summaries[HTTP_RESPONSE_TIME]) });
  }
  const pick = (l: Evaluation['overall']['latency']): Stats | null =>
    l ? { mean: round(l.mean), p50: round(l.p50), p95: round(l.p95), p99: round(l.p99) } : null;
  return {
    statistic: e.statistic,
    durationSeconds: e.durationSeconds,
    overall: {
      requests: e.overall.requests,
      failed: e.overall.failed,
      errorRate: e.overall.errorRate,
      stats: pick(e.overall.latency),
      periods: overall,
    },
    classes: e.classes
      .filter((c) => c.requests > 0)
      .map((c) => ({
        class: c.class,
        requests: c.requests,
        failed: c.failed,
        errorRate: rateOf(c.failed, c.requests),
        stats: pick(c.latency),
        serverStats: pick(c.serverLatency ?? null),
        periods: byClass.get(c.class) ?? [],
      })),
    endpoints: e.endpoints.map((x) => ({
      name: x.name,
      class: x.class,
      requests: x.requests,
      failed: x.failed,
      errorRate: x.errorRate,
      stats: pick(x.latency),
      serverStats: pick(x.serverLatency ?? null),
      periods: byEndpoint.get(x.name) ?? [],
    })),
  };
}
