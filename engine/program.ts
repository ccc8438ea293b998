// The user classes of processors/classes/, compiled once per worker for the engine: each step kind of the
// class model (user-class.ts) becomes a node the user loop runs; a request node holds its plan (the same
// processors/request-plan.ts that flows.yml is written from) with its URL split and its hooks looked up in
// the processor module, scenario-level ones first as the HTTP engine runs them.
import { loginPlan, RELOGIN, type RequestPlan, requestPlan } from '../processors/request-plan.js';
import { pauseVar } from '../processors/task-vars.js';
import type { CallHook, Condition, Step, UserClassDef } from '../processors/user-class.js';
import { UrlTemplate } from './url-template.js';

// biome-ignore lint/suspicious/noExplicitAny: processor functions take Artillery's untyped arguments.
export type HookFn = (...args: any[]) => unknown;
/** A processor function and how it says it is done: a callback (`done`), or the promise it returns. */
export interface Hook {
  fn: HookFn;
  promised: boolean;
  /** Its name in the processor module, for the error that ends a user. */
  name: string;
}

export interface RequestNode {
  kind: 'request';
  plan: RequestPlan;
  url: UrlTemplate;
  before: readonly Hook[];
  after: readonly Hook[];
  onError: readonly Hook[];
}

export type Node =
  | RequestNode
  | { kind: 'pause'; variable: string }
  | { kind: 'when'; condition: Condition; steps: readonly Node[] }
  | { kind: 'repeat'; count: number; steps: readonly Node[] }
  | { kind: 'call'; hook: Hook };

export interface Program {
  firstLogin: RequestNode | null;
  relogin: RequestNode | null;
  tasks: ReadonlyMap<string, readonly Node[]>;
}

/** The scenario's own hook lists (the plugins add theirs there), by name. */
export interface ScenarioHooks {
  beforeRequest: readonly string[];
  afterResponse: readonly string[];
  onError: readonly string[];
}

export class ProgramError extends Error {}

export function hookOf(processor: Record<string, unknown>, name: string): Hook {
  const fn = processor[name];
  if (typeof fn !== 'function')
    throw new ProgramError(`the processor module has no function "${name}" (processors/index.ts)`);
  return { fn: fn as HookFn, promised: fn.constructor.name === 'AsyncFunction', name };
}

export function compilePrograms(
  classes: readonly UserClassDef[],
  processor: Record<string, unknown>,
  scenario: ScenarioHooks,
): Map<string, Program> {
  const hooks = (names: readonly string[]) => names.map((n) => hookOf(processor, n));
  const shared = {
    before: hooks(scenario.beforeRequest),
    after: hooks(scenario.afterResponse),
    onError: hooks(scenario.onError),
  };
  const requestNode = (plan: RequestPlan): RequestNode => ({
    kind: 'request',
    plan,
    url: new UrlTemplate(plan.url),
    before: plan.beforeRequest ? [...shared.before, hookOf(processor, plan.beforeRequest)] : shared.before,
    after: plan.afterResponse ? [...shared.after, hookOf(processor, plan.afterResponse)] : shared.after,
    onError: plan.onError ? [...shared.onError, hookOf(processor, plan.onError)] : shared.onError,
  });
  const nodes = (steps: readonly Step[], pauses: { n: number }): Node[] =>
    steps.map((step): Node => {
      switch (step.kind) {
        case 'request':
          return requestNode(requestPlan(step));
        case 'pause':
          pauses.n++;
          return { kind: 'pause', variable: pauseVar(pauses.n) };
        case 'when':
          return { kind: 'when', condition: step.condition, steps: nodes(step.steps, pauses) };
        case 'repeat':
          return { kind: 'repeat', count: step.count, steps: nodes(step.steps, pauses) };
        default:
          return { kind: 'call', hook: hookOf(processor, step.fn satisfies CallHook) };
      }
    });
  const programs = new Map<string, Program>();
  for (const cls of classes) {
    programs.set(cls.name, {
      firstLogin: cls.login === null ? null : requestNode(loginPlan(cls.login)),
      relogin: cls.login === null ? null : requestNode(loginPlan(RELOGIN)),
      tasks: new Map(cls.tasks.map((t) => [t.id, nodes(t.steps, { n: 0 })])),
    });
  }
  return programs;
}
