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

function statsOf(summary: Summary | undefined): Stats | null {
  if (!summary || !(summary.count > 0)) return null;
  return {
    mean: round(summary.mean),
    p50: round(summary.p50 ?? summary.median ?? 0),
    p95: round(summary.p95),
    p99: round(summary.p99),
  };
}

const rateOf = (failed: number, requests: number) => (requests > 0 ? failed / requests : 0);

/** The snapshot of a graded run: its evaluation and its 10 s periods (counters and summaries). */
export function snapshotOf(evaluation: Evaluation, periods: readonly ArtilleryReport[]): Snapshot {
  const sorted = [...periods]
    .filter((p) => p.firstMetricAt !== undefined)
    .sort((a, b) => a.firstMetricAt! - b.firstMetricAt!);
  const t0 = sorted[0]?.firstMetricAt ?? 0;
  const judged = sorted.some((p) => judgedByExpectation(p.counters ?? {}));
  const classOf = new Map(evaluation.endpoints.map((x) => [x.name, x.class]));
  const byEndpoint = new Map<string, SnapshotPeriod[]>(evaluation.endpoints.map((x) => [x.name, []]));
  const byClass = new Map<string, SnapshotPeriod[]>(evaluation.classes.map((c) => [c.class, []]));
  const overall: SnapshotPeriod[] = [];
  for (const period of sorted) {
    const seconds = Math.round((period.firstMetricAt! - t0) / 1000);
    const summaries = period.summaries ?? {};
    const tally = tallyByName(period.counters ?? {}, judged);
    const classTotals = new Map<string, { requests: number; failed: number }>();
    let requests = 0;
    let failed = 0;
    for (const [name, counts] of tally) {
      requests += counts.requests;
      failed += counts.failed;
      const cls = classOf.get(name);
      if (cls !== undefined) {
        const totals = classTotals.get(cls) ?? { requests: 0, failed: 0 };
        totals.requests += counts.requests;
        totals.failed += counts.failed;
        classTotals.set(cls, totals);
      }
      byEndpoint.get(name)?.push({
        s: seconds,
        requests: counts.requests,
        failed: counts.failed,
        stats: statsOf(summaries[`${BY_ENDPOINT}response_time.${name}`]),
        serverStats: statsOf(summaries[`${SERVER_TIME}${name}`]),
      });
    }
    for (const [cls, list] of byClass) {
      const totals = classTotals.get(cls);
      if (totals)
        list.push({
          s: seconds,
          ...totals,
          stats: statsOf(summaries[`${CLASS_RESPONSE_TIME}${cls}`]),
          serverStats: statsOf(summaries[`${SERVER_TIME_CLASS}${cls}`]),
        });
    }
    overall.push({ s: seconds, requests, failed, stats: statsOf(summaries[HTTP_RESPONSE_TIME]) });
  }
  const pick = (latency: Evaluation['overall']['latency']): Stats | null =>
    latency
      ? {
          mean: round(latency.mean),
          p50: round(latency.p50),
          p95: round(latency.p95),
          p99: round(latency.p99),
        }
      : null;
  return {
    statistic: evaluation.statistic,
    durationSeconds: evaluation.durationSeconds,
    overall: {
      requests: evaluation.overall.requests,
      failed: evaluation.overall.failed,
      errorRate: evaluation.overall.errorRate,
      stats: pick(evaluation.overall.latency),
      periods: overall,
    },
    classes: evaluation.classes
      .filter((c) => c.requests > 0)
      .map((classResult) => ({
        class: classResult.class,
        requests: classResult.requests,
        failed: classResult.failed,
        errorRate: rateOf(classResult.failed, classResult.requests),
        stats: pick(classResult.latency),
        serverStats: pick(classResult.serverLatency ?? null),
        periods: byClass.get(classResult.class) ?? [],
      })),
    endpoints: evaluation.endpoints.map((endpoint) => ({
      name: endpoint.name,
      class: endpoint.class,
      requests: endpoint.requests,
      failed: endpoint.failed,
      errorRate: endpoint.errorRate,
      stats: pick(endpoint.latency),
      serverStats: pick(endpoint.serverLatency ?? null),
      periods: byEndpoint.get(endpoint.name) ?? [],
    })),
  };
}
