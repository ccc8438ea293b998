// scenarios/flows.yml from the user-class definitions (processors/classes/*.ts). Pure: definitions in, YAML
// text out; tools/generate-flows.ts writes it. The YAML stays plain Artillery, cheap to run: each class is
// one block entered once per user, whose loop holds only that class's tasks, and the think time and the
// next task's choice happen in the loop's whileTrue (nextTask), not in steps of their own.
import { loginPlan, RELOGIN, type RequestPlan, requestPlan } from '../processors/request-plan.js';
import { CONDITIONS_VAR, pauseVar } from '../processors/task-vars.js';
import {
  checksPassword,
  requestsOf,
  type Step,
  type TaskDef,
  type UserClassDef,
} from '../processors/user-class.js';

export { RELOGIN };

/** A YAML flow value: plain keys, JSON strings (valid YAML double-quoted scalars), numbers, arrays, maps. */
function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).map(
      ([k, x]) => `${/^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k)}: ${flow(x)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  if (typeof v === 'string' && /^[\w/.-]+$/.test(v) && !/^(true|false|null|yes|no|on|off|\d.*)$/i.test(v))
    return v;
  return JSON.stringify(v);
}

class Lines {
  readonly out: string[] = [];
  add(indent: number, text: string): void {
    this.out.push(`${' '.repeat(indent)}${text}`);
  }
}

/** One request as an Artillery request (the `- get:` item), at `indent`: the plan the btcw engine sends. */
function emitRequest(l: Lines, indent: number, r: RequestPlan): void {
  l.add(indent, `- ${r.method.toLowerCase()}:`);
  const i = indent + 4;
  l.add(i, `name: ${JSON.stringify(r.name)}`);
  l.add(i, `url: ${flow(r.url)}`);
  if (r.auth !== 'none') l.add(i, `headers: { authorization: "Bearer {{ ${r.auth} }}" }`);
  if (r.beforeRequest !== undefined) l.add(i, `beforeRequest: ${r.beforeRequest}`);
  if (r.form !== undefined) l.add(i, `form: ${flow(r.form)}`);
  if (r.json !== undefined) l.add(i, `json: ${flow(r.json)}`);
  if (r.btcwBody !== undefined) l.add(i, `btcwBody: ${flow(r.btcwBody)}`);
  if (r.afterResponse !== undefined) l.add(i, `afterResponse: ${r.afterResponse}`);
  if (r.btcwPick !== undefined) l.add(i, `btcwPick: ${flow(r.btcwPick)}`);
  // r.onError is the btcw engine's: the HTTP engine runs only scenario-level onError hooks.
  l.add(i, `expect: ${flow(r.expect)}`);
}

function emitSteps(l: Lines, indent: number, steps: readonly Step[], pauses: { n: number }): void {
  for (const s of steps) {
    switch (s.kind) {
      case 'request':
        emitRequest(l, indent, requestPlan(s));
        break;
      case 'pause':
        pauses.n++;
        l.add(indent, `- think: "{{ ${pauseVar(pauses.n)} }}ms"`);
        break;
      case 'call':
        l.add(indent, `- function: ${s.fn}`);
        break;
      case 'when':
        l.add(indent, '- loop:');
        emitSteps(l, indent + 4, s.steps, pauses);
        l.add(indent + 2, `over: ${CONDITIONS_VAR}.${s.condition}`);
        break;
      case 'repeat':
        l.add(indent, '- loop:');
        emitSteps(l, indent + 4, s.steps, pauses);
        l.add(indent + 2, `count: ${s.count}`);
        break;
    }
  }
}

function emitTask(l: Lines, indent: number, t: TaskDef): void {
  l.add(indent, `- loop: # ${t.id}, weight ${t.weight}`);
  emitSteps(l, indent + 4, t.steps, { n: 0 });
  l.add(indent + 2, `over: task.${t.id}`);
}

function login(l: Lines, indent: number, name: string, whileTrue: string): void {
  emitRequest(l, indent, loginPlan(name));
  l.add(indent - 2, `whileTrue: ${whileTrue}`);
}

/**
 * Each class's file, read from the export lines of processors/classes/index.ts
 * (`export { default as Name } from './file.js';`), so the flows.yml comments name the real file.
 */
export function classFiles(indexSource: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of indexSource.matchAll(/export \{ default as (\w+) \} from '\.\/([\w-]+)\.js'/g))
    files.set(m[1]!, `${m[2]!}.ts`);
  return files;
}

function emitClass(l: Lines, c: UserClassDef, file: string): void {
  const wait = `${c.thinkSeconds[0]}-${c.thinkSeconds[1]} s`;
  l.add(6, `# ---- ${c.name} (processors/classes/${file}): wait ${wait}${c.note ? `; ${c.note}` : ''}`);
  l.add(6, '- loop:');
  if (c.login !== null) {
    l.add(10, '- loop: # the login at start, sent again after a 5xx (afterLogin: backoff)');
    l.add(14, '- loop:');
    login(l, 18, c.login, 'firstLoginDue');
    l.add(12, 'over: firstLogin');
  }
  l.add(10, '- loop: # one task per pass; nextTask thinks, then picks the next one, until the deadline');
  if (c.login !== null) {
    l.add(14, '- loop: # a re-login when needLogin is set, sent again after a 5xx (afterLogin: backoff)');
    l.add(18, '- loop:');
    login(l, 22, RELOGIN, 'reloginDue');
    l.add(16, 'over: needLogin');
  }
  for (const t of c.tasks) emitTask(l, 14, t);
  l.add(12, 'whileTrue: nextTask');
  l.add(8, `over: cls.${c.name}`);
}

