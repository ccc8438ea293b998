// A user's life: its class and first task (startUser), its logins, its loop (nextTask: think, then the
// next task, until the deadline), and its end. Decisions live in catalogue.ts, user-decisions.ts and
// login-retry.ts.
import {
  FIRST_LOGIN_AT,
  LOGINS,
  RELOGINS,
  UNEXPECTED_401,
  USERS_STARTED,
  USERS_STOPPED,
} from '../lib/metrics.js';
import { runUserIndex, SOLE_WORKER, WORKER_SLOT_VAR, type WorkerSlot } from '../plugin/worker-share.js';
import {
  type Done,
  ONCE,
  type RequestParams,
  type Response,
  type VUContext,
  type VUEvents,
} from './artillery-types.js';
import { userClass } from './catalogue.js';
import { decideLoginRetry, LOGIN_FAILED, LOGIN_RETRIES_COUNTER, type LoginOutcome } from './login-retry.js';
import { queryPicks } from './payloads.js';
import { containerSalt, fakerOn, RandomStream, userSeed } from './random.js';
import { credentialsFor } from './run-hooks.js';
import { decide, newConditions, pauseVar } from './task-vars.js';
import {
  clampPauses,
  jsonObject,
  needsRenewal,
  pickWeighted,
  thinkMs,
  tokenExpiryMs,
} from './user-decisions.js';
import { countEnd, ENGINE_VAR, state, stopUser, type UserState, workerUsers } from './user-state.js';

const NO_DRAWS = Object.freeze({});

/**
 * First step of every user: its class, its random stream, its login need and its first task. User k of the
 * run (counted over all worker threads) gets class mix[k mod n], Locust's round-robin, whatever the number
 * of workers.
 */
export function startUser(context: VUContext, events: VUEvents, done: Done): void {
  const vars = context.vars;
  const mix = (vars.mixClasses as string[] | undefined) ?? [];
  const slot = (vars[WORKER_SLOT_VAR] as WorkerSlot | undefined) ?? SOLE_WORKER;
  const worker = workerUsers(vars);
  const index = runUserIndex(slot, worker.started++);
  worker.startedMs ??= Date.now();
  worker.deadlineMs ??= worker.startedMs + Number(vars.runSeconds) * 1000;
  vars.deadlineMs = worker.deadlineMs;
  const cls = userClass(mix[index % mix.length] ?? '');
  if (!cls) {
    done(new Error('no user mix: the run was started without its before hook (scenarios/flows.yml)'));
    return;
  }
  // Distinct per container too: with --seed, every container of a distributed run has the same run seed.
  const seedBase = (Number(vars.runSeed ?? 0) ^ containerSalt(process.env.WORKER_ID)) >>> 0;
  const user: UserState = {
    cls,
    random: new RandomStream(userSeed(seedBase, index)),
    owned: [],
    tokenExpiryMs: null,
    stopReason: null,
    endCounted: false,
    loginDue: false,
    loginRetries: 0,
    goesOn: vars[ENGINE_VAR] === 'btcw',
    loginDeferred: false,
  };
  vars._btcw = user;
  vars.cls = { [cls.name]: ONCE };
  const pool = vars.tokenPool as string[] | undefined;
  if (cls.login !== null && pool && pool.length > 0) {
    vars.token = pool[index % pool.length];
    user.tokenExpiryMs = tokenExpiryMs(vars.token as string);
  } else if (cls.login !== null) {
    user.loginDue = true;
    vars.firstLogin = ONCE;
  }
  events.emit('counter', `${USERS_STARTED}${cls.name}`, 1);
  chooseTask(context, Date.now());
  done();
}

/**
 * Sets up the next task's block: its conditions, its random draws and its pauses; renews the token if due.
 * Both engines call it, so a seed gives both the same tasks.
 */
function chooseTask(context: VUContext, now: number): void {
  const vars = context.vars;
  const user = state(context);
  // artillery-plugin-expect appends every request's results here for the user's whole life; a looping
  // user would grow it without bound.
  vars.expectations = undefined;
  user.loginDeferred = false;
  if (vars.token !== undefined && needsRenewal(user.tokenExpiryMs, now)) vars.needLogin = ONCE;
  const task = pickWeighted(user.cls.tasks, user.random.next());
  vars.task = { [task.id]: ONCE };
  vars.taskId = task.id;
  vars.q = task.query.length > 0 ? queryPicks(fakerOn(user.random), task.query) : NO_DRAWS;
  newConditions(vars);
  if (task.coin) {
    const heads = user.random.next() < 0.5;
    decide(vars, 'heads', heads);
    decide(vars, 'tails', !heads);
  }
  // thinkFactor compresses think times and pauses for short test runs (1 = Locust's timings).
  const factor = Number(vars.thinkFactor ?? 1);
  clampPauses(
    task.pausesMs.map((p) => p * factor),
    now,
    vars.deadlineMs as number,
  ).forEach((ms, index) => {
    vars[pauseVar(index + 1)] = ms;
  });
}

/**
 * whileTrue of the user's loop, after each task: wait the class's think time (clamped to the deadline),
 * then choose the next task; false once the user stopped or the deadline passed. Callback style: Artillery
 * hangs on an async whileTrue.
 */
export function nextTask(context: VUContext, next: (go: boolean) => void): void {
  const vars = context.vars;
  const user = state(context);
  const deadline = vars.deadlineMs as number;
  if (user.stopReason !== null || Date.now() >= deadline) {
    next(false);
    return;
  }
  const factor = Number(vars.thinkFactor ?? 1);
  const range: [number, number] = [user.cls.thinkSeconds[0] * factor, user.cls.thinkSeconds[1] * factor];
  const go = () => {
    const now = Date.now();
    if (user.stopReason !== null || now >= deadline) {
      next(false);
      return;
    }
    chooseTask(context, now);
    next(true);
  };
  const wait = thinkMs(range, user.random.next(), Date.now(), deadline);
  if (wait > 0) setTimeout(go, wait);
  else go();
}

