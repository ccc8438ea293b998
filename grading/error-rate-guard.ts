// The live error-rate guard: the seed's rule "normal: go on; warning: lower the load; severe: stop the test"
// applied while the run goes, on whole-run figures per window. Pure: the plugin (plugin/guard.ts) feeds it
// one slice per reporting period (every worker's figures merged) and acts on what it returns.
//
// No false stops, by construction:
// - nothing before the settle time is judged (the arrivals, their login wave, then `settleSeconds`);
// - a level is in force only when every slice of a full window is at it or above, so a blip shorter than
//   the window never stops a run, however bad;
// - a window with fewer than `minRequests` requests is not judged;
// - a level change gives one event, not one per period.
import { type ArtilleryReport, errorLevel, evaluate } from './evaluation.js';
import { EXIT } from './exit-codes.js';
import { type GuardAction, type Targets, TargetsError, type Tier } from './targets.js';
import type { ErrorLevel, GuardEvent, GuardRecord, GuardWindow } from './types.js';

export type { GuardEvent, GuardRecord, GuardWindow };

/** The guard's own exit code (grading/exit-codes.ts). */
export const GUARD_EXIT_CODE = EXIT.GUARD_ABORTED;

export type GuardLevel = Exclude<ErrorLevel, 'ok'>;
const LEVELS: readonly ErrorLevel[] = ['ok', 'warning', 'high', 'critical'];

export interface GuardRule {
  windowSeconds: number;
  settleSeconds: number;
  minRequests: number;
  /** The error-rate bounds: level `warning` from `acceptable` on, `high` from `warning`, `critical` from
   * `critical`. */
  errorRate: { acceptable: number; warning: number; critical: number };
  actions: Record<GuardLevel, GuardAction>;
  /** A class whose statistic is slower than this tier's bound in every slice of the window. */
  latency: { past: Exclude<Tier, 'unacceptable'>; boundMs: number; action: GuardAction } | null;
  statistic: Targets['statistic'];
}

export const GUARD_DEFAULTS = {
  windowSeconds: 30,
  settleSeconds: 10,
  minRequests: 20,
  actions: { warning: 'warn', high: 'warn', critical: 'stop' },
} as const;

/** The guard in force for targets already resolved for a profile (forProfile); null when it is off. */
export function guardRule(targets: Targets, where = 'guard'): GuardRule | null {
  const spec = targets.guard ?? {};
  if (spec.enabled === false) return null;
  const errorRate = {
    acceptable: spec.errorRate?.acceptable ?? targets.errorRate.acceptable,
    warning: spec.errorRate?.warning ?? targets.errorRate.warning,
    critical: spec.errorRate?.critical ?? targets.errorRate.critical,
  };
  if (!(errorRate.acceptable <= errorRate.warning && errorRate.warning <= errorRate.critical))
    throw new TargetsError(`${where}.errorRate levels must increase: acceptable <= warning <= critical`);
  return {
    windowSeconds: spec.windowSeconds ?? GUARD_DEFAULTS.windowSeconds,
    settleSeconds: spec.settleSeconds ?? GUARD_DEFAULTS.settleSeconds,
    minRequests: spec.minRequests ?? GUARD_DEFAULTS.minRequests,
    errorRate,
    actions: { ...GUARD_DEFAULTS.actions, ...spec.actions },
    latency: spec.latency
      ? {
          past: spec.latency.past,
          boundMs: targets.responseTime[spec.latency.past],
          action: spec.latency.action ?? 'warn',
        }
      : null,
    statistic: targets.statistic,
  };
}

/** One stretch of the run, every worker's figures together: a reporting period, or a finer tick. */
export interface GuardSlice {
  /** Epoch ms. */
  start: number;
  end: number;
  requests: number;
  failed: number;
  /** Each operation class's statistic in this slice (ms), where it had responses. */
  classes: Record<string, number>;
}

/** A reporting period as a slice: the same request and failure counts as the verdict's (evaluate()). */
export function periodSlice(period: ArtilleryReport, targets: Targets, periodMs = 10_000): GuardSlice | null {
  const start = Number(period.period ?? period.firstMetricAt);
  if (!Number.isFinite(start)) return null;
  const graded = evaluate({ aggregate: period, intermediate: [] }, targets);
  const classes: Record<string, number> = {};
  for (const row of graded.classes) if (row.value !== null) classes[row.class] = row.value;
  const { requests, failed } = graded.overall;
  return { start, end: start + periodMs, requests, failed, classes };
}

