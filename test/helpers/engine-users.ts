// Runs users of the pack's classes in this process, on either engine, as Artillery's runner would: the
// before hook's variables (beginRun against the given API), then the engine's scenario for each user. The
// HTTP engine runs flows.yml's btcw-user scenario; the btcw engine its btcw-engine-user. A recording hook
// on the scenario's afterResponse list keeps every request a user sent, for comparing the engines.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { BtcwEngine } from '../../engine/engine.js';
import { ROOT } from '../../lib/root.js';
import * as processors from '../../processors/index.js';
import { type EmitRecorder, emitRecorder } from './engine-recorder.js';

export interface SentRequest {
  name: string;
  method: string;
  /** Path and query, without the origin. */
  url: string;
  bodyKeys: string[];
  expect: string;
}

type Vars = Record<string, unknown>;
type Scenario = Record<string, unknown> & { flow: unknown[] };
type Engine = {
  init?(): Promise<void>;
  createScenario(spec: Scenario, ee: unknown): (ctx: unknown, cb: (err: unknown) => void) => void;
};

const FLOWS = path.join(ROOT, 'scenarios', 'flows.yml');

type Flows = { config: { variables: Vars }; scenarios: Scenario[] };
let parsedFlows: Flows | undefined;

/** flows.yml, parsed once per test file (41 KB of YAML took 80 ms a parse), as a fresh copy per run. */
function flows(): Flows {
  parsedFlows ??= parse(readFileSync(FLOWS, 'utf8')) as Flows;
  return structuredClone(parsedFlows);
}

/** Artillery's own HTTP engine class, from the installed package. */
async function httpEngineClass(): Promise<new (script: unknown) => Engine> {
  const file = path.join(ROOT, 'node_modules', 'artillery', 'dist', 'lib', 'core', 'engine_http.js');
  return ((await import(file)) as { default: new (script: unknown) => Engine }).default;
}

export type ScenarioHook = (context: { vars: Vars }, ee: unknown, done: (err?: Error) => void) => void;

export interface UsersRun {
  ee: EmitRecorder;
  /** Per user (in the order they ran), what it sent. */
  sent: SentRequest[][];
  /** What each user's callback got: null, or the error that ended it. */
  ends: unknown[];
}

/**
 * Runs one user of each class in `classes`, one after another (so the API's state is each user's own
 * doing), for `runSeconds` each, on `engine`. `freshApi` gives the origin of an API in its first state.
 */
export async function runUsers(opts: {
  engine: 'http' | 'btcw';
  classes: readonly string[];
  runSeconds: number;
  thinkFactor: number;
  timeoutSeconds: number;
  freshApi: () => Promise<{ origin: string; close(): Promise<void> }>;
  seed?: number;
  /** After the before hook (its fixtures need a working API), before the user: switch faults on, say. */
  afterSetUp?: (origin: string) => Promise<void>;
  /** After the user, before the after hook's clean-up: switch faults off, so the clean-up is quick. */
  beforeCleanUp?: (origin: string) => Promise<void>;
  /** List metrics-by-endpoint's hooks on the scenario, as the plugin does in a run. */
  byEndpoint?: boolean;
  /** Where the users' metrics go: a recorder shared by runs made side by side sums them all. */
  ee?: EmitRecorder;
  /** Scenario-level hooks, `fn(context, ee, done)`, as a plugin adds them (artillery-plugin-expect does). */
  beforeScenario?: ScenarioHook;
  afterScenario?: ScenarioHook;
}): Promise<UsersRun> {
  const doc = flows();
  const ee = opts.ee ?? emitRecorder();
  const sent: SentRequest[][] = [];
  const ends: unknown[] = [];
  const Http = opts.engine === 'http' ? await httpEngineClass() : null;
  for (const cls of opts.classes) {
    const api = await opts.freshApi();
    const mine: SentRequest[] = [];
    const record = (req: Vars, _res: unknown, _ctx: unknown, _ee: unknown, done: () => void) => {
      const json = req.json as Vars | undefined;
      const form = req.form as Vars | undefined;
      mine.push({
        name: String(req.name),
        method: String(req.method).toUpperCase(),
        url: String(req.url).slice(api.origin.length),
        bodyKeys: Object.keys(json ?? form ?? {}).sort(),
        expect: JSON.stringify(req.expect),
      });
      done();
    };
    const processor: Vars = {
      ...processors,
      recordSent: record,
      testBeforeScenario: opts.beforeScenario,
      testAfterScenario: opts.afterScenario,
    };
    const script = {
      config: { target: api.origin, http: { timeout: opts.timeoutSeconds }, processor },
    };
    const vars: Vars = {
      ...doc.config.variables,
      target: api.origin,
      $environment: 'local',
      runSeconds: opts.runSeconds,
      thinkFactor: opts.thinkFactor,
      userMix: cls,
    };
    await processors.beginRun({ vars } as never, ee as never);
    vars.runSeed = opts.seed ?? 42;
    await opts.afterSetUp?.(api.origin);
    // A copy for each user: its hook lists are flows.yml's plus this user's, not the users' before it too.
    const spec = { ...doc.scenarios[opts.engine === 'http' ? 0 : 1]! };
    const afterResponse = [...((spec.afterResponse as string[]) ?? []), 'recordSent'];
    spec.afterResponse = afterResponse;
    if (opts.beforeScenario) spec.beforeScenario = ['testBeforeScenario'];
    if (opts.afterScenario) spec.afterScenario = ['testAfterScenario'];
    if (opts.byEndpoint) {
      spec.beforeRequest = ['metricsByEndpoint_beforeRequest'];
      afterResponse.push('metricsByEndpoint_afterResponse');
      spec.onError = [...((spec.onError as string[]) ?? []), 'metricsByEndpoint_onError'];
    }
    const engine = Http ? new Http(script) : (new BtcwEngine(script as never) as unknown as Engine);
    await engine.init?.(); // the HTTP engine makes its client here, as loadEngines awaits it
    const scenario = engine.createScenario(spec, ee);
    const context = { vars: { ...vars }, funcs: {}, _uid: cls, scenario: spec };
    ends.push(await new Promise((resolve) => scenario(context, (err) => resolve(err ?? null))));
    await opts.beforeCleanUp?.(api.origin);
    await processors.endRun({ vars } as never, ee as never);
    sent.push(mine);
    await api.close();
  }
  return { ee, sent, ends };
}
