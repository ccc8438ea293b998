// The functions scenarios/flows.yml calls. Artillery glue only: decisions live in catalogue.ts, session.ts
// and payloads.ts. Per-user state sits in `context.vars._btcw`; the flags the YAML branches on
// (`cls.*`, `task.*`, `found`, `needLogin`) are one-element arrays, because `loop: over:` on a one-element
// array runs a block once and on anything else skips it.
import type { Faker } from '@faker-js/faker';
import type { VUContext, VUEvents } from 'artillery';
import { BtcwClient } from '../lib/btcw-client.js';
import { sweepTagged, tagSuffix } from '../lib/cleanup.js';
import { processRunTag } from '../lib/container-tag.js';
import { adminExpectation, type Credentials, resolveCredentials } from '../lib/credentials.js';
import { USERS_ENDED, USERS_STARTED, USERS_STOPPED } from '../lib/metrics.js';
import { runUserIndex, SOLE_WORKER, WORKER_SLOT_VAR, type WorkerSlot } from '../plugin/worker-share.js';
import { resolveMix, type TaskSpec, type UserClass, userClass } from './catalogue.js';
import { decideLoginRetry, LOGIN_FAILED, LOGIN_RETRIES_COUNTER } from './login-retry.js';
import {
  newFaker,
  queryPicks,
  rapidSignal,
  strategyCreate,
  strategyUpdate,
  webhookSignal,
} from './payloads.js';
import { containerSalt, fakerOn, RandomStream, userSeed } from './random.js';
import {
  clampPauses,
  inScope,
  type ListItem,
  listItems,
  needsRenewal,
  pickWeighted,
  type Scope,
  thinkMs,
  tokenExpiryMs,
} from './session.js';

type Done = (err?: Error) => void;
// biome-ignore lint/suspicious/noExplicitAny: Artillery's request params are untyped; hooks set form/json.
type RequestParams = Record<string, any>;
type Response = { statusCode: number; body?: unknown };
const ONCE = [1];
const NO_PICKS = Object.freeze({});

interface UserState {
  cls: UserClass;
  /** The user's own random stream: task picks and rolls draw from it directly, payloads through fakerOn. */
  random: RandomStream;
  /** Strategies this user created and has not deleted, oldest first (SW-2 updates one, SW-3 deletes the oldest). */
  owned: number[];
  tokenExpiryMs: number | null;
  stopped: string | null;
  /** Its end is counted (USERS_ENDED), once whichever way it ends. */
  ended: boolean;
  /** The flows.yml block of its first login while it has none yet (atStart, realUser, monitor). */
  firstLogin: string | null;
  /** Retries of its first login so far. */
  loginRetries: number;
}

// ---- run level: before/after hooks (main process) ------------------------------------------------------

function credentialsFor(environment: string | undefined): { user: Credentials; admin: Credentials } {
  const r = resolveCredentials(process.env, environment);
  if (!r.ok) throw new Error(r.error);
  return r;
}

/** Before any user starts: run tag, shared deadline, seed, and fixture strategies that webhooks and start/stop target. */
export async function beginRun(context: VUContext, _events: VUEvents): Promise<void> {
  try {
    await prepareRun(context);
  } catch (e) {
    // Artillery would print a stack trace and carry on loading; stop here with one line instead.
    console.error(`btcw: run set-up failed before any load: ${(e as Error).message}`);
    process.exit(2);
  }
}

