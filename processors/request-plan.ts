// What one request step sends, worked out once from its definition (user-class.ts): the flows.yml generator
// writes it as an Artillery request for the HTTP engine, and the btcw engine (engine/) sends it, so the two
// cannot drift apart. The hooks a plan names are functions of the processor module (processors/index.ts):
// the HTTP engine calls them from the YAML, the btcw engine by the same names from the same module.
import type { AfterHook, Body, Expect, Method, Pick, RequestStep } from './user-class.js';

export const API = '/api/v1';
/** The re-login a user makes when its token nears expiry or was refused (processors/user-hooks.ts). */
export const RELOGIN = 'POST /auth/token [RELOGIN]';

export type BeforeRequestHook = 'userLoginForm' | 'adminLoginForm' | 'buildBody';
export type AfterResponseHook = AfterHook | 'pickId' | 'afterLogin';
/** A login's own error hook: only the btcw engine calls it (the HTTP engine ends the user instead). */
export type LoginErrorHook = 'loginErrored';

export interface RequestPlan {
  name: string;
  method: Method;
  /** The whole path, /api/v1 included, with its `{{ }}` templates. */
  url: string;
  /** The bearer token the request carries: `Bearer {{ token }}` or `Bearer {{ rapidToken }}`. */
  auth: RequestStep['auth'];
  /** A literal login form (the run's credentials come from a beforeRequest hook, never from here). */
  form?: Readonly<Record<string, string>>;
  json?: Readonly<Record<string, unknown>>;
  beforeRequest?: BeforeRequestHook;
  afterResponse?: AfterResponseHook;
  onError?: LoginErrorHook;
  /** Read by buildBody: which payload to build. */
  btcwBody?: Body;
  /** Read by pickId: which id to take from the list. */
  btcwPick?: Pick;
  /** artillery-plugin-expect's form, which the targets plugin grades by as well. */
  expect: readonly [{ statusCode: Expect }];
}

function beforeRequestOf(step: RequestStep): BeforeRequestHook | undefined {
  if (step.form === 'user') return 'userLoginForm';
  if (step.form === 'admin') return 'adminLoginForm';
  return step.body === undefined ? undefined : 'buildBody';
}

export function requestPlan(step: RequestStep): RequestPlan {
  const plan: RequestPlan = {
    name: step.name,
    method: step.method,
    url: API + step.url,
    auth: step.auth,
    expect: [{ statusCode: step.expect }],
  };
  const before = beforeRequestOf(step);
  if (before !== undefined) plan.beforeRequest = before;
  if (typeof step.form === 'object') plan.form = step.form;
  if (step.json !== undefined) plan.json = step.json;
  if (step.body !== undefined) plan.btcwBody = step.body;
  if (step.pick !== undefined) {
    plan.afterResponse = 'pickId';
    plan.btcwPick = step.pick;
  }
  if (step.after !== undefined) plan.afterResponse = step.after;
  return plan;
}

/** The login at start (the class's own request name) or a re-login (RELOGIN): with the run's user. */
export function loginPlan(name: string): RequestPlan {
  return {
    name,
    method: 'POST',
    url: `${API}/auth/token`,
    auth: 'none',
    beforeRequest: 'userLoginForm',
    afterResponse: 'afterLogin',
    onError: 'loginErrored',
    expect: [{ statusCode: 200 }],
  };
}
