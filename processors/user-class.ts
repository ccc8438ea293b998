// How a user class is written: one file per class in processors/classes/, read like a Locust class (its
// think time, its login, its tasks with their weights and requests). scenarios/flows.yml, the run-time
// catalogue, the expected request names and the README's mapping table are all derived from these
// definitions (`npm run build` regenerates flows.yml; a test checks it is up to date).
import type { QueryKey } from './payloads.js';

/** The processor module's part of a run: which Locust file the class comes from. */
export type Module = 'auth' | 'strategy' | 'signal' | 'locustfile';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** An expected status: one code, several, or a template resolved per user (`{{ adminLoginStatus }}`). */
export type Expect = number | readonly number[] | `{{ ${string} }}`;

/** Takes an id out of a wrapped list response (`pickId`): which list, which items, which one. */
export interface Pick {
  list: 'strategies' | 'signals';
  /**
   * Only this run's strategies (tagged), unless the run sets strategyScope: any. `run` is this process's
   * own (in a distributed run, this container's); `wholeRun` also takes those of the run's other containers.
   */
  scope?: 'run' | 'wholeRun';
  status?: 'stopped' | 'running';
  /** The first item instead of a random one. */
  first?: true;
  /** Pick only with this probability (no pick, no skip counted). */
  chance?: number;
}

/** A request body built per request from the user's random stream (`buildBody`, processors/payloads.ts). */
export type Body =
  | { kind: 'strategyCreate'; prefix: string }
  | { kind: 'strategyUpdate' }
  | { kind: 'webhookSignal'; action: 'buy' | 'sell' }
  | { kind: 'rapidSignal' };

/** Processor functions a step can name directly, for what a Pick or a Body cannot say. */
export type AfterHook = 'rememberCreated' | 'rememberMixed' | 'keepRapidToken' | 'pickManagedStrategy';
export type CallHook = 'pickOwnedForUpdate' | 'takeOldestOwned';

export interface RequestStep {
  kind: 'request';
  /** "METHOD /path [LABEL]": the Locust label with the corrected path; the method comes from it. */
  name: string;
  method: Method;
  /** Path under /api/v1, with `{{ }}` templates (`{{ q.* }}` values are drawn for the task). */
  url: string;
  /** Which bearer token the request carries. */
  auth: 'token' | 'rapidToken' | 'none';
  /** A login form with the run's user or admin credentials (never stored in variables), or a literal one. */
  form?: 'user' | 'admin' | Readonly<Record<string, string>>;
  json?: Readonly<Record<string, unknown>>;
  body?: Body;
  pick?: Pick;
  after?: AfterHook;
  expect: Expect;
}

export interface PauseStep {
  kind: 'pause';
  /** Locust's in-task sleep, in ms; scaled by thinkFactor and clamped to the deadline. */
  ms: number;
}

/**
 * The conditions a `when` step can name. Each is decided in one place, once per task, and holds until the
 * task ends: a new task starts with none (both engines keep them per task, so none is ever reset by hand).
 */
export const CONDITIONS = {
  /** The request before found the id the next steps need: a pick, a created strategy, a fresh token. */
  found: 'an id was found',
  /** The task's coin came up heads (drawn when the task is chosen); tails otherwise. */
  heads: 'the coin came up heads',
  tails: 'the coin came up tails',
  /** RW-4: the picked strategy is stopped and the roll says start it (50 %). */
  startIt: 'the picked strategy is to be started',
  /** RW-4: the picked strategy is running and the roll says stop it (30 %). */
  stopIt: 'the picked strategy is to be stopped',
} as const;
export type Condition = keyof typeof CONDITIONS;

/** Conditions drawn when the task is chosen (the others are set by the task's own requests). */
export const COIN: readonly Condition[] = ['heads', 'tails'];

/** Steps run only when a condition holds. */
export interface WhenStep {
  kind: 'when';
  condition: Condition;
  steps: readonly Step[];
}

export interface RepeatStep {
  kind: 'repeat';
  count: number;
  steps: readonly Step[];
}

export interface CallStep {
  kind: 'call';
  fn: CallHook;
}

export type Step = RequestStep | PauseStep | WhenStep | RepeatStep | CallStep;

export interface TaskDef {
  /** Task id from behaviours.md, e.g. SR-3. */
  id: string;
  /** Locust's @task weight. */
  weight: number;
  steps: readonly Step[];
  /** The Locust suite's label(s) and what was wrong with them, for the README's mapping table. */
  locust?: string;
}

/** The login a class does once at start (Locust's on_start), by its request name. */
export type FirstLogin =
  | 'POST /auth/token [LOGIN AT START]'
  | 'POST /auth/token [REAL USER LOGIN]'
  | 'POST /auth/token [MONITOR LOGIN]';

