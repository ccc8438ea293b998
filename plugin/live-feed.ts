// The live dashboard's feed, the plugin's side. The runner spawns Artillery with an IPC channel
// and BTCW_LIVE_FEED=1; the plugin's main-process half then sends every 10 s period, with the aggregate of
// the periods so far, to the runner (process.send). Artillery's period is fixed at 10 s (ssms windowSize), so
// for a livelier page each worker thread also counts its responses and failures and posts them every
// BTCW_LIVE_TICK_MS (default 2000; 0 = off) on a BroadcastChannel, which reaches the main thread of the same
// process whatever the worker count; the main half adds the workers' ticks up and forwards them.
import type { GuardEvent } from '../grading/error-rate-guard.js';
import type { ArtilleryReport } from '../grading/evaluation.js';

/** What the runner receives over IPC. */
export type FeedMessage =
  | { btcw: 'period'; period: ArtilleryReport; aggregate: ArtilleryReport }
  | { btcw: 'tick'; t: number; ms: number; requests: number; failures: number }
  | { btcw: 'guard'; event: GuardEvent };

export const LIVE_FEED_ENV = 'BTCW_LIVE_FEED';
export const LIVE_TICK_ENV = 'BTCW_LIVE_TICK_MS';
const CHANNEL = 'btcw-live-ticks';
const DEFAULT_TICK_MS = 2000;

export function feedEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[LIVE_FEED_ENV] === '1';
}

/** The tick interval in ms, or 0 when ticks are off (feed off, or BTCW_LIVE_TICK_MS=0). */
export function tickMs(env: NodeJS.ProcessEnv = process.env): number {
  if (!feedEnabled(env)) return 0;
  const raw = env[LIVE_TICK_ENV];
  const value = raw === undefined || raw === '' ? DEFAULT_TICK_MS : Number(raw);
  return Number.isFinite(value) && value >= 100 ? Math.round(value) : 0;
}

interface Tick {
  requests: number;
  failures: number;
}

/** Worker half: counts responses; a timer posts and resets the counts. Null when ticks are off. */
export function workerTicks(): { response(failed: boolean): void } | null {
  const ms = tickMs();
  if (ms === 0) return null;
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref(); // never keeps a finished worker alive
  let tick: Tick = { requests: 0, failures: 0 };
  const flush = () => {
    if (tick.requests === 0 && tick.failures === 0) return;
    channel.postMessage(tick);
    tick = { requests: 0, failures: 0 };
  };
  setInterval(flush, ms).unref();
  return {
    response(failed) {
      tick.requests++;
      if (failed) tick.failures++;
    },
  };
}

/** Main half: forwards periods and the workers' summed ticks to the runner. Null without a feed. */
export function mainFeed(): {
  period(period: ArtilleryReport, aggregate: ArtilleryReport): void;
  guard(event: GuardEvent): void;
} | null {
  if (!feedEnabled() || typeof process.send !== 'function') return null;
  const send = (message: FeedMessage) => {
    // The runner may be gone (killed): the run itself must not fail for the dashboard.
    if (process.connected) process.send!(message, undefined, undefined, () => {});
  };
  const ms = tickMs();
  if (ms > 0) {
    const channel = new BroadcastChannel(CHANNEL);
    channel.unref();
    let sum: Tick = { requests: 0, failures: 0 };
    channel.onmessage = (event) => {
      const tick = (event as { data: Tick }).data;
      sum.requests += tick.requests;
      sum.failures += tick.failures;
    };
    setInterval(() => {
      send({ btcw: 'tick', t: Date.now(), ms, ...sum });
      sum = { requests: 0, failures: 0 };
    }, ms).unref();
  }
  return {
    period: (period, aggregate) => send({ btcw: 'period', period, aggregate }),
    guard: (event) => send({ btcw: 'guard', event }),
  };
}