/** Request names that send the run's password (bcrypt on the server): they get the login latency target. */
export function passwordLoginNames(classes: readonly UserClassDef[]): string[] {
  const names = new Set<string>();
  for (const c of classes) {
    if (c.login !== null) names.add(c.login).add(RELOGIN);
    for (const t of c.tasks) for (const r of requestsOf(t.steps)) if (checksPassword(r)) names.add(r.name);
  }
  return [...names].sort();
}

const HEADER =
  '# GENERATED by `npm run build` (tools/generate-flows.ts) from processors/classes/*.ts: edit a class\n' +
  `# there, not here. A test fails when this file is out of date.
#
# The BTC Watcher user classes of the Locust suite, each task written once (behaviours.md §2, corrected).
# Profiles (smoke.yml, load.yml, ...) add phases and variables; config/environments.yml adds targets.
#
# How it runs: the \`before\` hook tags the run and makes its fixtures. Each virtual user is one Locust
# user: startUser gives it a class (user k of the run gets class k mod n of the mix, in Locust's order) and
# its first task; the user enters its class's block, logs in once, then loops: the task's block runs, and
# nextTask (the loop's whileTrue) waits the class's think time and picks the next task, until the deadline.
# \`loop: over: X\` runs its steps once when X is a one-element array and skips them otherwise.
# Request names: "METHOD /path [LABEL]", the Locust labels with the corrected paths.
`;

function config(): string {
  return `config:
  processor: ../build/processors/index.js
  http:
    timeout: 30 # seconds; Locust used 10 (auth), 15 (read) and 30 (write)
  # artillery-plugin-expect is switched on by the functional profiles (smoke and the modules); btcw-targets
  # grades every request's expect: line in every profile.
  plugins:
    metrics-by-endpoint:
      useOnlyRequestNames: true
      stripQueryString: true
      suppressOutput: true # per-endpoint numbers go to the JSON; the verdict prints the worst ones
    btcw-targets: {}
  # The btcw engine (engine/, the package artillery-engine-btcw) runs the scenario btcw-engine-user.
  engines:
    btcw: {}
  variables:
    # Which scenario users run: the run plan's engine sets these (--engine, or the profile's default).
    engineWeights: { http: 1, btcw: 0 }
    fixtureStrategies: 3 # tagged strategies made before the run, for webhooks and start/stop
    strategyScope: run # start/stop/webhooks only touch this run's strategies; "any" = as Locust did
    thinkFactor: 1 # scales think times and in-task pauses (short test runs use less)

before:
  flow:
    - function: beginRun

after:
  flow:
    - function: endRun
`;
}

/** The whole of scenarios/flows.yml for these classes (in Locust's order). */
export function flowsYaml(classes: readonly UserClassDef[], files: ReadonlyMap<string, string>): string {
  const l = new Lines();
  l.add(0, 'scenarios:');
  l.add(
    2,
    "# Artillery's HTTP engine: each class as YAML below; a failed request ends the user (userErrored).",
  );
  l.add(2, '- name: btcw-user');
  l.add(4, 'weight: "{{ engineWeights.http }}"');
  l.add(4, 'afterResponse: [watchUnauthorized]');
  l.add(4, 'onError: [userErrored]');
  l.add(4, 'flow:');
  l.add(6, '- function: startUser');
  for (const c of classes) {
    const file = files.get(c.name);
    if (file === undefined) throw new Error(`${c.name} has no export line in processors/classes/index.ts`);
    emitClass(l, c, file);
  }
  l.add(6, '- function: endUser');
  l.add(
    2,
    '# The btcw engine: the same classes, read from processors/classes/ and run with the same hooks; a',
  );
  l.add(2, '# failed request is counted and the user goes on (docs/engines.md).');
  l.add(2, '- name: btcw-engine-user');
  l.add(4, 'engine: btcw');
  l.add(4, 'weight: "{{ engineWeights.btcw }}"');
  l.add(4, 'afterResponse: [watchUnauthorized]');
  l.add(4, 'flow: []');
  return `${HEADER}\n${config()}\n${l.out.join('\n')}\n`;
}

/**
 * The generated part of config/targets.yml's `endpoints:`: every request that sends the run's password
 * gets the login latency target (bcrypt is slow by design).
 */
export function passwordLoginTargets(classes: readonly UserClassDef[]): string {
  const [first, ...rest] = passwordLoginNames(classes);
  return [
    `  ${JSON.stringify(first)}: &bcrypt { responseTime: { target: acceptable } }`,
    ...rest.map((n) => `  ${JSON.stringify(n)}: *bcrypt`),
  ].join('\n');
}

/**
 * The mapping table of docs/locust-mapping.md: per class its login and its tasks, Locust's labels against
 * the pack's names.
 */
export function mappingTable(classes: readonly UserClassDef[]): string {
  const rows = [
    '| class (wait s) | task · weight | Locust label | Artillery request names |',
    '|---|---|---|---|',
  ];
  const code = (names: string[]) => names.map((n) => `\`${n}\``).join(', ');
  for (const c of classes) {
    let first = `${c.name} (${c.thinkSeconds[0]}–${c.thinkSeconds[1]})`;
    const cell = () => {
      const v = first;
      first = '';
      return v;
    };
    if (c.login !== null) rows.push(`| ${cell()} | on_start | login | ${code([c.login])} |`);
    for (const t of c.tasks) {
      const names = [...new Set(requestsOf(t.steps).map((r) => r.name))];
      rows.push(`| ${cell()} | ${t.id} · ${t.weight} | ${t.locust ?? 'the same labels'} | ${code(names)} |`);
    }
  }
  return rows.join('\n');
}
