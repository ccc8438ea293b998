// Per-user state, kept in `context.vars._btcw` for the user's whole life, and how a user stops.
import { USERS_ENDED, USERS_ENDED_BY_CLASS, USERS_STOPPED } from '../lib/metrics.js';
import type { VUContext, VUEvents } from './artillery-types.js';
import type { UserClass } from './catalogue.js';
import type { RandomStream } from './random.js';

export interface UserState {
  cls: UserClass;
  /** The user's own random stream: task picks and rolls draw from it directly, payloads through fakerOn. */
  random: RandomStream;
  /**
   * Strategies this user created and has not deleted, oldest first (SW-2 updates one, SW-3 deletes the
   * oldest).
   */
  owned: number[];
  tokenExpiryMs: number | null;
  /** Why the user stopped before the deadline (`btcw.users_stopped.<reason>`), or null while it runs. */
  stopReason: string | null;
  /** Its end is counted (USERS_ENDED), once whichever way it ends. */
  endCounted: boolean;
  /** It has no token yet and must log in at start (cleared by a token, or by stopping). */
  loginDue: boolean;
  /** Retries of the login under way (the first one or a re-login) so far; 0 after a token. */
  loginRetries: number;
  /**
   * Locust's failure semantics (the btcw engine): no failed request ends the user, and a login whose
   * retries ran out is tried again before the next task instead of stopping it.
   */
  goesOn: boolean;
  /** The login gave up for this task (goesOn only): it is tried again once the next task is chosen. */
  loginDeferred: boolean;
}

/** Set by the btcw engine on its users' variables: `btcw` gives them Locust's failure semantics. */
export const ENGINE_VAR = 'btcwEngine';

export function state(context: VUContext): UserState {
  return context.vars._btcw as UserState;
}

/** Stops the user for good: counted once with its reason; nothing else of its flow runs. */
export function stopUser(context: VUContext, events: VUEvents, reason: string): void {
  const user = state(context);
  if (user.stopReason === null) {
    user.stopReason = reason;
    events.emit('counter', `${USERS_STOPPED}${reason}`, 1);
  }
  user.loginDue = false;
  context.vars.task = undefined;
  context.vars.needLogin = undefined;
}

/** Counts the user's end once (counters add up across worker threads and containers). */
export function countEnd(user: UserState, events: VUEvents): void {
  if (user.endCounted) return;
  user.endCounted = true;
  events.emit('counter', USERS_ENDED, 1);
  events.emit('counter', `${USERS_ENDED_BY_CLASS}${user.cls.name}`, 1);
}

/**
 * What the users of one worker thread share, in the variable WORKER_USERS_VAR: the before hook (beginRun)
 * sets it, and Artillery hands each worker its own copy of the before hook's variables, which all of that
 * worker's users see by reference. A user started without it (a test) gets one of its own.
 */
interface WorkerUsers {
  /** Users this worker thread has started: its own count, turned into a run-wide index by runUserIndex. */
  started: number;
  /** When its first user started, ms since the epoch: the zero of FIRST_LOGIN_AT. */
  startedMs: number | null;
  /**
   * When this worker's users stop: runSeconds after its first user started. Not from the before hook,
   * which runs before the worker threads start up (seconds, more with more workers). Artillery releases
   * its workers together; each one's first user arrives one arrival interval later, so the threads'
   * deadlines differ by at most that (under a second in every profile).
   */
  deadlineMs: number | null;
}

export const WORKER_USERS_VAR = 'btcwWorkerUsers';

export const newWorkerUsers = (): WorkerUsers => ({ started: 0, startedMs: null, deadlineMs: null });

export function workerUsers(vars: VUContext['vars']): WorkerUsers {
  let worker = vars[WORKER_USERS_VAR] as WorkerUsers | undefined;
  if (worker === undefined) {
    worker = newWorkerUsers();
    vars[WORKER_USERS_VAR] = worker;
  }
  return worker;
}
