// The Artillery engine (loadEngines: `new Engine(script, ee, helpers)`, `createScenario(spec, ee)` returning
// `(context, callback)`). Each virtual user is one user of the classes in processors/classes/, run from the
// class model with the processor functions the HTTP engine calls from flows.yml (startUser, the logins,
// picks, bodies, nextTask, endUser), so a seed gives both engines the same requests. What differs is
// Locust's failure semantics: a timeout, a reset or a refused connection is a failed request, counted under
// its name and code, and the user goes on; a login is retried on those too. A user ends early
// (btcw.users_stopped.<reason>) only on a refused login, or on the generator's own error (a failed hook,
// an engine bug).
import { setTimeout as delay } from 'node:timers/promises';
import { ENGINE_ERROR, HOOK_FAILED, USERS_STOPPED } from '../lib/metrics.js';
import { UserStopSignal } from '../lib/user-stop.js';
import { CLASS_DEFINITIONS } from '../processors/catalogue.js';
import { holds } from '../processors/task-vars.js';
import { ENGINE_VAR, state } from '../processors/user-state.js';
import { compilePrograms, type Hook, hookOf, type Node, type Program, type RequestNode } from './program.js';
import { type Emitter, type Outcome, send } from './request.js';

interface Script {
  config: { target: string; http?: { timeout?: number }; processor?: unknown };
}

/** A scenario as Artillery hands it over: only its hook lists matter (the flow comes from the classes). */
interface ScenarioSpec {
  /** Run before the user's first step and after its last, as the HTTP engine does (`fn(context, ee, done)`):
   * artillery-plugin-expect sets its per-user options in one. */
  beforeScenario?: string | string[];
  afterScenario?: string | string[];
  beforeRequest?: string | string[];
  afterResponse?: string | string[];
  onError?: string | string[];
}

type Vars = Record<string, unknown>;
interface Context {
  vars: Vars;
}
type Done = (err: Error | null, context: Context) => void;
type Events = Emitter & { emit(kind: string, ...args: unknown[]): unknown };

// metrics-by-endpoint's hooks: the engine emits their names itself (request.ts), without the plugin's URL
// parsing on every request (docs/engines.md).
const BY_ENDPOINT_HOOK = /^metricsByEndpoint_/;

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** The request a hook sees: the HTTP engine's request params, for the fields the pack's hooks read. */
class RequestParams {
  name: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  expect: unknown;
  btcwPick: unknown;
  btcwBody: unknown;
  form: Readonly<Record<string, string>> | undefined;
  json: unknown;

  constructor(node: RequestNode, url: string, headers: Record<string, string>) {
    const plan = node.plan;
    this.name = plan.name;
    this.url = url;
    this.method = plan.method;
    this.headers = headers;
    this.expect = plan.expect;
    this.btcwPick = plan.btcwPick;
    this.btcwBody = plan.btcwBody;
    this.form = plan.form;
    this.json = plan.json;
  }
}

/** The response a hook sees: the HTTP engine's contract (statusCode, headers, body, timings.phases). */
class Response {
  readonly timings: { phases: { firstByte: number; total: number } };
  constructor(
    readonly statusCode: number,
    readonly headers: Record<string, string | string[] | undefined>,
    readonly body: string,
    firstByte: number,
    total: number,
  ) {
    this.timings = { phases: { firstByte, total } };
  }
}