async function prepareRun(context: VUContext): Promise<void> {
  const v = context.vars;
  const runSeconds = Number(v.runSeconds);
  if (!Number.isFinite(runSeconds) || runSeconds <= 0)
    throw new Error('config.variables.runSeconds must be a positive number (set by the profile)');
  const mix = resolveMix(String(v.userMix ?? 'comprehensive'));
  if (typeof mix === 'string') throw new Error(mix);
  // In a cloud container (WORKER_ID) the run's tag gets the container's suffix: see lib/container-tag.ts.
  v.runTag = processRunTag(process.env);
  v.runSeed =
    process.env.BTCW_SEED !== undefined && process.env.BTCW_SEED !== ''
      ? Number(process.env.BTCW_SEED) >>> 0
      : Math.floor(Math.random() * 2 ** 32);
  v.mixClasses = mix;
  v.adminLoginStatus = adminExpectation(process.env, v.$environment, v.adminLoginStatus).status;
  const client = new BtcwClient(String(v.target));
  await client.login(credentialsFor(v.$environment as string | undefined).user);
  const faker = newFaker(v.runSeed as number);
  const fixtures = Number(v.fixtureStrategies ?? 3);
  const nowSeconds = Math.floor(Date.now() / 1000);
  for (let i = 0; i < fixtures; i++) {
    await client.createStrategy(
      strategyCreate(faker, { prefix: 'Load Fixture Strategy', runTag: v.runTag as string, nowSeconds }),
    );
  }
  if (v.loginPolicy === 'pool') {
    // For backends whose login is slow: users share a few tokens made here instead of logging in at start.
    const size = Math.max(1, Number(v.tokenPoolSize ?? 5));
    const creds = credentialsFor(v.$environment as string | undefined).user;
    const pool: string[] = [];
    for (let i = 0; i < size; i++) pool.push(await BtcwClient.token(String(v.target), creds));
    v.tokenPool = pool;
  }
}

/** After all users: delete every strategy carrying this run's tag (users that stopped mid-task included). */
export async function endRun(context: VUContext, _events: VUEvents): Promise<void> {
  const v = context.vars;
  if (typeof v.runTag !== 'string') return;
  const client = new BtcwClient(String(v.target));
  try {
    await client.login(credentialsFor(v.$environment as string | undefined).user);
    const { deleted } = await sweepTagged(client, v.runTag);
    console.log(`cleanup: deleted ${deleted} strategies tagged ${v.runTag}`);
  } catch (e) {
    console.log(
      `cleanup: could not delete this run's strategies (${(e as Error).message}); run "npm run cleanup" to remove them`,
    );
  }
}

// ---- user level -------------------------------------------------------------------------------------------

/** Which login-at-start block of flows.yml carries each class's Locust label. */
const FIRST_LOGIN_BLOCKS: Record<string, string> = {
  'POST /auth/token [LOGIN AT START]': 'atStart',
  'POST /auth/token [REAL USER LOGIN]': 'realUser',
  'POST /auth/token [MONITOR LOGIN]': 'monitor',
};

/** Users this worker thread has started: its own count, turned into a run-wide index by runUserIndex. */
let startedHere = 0;
/**
 * When this worker's users stop: runSeconds after its first user started. Not from the before hook, which
 * runs before the worker threads start up (seconds, more with more workers); Artillery releases its
 * workers together, so their deadlines differ by milliseconds.
 */
let deadlineMs: number | null = null;

function state(context: VUContext): UserState {
  return context.vars._btcw as UserState;
}

/** The worker's Faker, drawing from this user's stream (use at once: see fakerOn). */
function userFaker(context: VUContext): Faker {
  return fakerOn(state(context).random);
}

function userGone(s: UserState, events: VUEvents): void {
  if (s.ended) return;
  s.ended = true;
  // Counters, not module state: they add up across worker threads and containers (evaluate's users).
  events.emit('counter', USERS_ENDED, 1);
}

function stopUser(context: VUContext, events: VUEvents, reason: string): void {
  const s = state(context);
  if (s.stopped === null) {
    s.stopped = reason;
    events.emit('counter', `${USERS_STOPPED}${reason}`, 1);
  }
  context.vars.task = {};
  context.vars.needLogin = undefined;
  s.firstLogin = null;
}

/**
 * First step of every user: its class, its random stream, its login need. User k of the run (counted over
 * all worker threads) gets class mix[k mod n], Locust's round-robin, whatever the number of workers.
 */
