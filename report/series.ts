// Time series for the report's charts and the history CSV, from the 10 s intermediate periods.

import { usersAlivePerPeriod } from '../grading/concurrent-users.js';
import {
  type ArtilleryReport,
  type Evaluation,
  failureLabel,
  judgedByExpectation,
  type NameTally,
  tallyByName,
} from '../grading/evaluation.js';
import {
  BY_ENDPOINT,
  CLASS_RESPONSE_TIME,
  HTTP_REQUESTS,
  HTTP_RESPONSE_TIME,
  USERS_ENDED_BY_CLASS,
  USERS_STARTED,
} from '../lib/metrics.js';

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

function sortedPeriods(periods: readonly ArtilleryReport[]): ArtilleryReport[] {
  return [...periods]
    .filter((p) => p.firstMetricAt !== undefined)
    .sort((a, b) => a.firstMetricAt! - b.firstMetricAt!);
}

/** A period spans at most 10 s; the first and last are often shorter. */
const widthOf = (period: ArtilleryReport) =>
  Math.max(1, Math.min(10, ((period.lastMetricAt ?? period.firstMetricAt!) - period.firstMetricAt!) / 1000));

/** Whether failures were judged by expectation anywhere in the run: then in every period. */
function judgedRun(periods: readonly ArtilleryReport[]): boolean {
  return periods.some((p) => judgedByExpectation(p.counters ?? {}));
}

type PeriodCounts = Map<string, NameTally>;

function pointsOf(sorted: readonly ArtilleryReport[], counts: readonly PeriodCounts[]): Point[] {
  // Same order as `sorted`: usersAlivePerPeriod sorts by firstMetricAt too.
  const alive = usersAlivePerPeriod(sorted);
  return sorted.map((period, index) => {
    const counters = period.counters ?? {};
    const rt = period.summaries?.[HTTP_RESPONSE_TIME];
    const width = widthOf(period);
    const requests = counters[HTTP_REQUESTS] ?? 0;
    let failures = 0;
    for (const tally of counts[index]!.values()) failures += tally.failed;
    return {
      t: period.lastMetricAt ?? period.firstMetricAt!,
      requestsPerSec: requests / width,
      failuresPerSec: failures / width,
      p50: rt ? (rt.p50 ?? rt.median ?? null) : null,
      p95: rt ? rt.p95 : null,
      p99: rt ? rt.p99 : null,
      users: alive[index]?.users ?? null,
      requests,
      failures,
    };
  });
}

/** Requests and failed requests per name in each period, by the verdict's rule and counters. */
function countsPerPeriod(sorted: readonly ArtilleryReport[]): PeriodCounts[] {
  const judged = judgedRun(sorted);
  return sorted.map((p) => tallyByName(p.counters ?? {}, judged));
}

export function seriesOf(periods: readonly ArtilleryReport[]): Point[] {
  const sorted = sortedPeriods(periods);
  return pointsOf(sorted, countsPerPeriod(sorted));
}

export type Values = Array<number | null>;

/** Everything the report's charts draw, per period, in period order. */
export interface ChartSeries {
  points: Point[];
  /** Requests per second per operation class. */
  requestsByClass: Map<string, Values>;
  /** p95 per operation class (the plugin's per-class histograms). */
  p95ByClass: Map<string, Values>;
  /** p95 of the slowest endpoints, slowest first. */
  p95ByEndpoint: Map<string, Values>;
  /** Failed requests per second by status or error code (report labels: `HTTP 500`, `ECONNRESET`). */
  failuresByCode: Map<string, Values>;
  /** Users per class: alive (started less ended) when the run counted ends per class, else started so far. */
  usersByClass: Map<string, Values>;
  usersByClassAlive: boolean;
}