export interface UserClassDef {
  name: string;
  module: Module;
  /** Part of the comprehensive run (locustfile.py's 10 classes). */
  comprehensive: boolean;
  /** Locust's wait_time = between(min, max), in seconds. */
  thinkSeconds: readonly [number, number];
  login: FirstLogin | null;
  /** A line for the flows.yml header of the class (what is special about it). */
  note?: string;
  tasks: readonly TaskDef[];
}

// ---- builders -------------------------------------------------------------------------------------------

const NAME = /^(GET|POST|PUT|DELETE) \/\S* \[[A-Z0-9 ]+\]$/;

type RequestOptions = Partial<Omit<RequestStep, 'kind' | 'name' | 'method' | 'url' | 'expect'>> & {
  /** Default 200. */
  expect?: Expect;
};

/** One request: `request('GET /strategies/ [LIST]', '/strategies/')`; the method is the name's first word. */
export function request(name: string, url: string, opts: RequestOptions = {}): RequestStep {
  if (!NAME.test(name)) throw new Error(`request name "${name}" is not "METHOD /path [LABEL]"`);
  const method = name.slice(0, name.indexOf(' ')) as Method;
  // One beforeRequest and one afterResponse hook per request in flows.yml.
  if ((opts.form === 'user' || opts.form === 'admin') && opts.body !== undefined)
    throw new Error(`request "${name}": a login form and a body cannot go together`);
  if (opts.pick !== undefined && opts.after !== undefined)
    throw new Error(`request "${name}": pick and after cannot go together; do the pick in the after hook`);
  const auth = opts.auth ?? (opts.form !== undefined ? 'none' : 'token');
  return { kind: 'request', name, method, url, ...opts, auth, expect: opts.expect ?? 200 };
}

export const pause = (ms: number): PauseStep => ({ kind: 'pause', ms });
export const when = (condition: Condition, ...steps: Step[]): WhenStep => ({
  kind: 'when',
  condition,
  steps,
});
/** Steps that need the id the previous request picked; skipped (and counted) when it found none. */
export const ifFound = (...steps: Step[]): WhenStep => when('found', ...steps);
export const repeat = (count: number, ...steps: Step[]): RepeatStep => ({ kind: 'repeat', count, steps });
export const call = (fn: CallHook): CallStep => ({ kind: 'call', fn });

export function task(id: string, weight: number, ...steps: Step[]): TaskDef {
  return { id, weight, steps };
}

/** Adds the Locust suite's label for the README table to a task. */
export function locust(label: string, taskDef: TaskDef): TaskDef {
  return { ...taskDef, locust: label };
}

export function userClass(def: UserClassDef): UserClassDef {
  if (def.login === null) {
    // Without a login at start the user has no token: it must never send `Bearer undefined`.
    const tokened = def.tasks.flatMap((t) => requestsOf(t.steps)).find((r) => r.auth === 'token');
    if (tokened)
      throw new Error(
        `class ${def.name} has no login, but "${tokened.name}" sends its token: ` +
          "give it auth: 'none' or 'rapidToken', or the class a login",
      );
  }
  return def;
}

// ---- what the definitions imply ---------------------------------------------------------------------------

/** Every step of a list, nested ones included, in order. */
export function* walk(steps: readonly Step[]): Generator<Step> {
  for (const step of steps) {
    yield step;
    if (step.kind === 'when' || step.kind === 'repeat') yield* walk(step.steps);
  }
}

export const requestsOf = (steps: readonly Step[]): RequestStep[] =>
  [...walk(steps)].filter((s): s is RequestStep => s.kind === 'request');

/** The `{{ q.* }}` values a task's URLs use: drawn for that task only. */
export function queryKeysOf(taskDef: TaskDef): QueryKey[] {
  const keys = new Set<QueryKey>();
  for (const requestStep of requestsOf(taskDef.steps)) {
    for (const match of requestStep.url.matchAll(/\{\{\s*q\.(\w+)\s*\}\}/g)) keys.add(match[1] as QueryKey);
  }
  return [...keys];
}

/** The in-task pauses in order: `{{ pauseN }}` in flows.yml is the N-th. */
export const pausesOf = (taskDef: TaskDef): number[] =>
  [...walk(taskDef.steps)].filter((s): s is PauseStep => s.kind === 'pause').map((s) => s.ms);

export const flipsCoin = (taskDef: TaskDef): boolean =>
  [...walk(taskDef.steps)].some((s) => s.kind === 'when' && COIN.includes(s.condition));

/** Requests that send the run's password: bcrypt runs for each, so they get the login latency target. */
export const checksPassword = (r: RequestStep): boolean => r.form === 'user' || r.form === 'admin';

/** Every request name a class sends, its first login first, in flow order, without repeats. */
export function requestNames(cls: UserClassDef): string[] {
  const names: string[] = cls.login ? [cls.login] : [];
  for (const taskDef of cls.tasks)
    for (const requestStep of requestsOf(taskDef.steps)) names.push(requestStep.name);
  return [...new Set(names)];
}