export function mmss(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

export function guardPct(rate: number): string {
  const percent = rate * 100;
  return `${percent >= 10 ? percent.toFixed(0) : String(Number(percent.toFixed(1)))} %`;
}

function bound(level: GuardLevel, rates: GuardRule['errorRate']): number {
  return level === 'warning' ? rates.acceptable : level === 'high' ? rates.warning : rates.critical;
}

/** The seed's action for a warning, after the figures. */
const ADVICE = 'lower the load, check the logs';

export class ErrorRateGuard {
  private readonly slices: GuardSlice[] = [];
  private runStart: number | null = null;
  private level: ErrorLevel = 'ok';
  private slow: string[] = [];
  private readonly record: GuardRecord = { events: [], stop: null };

  /** `arrivalSeconds`: how long users keep arriving (the profile's phases); the settle time counts after. */
  constructor(
    readonly rule: GuardRule,
    private readonly arrivalSeconds: number,
  ) {}

  /** The first slice judged starts here (epoch ms), once the run's start is known. */
  judgedFrom(): number | null {
    if (this.runStart === null) return null;
    return this.runStart + (this.arrivalSeconds + this.rule.settleSeconds) * 1000;
  }

  result(): GuardRecord {
    return { events: [...this.record.events], stop: this.record.stop };
  }

  /** Adds a slice; returns the events it caused (none, mostly). Nothing after a stop. */
  add(slice: GuardSlice): GuardEvent[] {
    if (this.record.stop !== null) return [];
    this.runStart = Math.min(this.runStart ?? slice.start, slice.start);
    const from = this.judgedFrom()!;
    if (slice.start < from) return [];
    this.slices.push(slice);
    this.slices.sort((a, b) => a.start - b.start);
    const to = this.slices[this.slices.length - 1]!.end;
    const windowMs = this.rule.windowSeconds * 1000;
    while (this.slices.length > 0 && this.slices[0]!.start < to - windowMs) this.slices.shift();
    const covered = this.slices.reduce((a, s) => a + (s.end - s.start), 0);
    if (covered < windowMs) return [];
    const requests = this.slices.reduce((a, s) => a + s.requests, 0);
    if (requests < this.rule.minRequests) return [];
    const failed = this.slices.reduce((a, s) => a + s.failed, 0);
    const window: GuardWindow = {
      seconds: this.rule.windowSeconds,
      from: this.slices[0]!.start,
      to,
      requests,
      failed,
      errorRate: failed / requests,
    };
    const events: GuardEvent[] = [];
    // Held for the whole window: the lowest level of its slices.
    const held = this.slices
      .map((s) => LEVELS.indexOf(errorLevel(s.requests > 0 ? s.failed / s.requests : 0, this.rule.errorRate)))
      .reduce((a, b) => Math.min(a, b));
    const level = LEVELS[held]!;
    if (level !== this.level) {
      const previous = this.level;
      this.level = level;
      const action = level === 'ok' ? 'none' : this.rule.actions[level];
      const was = previous === 'ok' ? 'none' : this.rule.actions[previous];
      if (action !== 'none' || was !== 'none')
        events.push(this.event('level', action, level, previous, window, []));
    }
    const latency = this.rule.latency;
    if (latency && this.record.stop === null) {
      const classes = Object.keys(this.slices[0]!.classes).filter((name) =>
        this.slices.every((s) => (s.classes[name] ?? 0) > latency.boundMs),
      );
      classes.sort();
      if (classes.join('\n') !== this.slow.join('\n')) {
        const action = classes.length === 0 ? 'none' : latency.action;
        const was = this.slow.length === 0 ? 'none' : latency.action;
        this.slow = classes;
        if (action !== 'none' || was !== 'none')
          events.push(this.event('latency', action, this.level, this.level, window, classes));
      }
    }
    const stop = events.find((e) => e.action === 'stop');
    if (stop) this.record.stop = stop;
    this.record.events.push(...events);
    return events;
  }

  private event(
    kind: GuardEvent['kind'],
    action: GuardAction,
    level: ErrorLevel,
    previous: ErrorLevel,
    window: GuardWindow,
    slowClasses: string[],
  ): GuardEvent {
    const elapsedSeconds = (window.to - (this.runStart ?? window.from)) / 1000;
    const when = mmss(elapsedSeconds);
    const over = `over the last ${window.seconds} s`;
    const rate = `error rate ${guardPct(window.errorRate)} ${over}`;
    let what: string;
    if (kind === 'latency') {
      const slow = this.rule.latency!;
      const stat = this.rule.statistic;
      what =
        slowClasses.length === 0
          ? `every class back within ${slow.past} (${stat} < ${slow.boundMs} ms) ${over}`
          : `${slowClasses.join(', ')} ${stat} slower than ${slow.past} (≥ ${slow.boundMs} ms) ` +
            `for the whole of the last ${window.seconds} s`;
    } else if (level === 'ok') {
      what = `${rate}: back under warning (< ${guardPct(this.rule.errorRate.acceptable)})`;
    } else {
      what = `${rate} (${level} ≥ ${guardPct(bound(level, this.rule.errorRate))})`;
    }
    const counts = `${window.failed} of ${window.requests} requests failed`;
    const message =
      action === 'stop'
        ? `ABORTED by the guard at ${when}: ${what}`
        : `guard at ${when}: ${what}; ${counts}${action === 'warn' ? `: ${ADVICE}` : ''}`;
    return { kind, action, at: window.to, elapsedSeconds, level, previous, window, slowClasses, message };
  }
}