export function endUser(context: VUContext, events: VUEvents, done: Done): void {
  const user = state(context);
  if (user) countEnd(user, events);
  done();
}

/** Scenario-level onError: a network error ends an Artillery user (unlike Locust); count why it stopped. */
export function userErrored(
  _err: Error,
  _req: RequestParams,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  const user = state(context);
  if (user) {
    if (user.stopReason === null) {
      user.stopReason = 'network_error';
      events.emit('counter', `${USERS_STOPPED}network_error`, 1);
    }
    countEnd(user, events);
  }
  done();
}

// ---- logins -----------------------------------------------------------------------------------------------

function formFor(context: VUContext, which: 'user' | 'admin'): Record<string, string> {
  const creds = credentialsFor(context.vars.$environment)[which];
  // Set on the request only, never in context.vars, so no report or log can show the password.
  return { username: creds.username, password: creds.password };
}

export function userLoginForm(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.form = formFor(context, 'user');
  done();
}

export function adminLoginForm(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.form = formFor(context, 'admin');
  done();
}

/**
 * whileTrue of the first login (checked after each attempt, as Artillery's loops do): send it again while
 * the user has no token and has not stopped, which afterLogin arranges after a retryable failure.
 */
export function firstLoginDue(context: VUContext, next: (go: boolean) => void): void {
  const user = state(context);
  next(user.stopReason === null && user.loginDue && !user.loginDeferred);
}

/**
 * whileTrue of a re-login (the block runs only when needLogin is set): send it again while the user still
 * needs a token and has not stopped, which afterLogin arranges after a retryable failure.
 */
export function reloginDue(context: VUContext, next: (go: boolean) => void): void {
  const user = state(context);
  next(user.stopReason === null && !user.loginDeferred && context.vars.needLogin !== undefined);
}

function tokenFrom(res: Response): string | null {
  const token = res.statusCode === 200 ? jsonObject(res.body)?.access_token : undefined;
  return typeof token === 'string' ? token : null;
}

/**
 * After the login at start and after a re-login: keep the token. A login that failed in a way a later
 * attempt may not (5xx, 408, 429) is retried after a capped, jittered backoff (processors/login-retry.ts);
 * otherwise the user stops with a counted reason.
 */
export function afterLogin(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  const token = tokenFrom(res);
  if (token === null) {
    loginFailed(context, events, { status: res.statusCode }, done);
    return;
  }
  const user = state(context);
  const relogin = context.vars.token !== undefined;
  context.vars.token = token;
  context.vars.needLogin = undefined;
  if (user.loginDue) {
    // The first task was chosen before this login, which may have queued or been retried for long: choose
    // it now, or none once the deadline has passed (the task loop's first pass always runs).
    const now = Date.now();
    if (now >= (context.vars.deadlineMs as number)) context.vars.task = undefined;
    else chooseTask(context, now);
  }
  user.loginDue = false;
  user.loginRetries = 0;
  user.tokenExpiryMs = tokenExpiryMs(token);
  events.emit('counter', relogin ? RELOGINS : LOGINS, 1);
  const startedMs = workerUsers(context.vars).startedMs;
  if (!relogin && startedMs !== null) events.emit('histogram', FIRST_LOGIN_AT, Date.now() - startedMs);
  done();
}

/**
 * A login that got no token: retried after a capped, jittered backoff when a later attempt may succeed
 * (processors/login-retry.ts); the block's whileTrue (firstLoginDue, reloginDue) sends it again once `done`
 * is called. A refused login stops the user with its reason. Retries used up (or no time left for one):
 * on the HTTP engine the user stops; on the btcw engine it tries again before its next task.
 */
function loginFailed(context: VUContext, events: VUEvents, outcome: LoginOutcome, done: Done): void {
  const user = state(context);
  const relogin = context.vars.token !== undefined;
  const decision = decideLoginRetry({
    outcome,
    retriesSoFar: user.loginRetries,
    random: user.random.next(),
    nowMs: Date.now(),
    deadlineMs: context.vars.deadlineMs as number,
  });
  if (decision.retry) {
    user.loginRetries = decision.retryNumber;
    events.emit('counter', LOGIN_RETRIES_COUNTER, 1);
    setTimeout(done, decision.delayMs);
    return;
  }
  if (user.goesOn && decision.why !== 'not-retryable') {
    user.loginRetries = 0;
    user.loginDeferred = true;
  } else stopUser(context, events, relogin ? 'relogin_failed' : LOGIN_FAILED);
  done();
}

/**
 * onError of a login (the btcw engine's; on the HTTP engine a network error ends the user): a timeout, a
 * reset or a refused connection is retried as a 5xx is.
 */
export function loginErrored(
  err: Error & { code?: string },
  _req: RequestParams,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  loginFailed(context, events, { error: err.code ?? err.name }, done);
}

/** Scenario-level: a 401 on a request sent with the user's token means it lost its session; log in again. */
export function watchUnauthorized(
  req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  if (res.statusCode === 401 && context.vars.token !== undefined) {
    const auth = req.headers?.authorization;
    if (auth === `Bearer ${context.vars.token}`) {
      context.vars.needLogin = ONCE;
      events.emit('counter', UNEXPECTED_401, 1);
    }
  }
  done();
}

/** HC-1: keep the fresh token for the verify request that follows, only after a 200. */
export function keepRapidToken(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  _events: VUEvents,
  done: Done,
): void {
  const token = tokenFrom(res);
  context.vars.rapidToken = token ?? undefined;
  decide(context.vars, 'found', token !== null);
  done();
}
