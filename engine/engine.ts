// The Artillery engine (loadEngines: `new Engine(script, ee, helpers)`, `createScenario(spec, ee)` returning
// `(context, callback)`). Each virtual user is one user of the classes in processors/classes/, run from the
// class model with the processor functions the HTTP engine calls from flows.yml (startUser, the logins,
// picks, bodies, nextTask, endUser), so a seed gives both engines the same requests. What differs is
// Locust's failure semantics: a timeout, a reset or a refused connection is a failed request, counted under
// its name and code, and the user goes on; a login is retried on those too; only a refused login ends a
// user early (btcw.users_stopped.<reason>).
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
    const p = node.plan;
    this.name = p.name;
    this.url = url;
    this.method = p.method;
    this.headers = headers;
    this.expect = p.expect;
    this.btcwPick = p.btcwPick;
    this.btcwBody = p.btcwBody;
    this.form = p.form;
    this.json = p.json;
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

class HookFailed extends Error {}

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
    const r = this.resume;
    if (r !== null) {
      this.resume = null;
      r();
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
  private async invoke(hook: Hook, count: 1 | 2 | 3 | 4, a: unknown, b?: unknown, c?: unknown, d?: unknown) {
    this.settled = false;
    this.value = undefined;
    const fn = hook.fn;
    if (hook.promised) {
      await (count === 2 ? fn(a, b) : count === 3 ? fn(a, b, c) : fn(a, b, c, d));
      return undefined;
    }
    if (count === 1) fn(a, this.callback);
    else if (count === 2) fn(a, b, this.callback);
    else if (count === 3) fn(a, b, c, this.callback);
    else fn(a, b, c, d, this.callback);
    if (!this.settled) await new Promise<void>((resolve) => (this.resume = resolve));
    return this.value;
  }

  /** A hook that called back with an error ends the user, as on the HTTP engine. */
  private async hook(hook: Hook, count: 2 | 3 | 4, a: unknown, b: unknown, c?: unknown, d?: unknown) {
    const err = await this.invoke(hook, count, a, b, c, d);
    if (err instanceof Error) throw new HookFailed(err.message);
  }

  /** A whileTrue function: `fn(context, next(go))`. */
  private async whileTrue(hook: Hook): Promise<boolean> {
    return (await this.invoke(hook, 1, this.context)) === true;
  }

  async run(): Promise<void> {
    const { context, ee, engine } = this;
    const v = context.vars;
    v[ENGINE_VAR] = 'btcw';
    await this.hook(engine.fn.startUser, 2, context, ee);
    const s = state(context);
    const program = engine.program(s.cls.name);
    do {
      if (s.loginDue) {
        if (!s.loginDeferred) await this.login(program.firstLogin, engine.fn.firstLoginDue);
      } else if (v.needLogin !== undefined) await this.login(program.relogin, engine.fn.reloginDue);
      if (!s.loginDue && v.task !== undefined) await this.steps(program.tasks.get(v.taskId as string) ?? []);
    } while (await this.whileTrue(engine.fn.nextTask));
    await this.hook(engine.fn.endUser, 2, context, ee);
  }

  /** Sends a login while its whileTrue says so (again after a backoff, or not once it got a token). */
  private async login(node: RequestNode | null, due: Hook): Promise<void> {
    if (node === null) return;
    do await this.request(node);
    while (await this.whileTrue(due));
  }

  private async steps(nodes: readonly Node[]): Promise<void> {
    const v = this.context.vars;
    for (const node of nodes) {
      switch (node.kind) {
        case 'request':
          await this.request(node);
          break;
        case 'pause': {
          const ms = Number(v[node.variable]);
          if (ms > 0) await sleep(ms);
          break;
        }
        case 'when':
          if (holds(v, node.condition)) await this.steps(node.steps);
          break;
        case 'repeat':
          for (let i = 0; i < node.count; i++) await this.steps(node.steps);
          break;
        case 'call':
          await this.hook(node.hook, 2, this.context, this.ee);
          break;
      }
    }
  }

  private async request(node: RequestNode): Promise<void> {
    const { context, ee, engine } = this;
    const v = context.vars;
    const path = node.url.render(v);
    const headers: Record<string, string> = {};
    const auth = node.plan.auth;
    if (auth !== 'none') headers.authorization = `Bearer ${v[auth]}`;
    const req = new RequestParams(node, engine.origin + path, headers);
    for (const h of node.before) await this.hook(h, 3, req, context, ee);
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
      for (const h of node.after) await this.hook(h, 4, req, res, context, ee);
    } else {
      const err = Object.assign(new Error(out.code), { code: out.code });
      for (const h of node.onError) await this.hook(h, 4, err, req, context, ee);
    }
  }
}

export class BtcwEngine {
  readonly origin: string;
  readonly timeoutMs: number;
  /** Whether the scenario lists metrics-by-endpoint's hooks: the engine then emits its names. */
  byEndpoint = false;
  private readonly script: Script;
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
    const p = this.programs?.get(name);
    if (p === undefined) throw new Error(`class ${name} has no program`);
    return p;
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
      ee.emit('started');
      new UserRun(this, context, ee).run().then(
        () => done(null, context),
        (err: unknown) => {
          ee.emit('error', err instanceof HookFailed ? 'hook_failed' : 'engine_error');
          done(err instanceof Error ? err : new Error(String(err)), context);
        },
      );
    };
  }
}

export default BtcwEngine;