/** A processor function called back with an error, threw or rejected: its user ends. */
class HookFailed extends Error {
  constructor(hook: string, cause: unknown) {
    super(`${hook}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** The error, and where it came from: the hook's own frame, not the engine's that rethrew it. */
function errorWithFrame(err: unknown): string {
  const source = err instanceof HookFailed ? err.cause : err;
  const frame = source instanceof Error ? source.stack?.split('\n')[1]?.trim() : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return frame ? `${message} (${frame})` : message;
}

/** The run is stopping: the user ends before its next request (lib/user-stop.ts). */
class UserStopped extends Error {}

/**
 * One user's run. The processor functions call back (`done`, or `next(go)` for a whileTrue); a user calls
 * one at a time, so one callback per user serves them all without a closure per call.
 */
class UserRun {
  private settled = false;
  private value: unknown;
  private resume: (() => void) | null = null;
  private readonly callback = (value?: unknown) => {
    this.value = value;
    this.settled = true;
    const resume = this.resume;
    if (resume !== null) {
      this.resume = null;
      resume();
    }
  };

  /** Ends a wait for a callback early: the run stops during a think time. */
  private readonly wake = () => {
    const resume = this.resume;
    if (resume !== null) {
      this.resume = null;
      resume();
    }
  };

  constructor(
    private readonly engine: BtcwEngine,
    private readonly context: Context,
    private readonly ee: Events,
  ) {}

  /**
   * Calls a processor function with `count` arguments (as Artillery calls that kind of hook) and its
   * callback; resolves to what it called back with. Fixed arguments, not a rest array: hooks run several
   * times per request.
   */
  private async invoke(
    hook: Hook,
    count: 1 | 2 | 3 | 4,
    arg1: unknown,
    arg2?: unknown,
    arg3?: unknown,
    arg4?: unknown,
  ) {
    this.settled = false;
    this.value = undefined;
    const fn = hook.fn;
    try {
      if (hook.promised) {
        await (count === 2
          ? fn(arg1, arg2)
          : count === 3
            ? fn(arg1, arg2, arg3)
            : fn(arg1, arg2, arg3, arg4));
        return undefined;
      }
      if (count === 1) fn(arg1, this.callback);
      else if (count === 2) fn(arg1, arg2, this.callback);
      else if (count === 3) fn(arg1, arg2, arg3, this.callback);
      else fn(arg1, arg2, arg3, arg4, this.callback);
    } catch (err) {
      throw new HookFailed(hook.name, err);
    }
    if (!this.settled) await new Promise<void>((resolve) => (this.resume = resolve));
    return this.value;
  }

  /** A hook that called back with an error ends the user, as on the HTTP engine. */
  private async hook(
    hook: Hook,
    count: 2 | 3 | 4,
    arg1: unknown,
    arg2: unknown,
    arg3?: unknown,
    arg4?: unknown,
  ) {
    const err = await this.invoke(hook, count, arg1, arg2, arg3, arg4);
    if (err instanceof Error) throw new HookFailed(hook.name, err);
  }

  /** A whileTrue function: `fn(context, next(go))`. */
  private async whileTrue(hook: Hook): Promise<boolean> {
    // nextTask waits out the think time before it calls back: a stop must not wait for it. A stop that
    // came during the request before would wake no one, so it ends the user here.
    const stop = this.engine.stop;
    if (stop.stopping) throw new UserStopped();
    stop.wait(this.wake);
    const answer = await this.invoke(hook, 1, this.context);
    stop.unwait(this.wake);
    if (stop.stopping) {
      this.resume = null; // the think time's late callback then finds nothing to resume
      throw new UserStopped();
    }
    return answer === true;
  }

  async run(): Promise<void> {
    const { context, ee, engine } = this;
    const vars = context.vars;
    vars[ENGINE_VAR] = 'btcw';
    for (const hook of engine.beforeScenario) await this.hook(hook, 2, context, ee);
    await this.hook(engine.fn.startUser, 2, context, ee);
    try {
      await this.loop();
    } catch (err) {
      if (!(err instanceof UserStopped)) throw err;
    }
    await this.hook(engine.fn.endUser, 2, context, ee);
    for (const hook of engine.afterScenario) await this.hook(hook, 2, context, ee);
  }

  private async loop(): Promise<void> {
    const { context, engine } = this;
    const vars = context.vars;
    const user = state(context);
    const program = engine.program(user.cls.name);
    do {
      if (user.loginDue) {
        if (!user.loginDeferred) await this.login(program.firstLogin, engine.fn.firstLoginDue);
      } else if (vars.needLogin !== undefined) await this.login(program.relogin, engine.fn.reloginDue);
      if (!user.loginDue && vars.task !== undefined)
        await this.steps(program.tasks.get(vars.taskId as string) ?? []);
    } while (await this.whileTrue(engine.fn.nextTask));
  }

  /** Sends a login while its whileTrue says so (again after a backoff, or not once it got a token). */
  private async login(node: RequestNode | null, due: Hook): Promise<void> {
    if (node === null) return;
    do await this.request(node);
    while (await this.whileTrue(due));
  }

  private async steps(nodes: readonly Node[]): Promise<void> {
    const vars = this.context.vars;
    for (const node of nodes) {
      switch (node.kind) {
        case 'request':
          await this.request(node);
          break;
        case 'pause': {
          const ms = Number(vars[node.variable]);
          if (ms > 0) await this.pause(ms);
          break;
        }
        case 'when':
          if (holds(vars, node.condition)) await this.steps(node.steps);
          break;
        case 'repeat':
          for (let pass = 0; pass < node.count; pass++) await this.steps(node.steps);
          break;
        case 'call':
          await this.hook(node.hook, 2, this.context, this.ee);
          break;
      }
    }
  }

  /** A think time, cut short when the run stops. */
  private async pause(ms: number): Promise<void> {
    try {
      await delay(ms, undefined, { signal: this.engine.stop.signal });
    } catch {
      throw new UserStopped();
    }
  }

  private async request(node: RequestNode): Promise<void> {
    const { context, ee, engine } = this;
    if (engine.stop.stopping) throw new UserStopped();
    const vars = context.vars;
    const path = node.url.render(vars);
    const headers: Record<string, string> = {};
    const auth = node.plan.auth;
    if (auth !== 'none') headers.authorization = `Bearer ${vars[auth]}`;
    const req = new RequestParams(node, engine.origin + path, headers);
    for (const fn of node.before) await this.hook(fn, 3, req, context, ee);
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const out: Outcome = await send(
      engine.origin,
      {
        name: req.name,
        method: node.plan.method,
        path,
        headers,
        body,
        timeoutMs: engine.timeoutMs,
        byEndpoint: engine.byEndpoint,
      },
      ee,
    );
    if (out.ok) {
      const res = new Response(out.status, out.headers, out.body, out.ms, out.totalMs);
      for (const fn of node.after) await this.hook(fn, 4, req, res, context, ee);
    } else {
      const err = Object.assign(new Error(out.code), { code: out.code });
      for (const fn of node.onError) await this.hook(fn, 4, err, req, context, ee);
    }
  }
}

export class BtcwEngine {
  readonly origin: string;
  readonly timeoutMs: number;
  /** Whether the scenario lists metrics-by-endpoint's hooks: the engine then emits its names. */
  byEndpoint = false;
  beforeScenario: readonly Hook[] = [];
  afterScenario: readonly Hook[] = [];
  /** Set when the main thread stops the run: users start no new request. */
  readonly stop = new UserStopSignal();
  private readonly script: Script;
  /** The first error that ends a user is printed once per worker, so a broken hook is seen. */
  private errorShown = false;
  private programs: Map<string, Program> | null = null;
  private functions: Record<
    'startUser' | 'nextTask' | 'endUser' | 'firstLoginDue' | 'reloginDue',
    Hook
  > | null = null;

  constructor(script: Script) {
    this.script = script;
    this.origin = new URL(script.config.target).origin;
    this.timeoutMs = (script.config.http?.timeout ?? 30) * 1000;
  }

  get fn(): NonNullable<BtcwEngine['functions']> {
    return this.functions!;
  }

  program(name: string): Program {
    const found = this.programs?.get(name);
    if (found === undefined) throw new Error(`class ${name} has no program`);
    return found;
  }

  /** Compiled when the first scenario is: by then the plugins have added their hooks and functions. */
  private compile(spec: ScenarioSpec): void {
    const processor = (this.script.config.processor ?? {}) as Record<string, unknown>;
    const keep = (names: string[]) => {
      const kept = names.filter((n) => !BY_ENDPOINT_HOOK.test(n));
      if (kept.length < names.length) this.byEndpoint = true;
      return kept;
    };
    this.programs = compilePrograms(CLASS_DEFINITIONS, processor, {
      beforeRequest: keep(list(spec.beforeRequest)),
      afterResponse: keep(list(spec.afterResponse)),
      onError: keep(list(spec.onError)),
    });
    const of = (n: string) => hookOf(processor, n);
    this.beforeScenario = keep(list(spec.beforeScenario)).map(of);
    this.afterScenario = keep(list(spec.afterScenario)).map(of);
    this.functions = {
      startUser: of('startUser'),
      nextTask: of('nextTask'),
      endUser: of('endUser'),
      firstLoginDue: of('firstLoginDue'),
      reloginDue: of('reloginDue'),
    };
  }

  createScenario(spec: ScenarioSpec, ee: Events) {
    this.compile(spec);
    return (context: Context, done: Done): void => {
      // After a stop, Artillery's callback is not called: with no user pending the worker would report its
      // run done, and the main thread would write its own `-o` file over the stopped run's. The workers end
      // with the shutdown. Arrivals go on after a stop (the phases do not know of it) and do nothing.
      if (this.stop.stopping) return;
      ee.emit('started');
      this.stop.userStarted();
      new UserRun(this, context, ee).run().then(
        () => {
          this.stop.userEnded();
          if (!this.stop.stopping) done(null, context);
        },
        (err: unknown) => {
          this.stop.userEnded();
          const reason = err instanceof HookFailed ? HOOK_FAILED : ENGINE_ERROR;
          ee.emit('error', reason);
          // As a stop reason too, so that the verdict's "stopped early" line counts the users lost this way
          // (the HTTP engine's hook errors end a user the same way, under errors.* only).
          ee.emit('counter', `${USERS_STOPPED}${reason}`, 1);
          if (!this.errorShown) {
            this.errorShown = true;
            console.error(`btcw engine: a user ended on an error: ${errorWithFrame(err)}`);
          }
          done(err instanceof Error ? err : new Error(String(err)), context);
        },
      );
    };
  }
}

export default BtcwEngine;