export function startUser(context: VUContext, events: VUEvents, done: Done): void {
  const v = context.vars;
  const mix = (v.mixClasses as string[] | undefined) ?? [];
  const slot = (v[WORKER_SLOT_VAR] as WorkerSlot | undefined) ?? SOLE_WORKER;
  const index = runUserIndex(slot, startedHere++);
  deadlineMs ??= Date.now() + Number(v.runSeconds) * 1000;
  v.deadlineMs = deadlineMs;
  const cls = userClass(mix[index % mix.length] ?? '');
  if (!cls) {
    done(new Error('no user mix: the run was started without its before hook (scenarios/flows.yml)'));
    return;
  }
  // Distinct per container too: with --seed, every container of a distributed run has the same run seed.
  const seedBase = (Number(v.runSeed ?? 0) ^ containerSalt(process.env.WORKER_ID)) >>> 0;
  v._btcw = {
    cls,
    random: new RandomStream(userSeed(seedBase, index)),
    owned: [],
    tokenExpiryMs: null,
    stopped: null,
    ended: false,
    firstLogin: null,
    loginRetries: 0,
  } satisfies UserState;
  v.cls = { [cls.name]: ONCE };
  const s = v._btcw as UserState;
  const pool = v.tokenPool as string[] | undefined;
  if (cls.loginLabel !== null && pool && pool.length > 0) {
    v.token = pool[index % pool.length];
    s.tokenExpiryMs = tokenExpiryMs(v.token as string);
  } else if (cls.loginLabel !== null) {
    s.firstLogin = FIRST_LOGIN_BLOCKS[cls.loginLabel] ?? 'atStart';
  }
  v.firstLogin = s.firstLogin === null ? NO_PICKS : { [s.firstLogin]: ONCE };
  v.scopeSuffix = tagSuffix(String(v.runTag));
  events.emit('counter', `${USERS_STARTED}${cls.name}`, 1);
  done();
}

function formFor(context: VUContext, which: 'user' | 'admin'): Record<string, string> {
  const c = credentialsFor(context.vars.$environment as string | undefined)[which];
  // Set on the request only, never in context.vars, so no report or log can show the password.
  return { username: c.username, password: c.password };
}

export function userLoginForm(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.form = formFor(context, 'user');
  done();
}

/**
 * The first login's form, and a longer timeout than the run's (firstLoginTimeout, seconds): in a login
 * storm against a backend that hashes passwords one at a time, a login waits in a queue, and a timeout
 * would end the user for good (Artillery ends a user on any request error; only statuses can be retried).
 */
export function firstLoginForm(req: RequestParams, context: VUContext, events: VUEvents, done: Done): void {
  const timeout = Number(context.vars.firstLoginTimeout);
  if (Number.isFinite(timeout) && timeout > 0) req.timeout = timeout;
  userLoginForm(req, context, events, done);
}

/**
 * whileTrue of the first login (checked after each attempt, as Artillery's loops do): send it again while
 * the user has no token and has not stopped, which afterLogin arranges after a retryable failure.
 */
export function firstLoginDue(context: VUContext, next: (go: boolean) => void): void {
  const s = state(context);
  next(s.stopped === null && s.firstLogin !== null);
}

export function adminLoginForm(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.form = formFor(context, 'admin');
  done();
}

function tokenFrom(res: Response): string | null {
  if (res.statusCode !== 200) return null;
  try {
    const body = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
    return typeof body?.access_token === 'string' ? body.access_token : null;
  } catch {
    return null;
  }
}

/**
 * After the login at start and after a re-login: keep the token. A first login that failed in a way a later
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
  const s = state(context);
  const token = tokenFrom(res);
  const relogin = context.vars.token !== undefined;
  if (token === null) {
    const decision = relogin
      ? null
      : decideLoginRetry({
          outcome: { status: res.statusCode },
          retriesSoFar: s.loginRetries,
          random: s.random.next(),
          nowMs: Date.now(),
          deadlineMs: context.vars.deadlineMs as number,
        });
    if (decision?.retry) {
      s.loginRetries = decision.retryNumber;
      events.emit('counter', LOGIN_RETRIES_COUNTER, 1);
      // The block's whileTrue sends the login again once this returns.
      setTimeout(done, decision.delayMs);
      return;
    }
    stopUser(context, events, relogin ? 'relogin_failed' : LOGIN_FAILED);
    done();
    return;
  }
  context.vars.token = token;
  context.vars.needLogin = undefined;
  s.firstLogin = null;
  s.tokenExpiryMs = tokenExpiryMs(token);
  events.emit('counter', relogin ? 'btcw.relogins' : 'btcw.logins', 1);
  done();
}

/** Scenario-level: a 401 on a request sent with the user's token means it lost its session; log in again next task. */
export function watchUnauthorized(
  req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  const auth = req.headers?.authorization;
  if (res.statusCode === 401 && context.vars.token !== undefined && auth === `Bearer ${context.vars.token}`) {
    context.vars.needLogin = ONCE;
    events.emit('counter', 'btcw.unexpected_401', 1);
  }
  done();
}