function put(
  rows: Map<string, Values>,
  key: string,
  index: number,
  length: number,
  value: number | null,
  add = false,
): void {
  let row = rows.get(key);
  if (!row) {
    row = new Array<number | null>(length).fill(add ? 0 : null);
    rows.set(key, row);
  }
  row[index] = add ? (row[index] ?? 0) + (value ?? 0) : value;
}

/** The charts' series; `slowest` endpoints get a p95 line each (by the graded statistic's value). */
export function chartSeries(
  periods: readonly ArtilleryReport[],
  evaluation: Evaluation,
  slowest = 5,
): ChartSeries {
  const sorted = sortedPeriods(periods);
  const periodCount = sorted.length;
  const counts = countsPerPeriod(sorted);
  const classOf = new Map(evaluation.endpoints.map((x) => [x.name, x.class]));
  const worst = [...evaluation.endpoints]
    .filter((x) => x.latency !== null)
    .sort((a, b) => (b.latency?.p95 ?? 0) - (a.latency?.p95 ?? 0))
    .slice(0, slowest)
    .map((x) => x.name);
  const out: ChartSeries = {
    points: pointsOf(sorted, counts),
    requestsByClass: new Map(),
    p95ByClass: new Map(),
    p95ByEndpoint: new Map(worst.map((name) => [name, new Array<number | null>(periodCount).fill(null)])),
    failuresByCode: new Map(),
    usersByClass: new Map(),
    usersByClassAlive: sorted.some((period) =>
      Object.keys(period.counters ?? {}).some((k) => k.startsWith(USERS_ENDED_BY_CLASS)),
    ),
  };
  for (const classResult of evaluation.classes)
    if (classResult.requests > 0) put(out.requestsByClass, classResult.class, 0, periodCount, 0, true);
  const started: Record<string, number> = {};
  const ended: Record<string, number> = {};
  sorted.forEach((period, index) => {
    const counters = period.counters ?? {};
    const width = widthOf(period);
    for (const [name, tally] of counts[index]!) {
      put(
        out.requestsByClass,
        classOf.get(name) ?? 'other',
        index,
        periodCount,
        tally.requests / width,
        true,
      );
      for (const [code, count] of tally.failedCodes)
        put(out.failuresByCode, failureLabel('codes', code), index, periodCount, count / width, true);
      for (const [code, count] of tally.failedErrors)
        put(out.failuresByCode, failureLabel('errors', code), index, periodCount, count / width, true);
    }
    const summaries = period.summaries ?? {};
    for (const classResult of evaluation.classes) {
      const summary = summaries[`${CLASS_RESPONSE_TIME}${classResult.class}`];
      if (summary || out.p95ByClass.has(classResult.class))
        put(out.p95ByClass, classResult.class, index, periodCount, summary ? summary.p95 : null);
    }
    for (const [name, row] of out.p95ByEndpoint)
      row[index] = summaries[`${BY_ENDPOINT}response_time.${name}`]?.p95 ?? null;
    // Users per class, as usersAlivePerPeriod counts the whole run's: started up to the period's end less
    // those ended before it began.
    for (const [counter, count] of Object.entries(counters)) {
      if (counter.startsWith(USERS_STARTED)) {
        const cls = counter.slice(USERS_STARTED.length);
        started[cls] = (started[cls] ?? 0) + count;
      }
    }
    for (const [cls, users] of Object.entries(started))
      put(
        out.usersByClass,
        cls,
        index,
        periodCount,
        out.usersByClassAlive ? users - (ended[cls] ?? 0) : users,
      );
    for (const [counter, count] of Object.entries(counters)) {
      if (counter.startsWith(USERS_ENDED_BY_CLASS)) {
        const cls = counter.slice(USERS_ENDED_BY_CLASS.length);
        ended[cls] = (ended[cls] ?? 0) + count;
      }
    }
  });
  // A class's users before its first start: none.
  for (const row of out.usersByClass.values())
    for (let index = 0; index < periodCount; index++) row[index] ??= 0;
  // Periods without a class's histogram before its first one: no value (not zero).
  return out;
}
