// What the live dashboard shows at one moment, built from what the run has sent so far (pure: no HTTP, no
// Artillery). The verdict so far is evaluate() on the periods seen, the same grading as at the run's end; the
// time series are the report's (report/series.ts); the 2 s ticks only add a "now" rate between periods.
import { type ArtilleryReport, type Evaluation, evaluate, failureRows } from '../grading/evaluation.js';
import type { Targets, Tier, Verdict } from '../grading/targets.js';
import type { StopKind } from '../grading/types.js';
import type { FeedMessage } from '../plugin/live-feed.js';
import { chartSeries } from '../report/series.js';

export interface RunInfo {
  profile: string;
  runTag: string;
  /** The run's users over all classes and worker threads (the profile as scaled). */
  users: number;
  /** Seconds each user loops after the first one started: the profile's length. */
  runSeconds: number;
  mix: string;
}

/** `stopped`: by Stop or a signal; `aborted`: by the guard; `finished`: the run ran its course. */
export type RunStatus = 'starting' | 'running' | 'stopping' | 'finished' | 'stopped' | 'aborted';

export interface EndpointRow {
  name: string;
  class: string;
  requests: number;
  failures: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  tier: Tier | null;
  targetTier: Tier;
  meetsTarget: boolean;
}

export interface Snapshot {
  run: RunInfo;
  status: RunStatus;
  /** The run's total requests so far (completed periods, plus the ticks since the last one). */
  requests: number;
  failures: number;
  elapsedSeconds: number;
  remainingSeconds: number;
  /** Requests and failures per second over the last tick (null until a tick came). */
  now: { requestsPerSec: number; failuresPerSec: number; at: number } | null;
  series: {
    t: number[];
    requestsPerSec: number[];
    failuresPerSec: number[];
    p50: Array<number | null>;
    p95: Array<number | null>;
    p99: Array<number | null>;
    users: Array<number | null>;
  };
  /** Users alive per class over time (the report's rule), and the latest values. */
  usersByClass: Record<string, Array<number | null>>;
  usersNow: { total: number; byClass: Record<string, number> };
  endpoints: EndpointRow[];
  failureRows: Array<{ endpoint: string; failure: string; count: number }>;
  /** The verdict so far; once the run is over, the final one (`final`), the same as the console's. */
  verdict: { verdict: Verdict | StopKind; reasons: string[]; periods: number; final: boolean } | null;
  /** The guard's lines so far (one per level change) and its stop, if it stopped the run. */
  guard: { lines: string[]; stop: string | null };
  /** After the run: the report and CSV files, by file name (served under /files/). */
  files: string[];
  exitCode: number | null;
}

type PeriodPart = Pick<
  Snapshot,
  'requests' | 'failures' | 'series' | 'usersByClass' | 'usersNow' | 'endpoints' | 'failureRows' | 'verdict'
> & { start: number | null };

/** Everything received from the run so far; `snapshot()` reads it. */
export class LiveState {
  readonly periods: ArtilleryReport[] = [];
  aggregate: ArtilleryReport = {};
  status: RunStatus = 'starting';
  files: string[] = [];
  exitCode: number | null = null;
  private readonly guardLines: string[] = [];
  private guardStop: string | null = null;
  /** The run's own evaluation once it is over: what the dashboard shows from then on. */
  private final: Evaluation | null = null;
  private endedAt: number | null = null;
  /** Ticks not yet covered by a period: a period arrives a little after its end, so keep them by time. */
  private ticks: Array<{ t: number; requests: number; failures: number }> = [];
  private lastTick: Snapshot['now'] = null;
  private periodEnd = 0;
  private graded: Evaluation | null = null;
  private part: PeriodPart | null = null;

  constructor(
    readonly run: RunInfo,
    private readonly targets: Targets,
    /** When the runner started Artillery: the clock until the first period says when users started. */
    private readonly spawnedAt: number,
  ) {}

  receive(message: FeedMessage): void {
    if (message.btcw === 'guard') {
      this.guardLines.push(message.event.message);
      if (message.event.action === 'stop') {
        this.guardStop = message.event.message;
        this.status = 'stopping';
      }
    } else if (message.btcw === 'period') {
      this.periods.push(message.period);
      this.aggregate = message.aggregate;
      this.graded = null;
      this.part = null;
      this.periodEnd = Math.max(this.periodEnd, message.period.lastMetricAt ?? 0);
      this.ticks = this.ticks.filter((t) => t.t > this.periodEnd);
      if (this.status === 'starting') this.status = 'running';
    } else {
      // Counted as of the middle of its interval, the closer guess to which period holds it.
      const tickAt = message.t - message.ms / 2;
      if (tickAt > this.periodEnd)
        this.ticks.push({ t: tickAt, requests: message.requests, failures: message.failures });
      this.lastTick = {
        requestsPerSec: (message.requests * 1000) / message.ms,
        failuresPerSec: (message.failures * 1000) / message.ms,
        at: message.t,
      };
      if (this.status === 'starting' && message.requests > 0) this.status = 'running';
    }
  }