/** Loop start: stop at the deadline, renew the token if close to expiry, pick the task and the think time. */
export function nextTask(context: VUContext, _events: VUEvents, done: Done): void {
  const v = context.vars;
  const s = state(context);
  // artillery-plugin-expect appends every request's results here for the user's whole life; a looping
  // user would grow it without bound.
  v.expectations = undefined;
  v.found = undefined;
  v.manage = undefined;
  const now = Date.now();
  if (s.stopped !== null || now >= (v.deadlineMs as number)) {
    v.task = {};
    v.thinkMs = 0;
    done();
    return;
  }
  if (v.token !== undefined && needsRenewal(s.tokenExpiryMs, now)) v.needLogin = ONCE;
  const task: TaskSpec = pickWeighted(s.cls.tasks, s.random.next());
  v.task = { [task.id]: ONCE };
  v.taskId = task.id;
  v.q = task.query ? queryPicks(fakerOn(s.random), task.query) : NO_PICKS;
  v.coin = task.coin ? (s.random.next() < 0.5 ? { heads: ONCE } : { tails: ONCE }) : NO_PICKS;
  // thinkFactor compresses think times and pauses for short test runs (1 = Locust's timings).
  const factor = Number(v.thinkFactor ?? 1);
  clampPauses(
    (task.pausesMs ?? []).map((p) => p * factor),
    now,
    v.deadlineMs as number,
  ).forEach((p, i) => {
    v[`pause${i + 1}`] = p;
  });
  const range: [number, number] = [s.cls.thinkSeconds[0] * factor, s.cls.thinkSeconds[1] * factor];
  v.thinkMs = thinkMs(range, s.random.next(), now, v.deadlineMs as number);
  done();
}

/** whileTrue of the user loop (callback style: Artillery hangs on an async whileTrue). */
export function userActive(context: VUContext, next: (go: boolean) => void): void {
  const s = state(context);
  next(s.stopped === null && Date.now() < (context.vars.deadlineMs as number));
}

export function endUser(context: VUContext, events: VUEvents, done: Done): void {
  const s = state(context);
  if (s) userGone(s, events);
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
  const s = state(context);
  if (s) {
    if (s.stopped === null) {
      s.stopped = 'network_error';
      events.emit('counter', `${USERS_STOPPED}network_error`, 1);
    }
    userGone(s, events);
  }
  done();
}

// ---- ids from wrapped list responses -------------------------------------------------------------------------

function choose(
  context: VUContext,
  events: VUEvents,
  candidates: ListItem[],
  pick: 'random' | 'first',
  key: 'strategyId' | 'signalId',
): void {
  const s = state(context);
  if (candidates.length === 0) {
    events.emit('counter', `btcw.skipped.${String(context.vars.taskId)}`, 1);
    return;
  }
  const item = pick === 'first' ? candidates[0]! : s.random.pick(candidates)!;
  context.vars[key] = item.id;
  context.vars.found = ONCE;
}

function scoped(context: VUContext, res: Response): ListItem[] {
  const scope: Scope = context.vars.strategyScope === 'any' ? 'any' : 'run';
  return inScope(listItems(res.body, 'strategies'), scope, String(context.vars.scopeSuffix));
}

/** Any strategy (read-only use: detail, logs). */
export function pickStrategy(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  choose(context, events, listItems(res.body, 'strategies'), 'random', 'strategyId');
  done();
}

/** RealWorldUser browse: detail only after a 30 % draw (no draw, no skip). */
export function pickStrategySometimes(
  req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  if (state(context).random.next() < 0.3) {
    pickStrategy(req, res, context, events, done);
    return;
  }
  done();
}

export function pickStoppedStrategy(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  choose(
    context,
    events,
    scoped(context, res).filter((s) => s.status === 'stopped'),
    'random',
    'strategyId',
  );
  done();
}

export function pickRunningStrategy(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  choose(
    context,
    events,
    scoped(context, res).filter((s) => s.status === 'running'),
    'random',
    'strategyId',
  );
  done();
}

/** Webhook target: the newest strategy (`?limit=1`), if it is in scope. */
export function pickWebhookStrategy(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  choose(context, events, scoped(context, res), 'first', 'strategyId');
  done();
}

/** RW-4: a random strategy; start it if stopped (50 %), stop it if running (30 %). */
export function pickManagedStrategy(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  const s = state(context);
  const items = scoped(context, res);
  if (items.length === 0) {
    events.emit('counter', `btcw.skipped.${String(context.vars.taskId)}`, 1);
    done();
    return;
  }
  const item = s.random.pick(items)!;
  const roll = s.random.next();
  context.vars.strategyId = item.id;
  if (item.status === 'stopped' && roll < 0.5) context.vars.manage = { start: ONCE };
  else if (item.status === 'running' && roll < 0.3) context.vars.manage = { stop: ONCE };
  done();
}

export function pickSignal(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  choose(context, events, listItems(res.body, 'signals'), 'random', 'signalId');
  done();
}

export function pickFirstSignal(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  choose(context, events, listItems(res.body, 'signals'), 'first', 'signalId');
  done();
}

// ---- strategies this user created ----------------------------------------------------------------------------

function createdId(res: Response): number | null {
  if (res.statusCode !== 200) return null;
  try {
    const body = typeof res.body === 'string' ? JSON.parse(res.body) : res.body;
    return Number.isInteger(body?.id) ? (body.id as number) : null;
  } catch {
    return null;
  }
}

export function rememberCreated(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  _events: VUEvents,
  done: Done,
): void {
  const id = createdId(res);
  if (id !== null) state(context).owned.push(id);
  done();
}

/** SM-2 keeps its own strategy for the detail/start/stop/delete that follow. */
export function rememberMixed(
  _req: RequestParams,
  res: Response,
  context: VUContext,
  events: VUEvents,
  done: Done,
): void {
  const id = createdId(res);
  if (id === null) events.emit('counter', `btcw.skipped.${String(context.vars.taskId)}`, 1);
  else {
    context.vars.strategyId = id;
    context.vars.found = ONCE;
  }
  done();
}

export function pickOwnedForUpdate(context: VUContext, events: VUEvents, done: Done): void {
  const s = state(context);
  choose(
    context,
    events,
    s.owned.map((id) => ({ id })),
    'random',
    'strategyId',
  );
  done();
}

export function takeOldestOwned(context: VUContext, events: VUEvents, done: Done): void {
  const s = state(context);
  const id = s.owned.shift();
  choose(context, events, id === undefined ? [] : [{ id }], 'first', 'strategyId');
  done();
}

// ---- request bodies ----------------------------------------------------------------------------------------------

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function jsonCreateStrategy(
  req: RequestParams,
  context: VUContext,
  _events: VUEvents,
  done: Done,
): void {
  req.json = strategyCreate(userFaker(context), {
    prefix: 'Perf Test Strategy',
    runTag: String(context.vars.runTag),
    nowSeconds: nowSeconds(),
  });
  done();
}

export function jsonMixedCreate(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.json = strategyCreate(userFaker(context), {
    prefix: 'Mixed User Strategy',
    runTag: String(context.vars.runTag),
    nowSeconds: nowSeconds(),
  });
  done();
}

export function jsonUpdateStrategy(
  req: RequestParams,
  context: VUContext,
  _events: VUEvents,
  done: Done,
): void {
  req.json = strategyUpdate(userFaker(context), nowSeconds());
  done();
}

export function jsonBuySignal(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.json = webhookSignal(userFaker(context), 'buy');
  done();
}

export function jsonSellSignal(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.json = webhookSignal(userFaker(context), 'sell');
  done();
}

export function jsonRapidSignal(req: RequestParams, context: VUContext, _events: VUEvents, done: Done): void {
  req.json = rapidSignal(userFaker(context));
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
  context.vars.found = token === null ? undefined : ONCE;
  done();
}