  /**
   * The run is over: from now on the page shows its final evaluation (null when it left none), so that its
   * counts and verdict are the console's, not the last ticks'. `stopped`: Stop or a signal ended it.
   */
  end(final: Evaluation | null, stopped: boolean, now: number): void {
    this.final = final;
    this.graded = null;
    this.part = null;
    this.ticks = [];
    this.endedAt = now;
    const kind = final?.stop?.kind;
    this.status =
      this.guardStop !== null || kind === 'ABORTED' ? 'aborted' : stopped || kind ? 'stopped' : 'finished';
  }

  /** evaluate() on the aggregate of the periods seen; computed once per period. */
  evaluation(): Evaluation | null {
    if (this.final !== null) return this.final;
    if (this.periods.length === 0) return null;
    this.graded ??= evaluate({ aggregate: this.aggregate, intermediate: this.periods }, this.targets);
    return this.graded;
  }

  /** The part of the snapshot that only a new period changes: built once per period, not per tick. */
  private fromPeriods(): PeriodPart {
    if (this.part !== null) return this.part;
    const evaluation = this.evaluation();
    const firstMetric = this.periods.reduce((a, p) => Math.min(a, p.firstMetricAt ?? a), Infinity);
    const cs = evaluation === null ? null : chartSeries(this.periods, evaluation, 0);
    const points = cs?.points ?? [];
    const usersByClass = Object.fromEntries(cs?.usersByClass ?? []);
    const byClass: Record<string, number> = {};
    for (const [cls, values] of Object.entries(usersByClass)) byClass[cls] = values[values.length - 1] ?? 0;
    const endpoints: EndpointRow[] = (evaluation?.endpoints ?? []).map((endpoint) => ({
      name: endpoint.name,
      class: endpoint.class,
      requests: endpoint.requests,
      failures: endpoint.failed,
      p50: endpoint.latency?.p50 ?? null,
      p95: endpoint.latency?.p95 ?? null,
      p99: endpoint.latency?.p99 ?? null,
      tier: endpoint.tier,
      targetTier: endpoint.targetTier,
      meetsTarget: endpoint.meetsTarget,
    }));
    const failures = (evaluation?.endpoints ?? []).flatMap((endpoint) =>
      failureRows(endpoint.failures).map((row) => ({
        endpoint: endpoint.name,
        failure: row.label,
        count: row.count,
      })),
    );
    failures.sort((a, b) => b.count - a.count || a.endpoint.localeCompare(b.endpoint));
    this.part = {
      requests: evaluation?.overall.requests ?? 0,
      failures: evaluation?.overall.failed ?? 0,
      start: Number.isFinite(firstMetric) ? firstMetric : null,
      series: {
        t: points.map((p) => p.t),
        requestsPerSec: points.map((p) => p.requestsPerSec),
        failuresPerSec: points.map((p) => p.failuresPerSec),
        p50: points.map((p) => p.p50),
        p95: points.map((p) => p.p95),
        p99: points.map((p) => p.p99),
        users: points.map((p) => p.users),
      },
      usersByClass,
      usersNow: { total: points[points.length - 1]?.users ?? 0, byClass },
      endpoints,
      failureRows: failures,
      verdict:
        evaluation === null
          ? null
          : {
              verdict: evaluation.stop?.kind ?? evaluation.verdict,
              reasons: [
                ...(evaluation.stop ? [evaluation.stop.line] : []),
                ...evaluation.reasons.map((r) => r.message),
              ],
              periods: this.periods.length,
              final: this.final !== null,
            },
    };
    return this.part;
  }

  snapshot(now: number): Snapshot {
    const { requests, failures, start, ...fromPeriods } = this.fromPeriods();
    const elapsed = Math.max(0, ((this.endedAt ?? now) - (start ?? this.spawnedAt)) / 1000);
    const sum = (k: 'requests' | 'failures') => this.ticks.reduce((a, t) => a + t[k], 0);
    return {
      run: this.run,
      status: this.status,
      requests: requests + sum('requests'),
      failures: failures + sum('failures'),
      elapsedSeconds: Math.round(elapsed),
      remainingSeconds: this.endedAt !== null ? 0 : Math.max(0, Math.round(this.run.runSeconds - elapsed)),
      now: this.lastTick,
      ...fromPeriods,
      guard: {
        lines: [...this.guardLines],
        stop: this.guardStop ?? (this.final?.stop?.kind === 'ABORTED' ? this.final.stop.line : null),
      },
      files: this.files,
      exitCode: this.exitCode,
    };
  }
}
