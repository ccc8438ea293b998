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
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, entry]) => `${/^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key)}: ${flow(entry)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  if (
    typeof value === 'string' &&
    /^[\w/.-]+$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|\d.*)$/i.test(value)
  )
    return value;
  return JSON.stringify(value);
}

class Lines {
  readonly out: string[] = [];
  add(indent: number, text: string): void {
    this.out.push(`${' '.repeat(indent)}${text}`);
  }
}

/** One request as an Artillery request (the `- get:` item), at `indent`: the plan the btcw engine sends. */
function emitRequest(lines: Lines, indent: number, plan: RequestPlan): void {
  lines.add(indent, `- ${plan.method.toLowerCase()}:`);
  const inner = indent + 4;
  lines.add(inner, `name: ${JSON.stringify(plan.name)}`);
  lines.add(inner, `url: ${flow(plan.url)}`);
  if (plan.auth !== 'none') lines.add(inner, `headers: { authorization: "Bearer {{ ${plan.auth} }}" }`);
  if (plan.beforeRequest !== undefined) lines.add(inner, `beforeRequest: ${plan.beforeRequest}`);
  if (plan.form !== undefined) lines.add(inner, `form: ${flow(plan.form)}`);
  if (plan.json !== undefined) lines.add(inner, `json: ${flow(plan.json)}`);
  if (plan.btcwBody !== undefined) lines.add(inner, `btcwBody: ${flow(plan.btcwBody)}`);
  if (plan.afterResponse !== undefined) lines.add(inner, `afterResponse: ${plan.afterResponse}`);
  if (plan.btcwPick !== undefined) lines.add(inner, `btcwPick: ${flow(plan.btcwPick)}`);
  // r.onError is the btcw engine's: the HTTP engine runs only scenario-level onError hooks.
  lines.add(inner, `expect: ${flow(plan.expect)}`);
}

function emitSteps(lines: Lines, indent: number, steps: readonly Step[], pauses: { n: number }): void {
  for (const step of steps) {
    switch (step.kind) {
      case 'request':
        emitRequest(lines, indent, requestPlan(step));
        break;
      case 'pause':
        pauses.n++;
        lines.add(indent, `- think: "{{ ${pauseVar(pauses.n)} }}ms"`);
        break;
      case 'call':
        lines.add(indent, `- function: ${step.fn}`);
        break;
      case 'when':
        lines.add(indent, '- loop:');
        emitSteps(lines, indent + 4, step.steps, pauses);
        lines.add(indent + 2, `over: ${CONDITIONS_VAR}.${step.condition}`);
        break;
      case 'repeat':
        lines.add(indent, '- loop:');
        emitSteps(lines, indent + 4, step.steps, pauses);
        lines.add(indent + 2, `count: ${step.count}`);
        break;
    }
  }
}

function emitTask(lines: Lines, indent: number, task: TaskDef): void {
  lines.add(indent, `- loop: # ${task.id}, weight ${task.weight}`);
  emitSteps(lines, indent + 4, task.steps, { n: 0 });
  lines.add(indent + 2, `over: task.${task.id}`);
}

function login(lines: Lines, indent: number, name: string, whileTrue: string): void {
  emitRequest(lines, indent, loginPlan(name));
  lines.add(indent - 2, `whileTrue: ${whileTrue}`);
}

/**
 * Each class's file, read from the export lines of processors/classes/index.ts
 * (`export { default as Name } from './file.js';`), so the flows.yml comments name the real file.
 */
export function classFiles(indexSource: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of indexSource.matchAll(/export \{ default as (\w+) \} from '\.\/([\w-]+)\.js'/g))
    files.set(match[1]!, `${match[2]!}.ts`);
  return files;
}

function emitClass(lines: Lines, cls: UserClassDef, file: string): void {
  const wait = `${cls.thinkSeconds[0]}-${cls.thinkSeconds[1]} s`;
  lines.add(
    6,
    `# ---- ${cls.name} (processors/classes/${file}): wait ${wait}${cls.note ? `; ${cls.note}` : ''}`,
  );
  lines.add(6, '- loop:');
  if (cls.login !== null) {
    lines.add(10, '- loop: # the login at start, sent again after a 5xx (afterLogin: backoff)');
    lines.add(14, '- loop:');
    login(lines, 18, cls.login, 'firstLoginDue');
    lines.add(12, 'over: firstLogin');
  }
  lines.add(10, '- loop: # one task per pass; nextTask thinks, then picks the next one, until the deadline');
  if (cls.login !== null) {
    lines.add(14, '- loop: # a re-login when needLogin is set, sent again after a 5xx (afterLogin: backoff)');
    lines.add(18, '- loop:');
    login(lines, 22, RELOGIN, 'reloginDue');
    lines.add(16, 'over: needLogin');
  }
  for (const task of cls.tasks) emitTask(lines, 14, task);
  lines.add(12, 'whileTrue: nextTask');
  lines.add(8, `over: cls.${cls.name}`);
}

/** Request names that send the run's password (bcrypt on the server): they get the login latency target. */
export function passwordLoginNames(classes: readonly UserClassDef[]): string[] {
  const names = new Set<string>();
  for (const cls of classes) {
    if (cls.login !== null) names.add(cls.login).add(RELOGIN);
    for (const task of cls.tasks)
      for (const request of requestsOf(task.steps)) if (checksPassword(request)) names.add(request.name);
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
  const lines = new Lines();
  lines.add(0, 'scenarios:');
  lines.add(
    2,
    "# Artillery's HTTP engine: each class as YAML below; a failed request ends the user (userErrored).",
  );
  lines.add(2, '- name: btcw-user');
  lines.add(4, 'weight: "{{ engineWeights.http }}"');
  lines.add(4, 'afterResponse: [watchUnauthorized]');
  lines.add(4, 'onError: [userErrored]');
  lines.add(4, 'flow:');
  lines.add(6, '- function: startUser');
  for (const cls of classes) {
    const file = files.get(cls.name);
    if (file === undefined) throw new Error(`${cls.name} has no export line in processors/classes/index.ts`);
    emitClass(lines, cls, file);
  }
  lines.add(6, '- function: endUser');
  lines.add(
    2,
    '# The btcw engine: the same classes, read from processors/classes/ and run with the same hooks; a',
  );
  lines.add(2, '# failed request is counted and the user goes on (docs/engines.md).');
  lines.add(2, '- name: btcw-engine-user');
  lines.add(4, 'engine: btcw');
  lines.add(4, 'weight: "{{ engineWeights.btcw }}"');
  lines.add(4, 'afterResponse: [watchUnauthorized]');
  lines.add(4, 'flow: []');
  return `${HEADER}\n${config()}\n${lines.out.join('\n')}\n`;
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
  for (const cls of classes) {
    let first = `${cls.name} (${cls.thinkSeconds[0]}–${cls.thinkSeconds[1]})`;
    const cell = () => {
      const cellText = first;
      first = '';
      return cellText;
    };
    if (cls.login !== null) rows.push(`| ${cell()} | on_start | login | ${code([cls.login])} |`);
    for (const task of cls.tasks) {
      const names = [...new Set(requestsOf(task.steps).map((r) => r.name))];
      rows.push(
        `| ${cell()} | ${task.id} · ${task.weight} | ${task.locust ?? 'the same labels'} | ${code(names)} |`,
      );
    }
  }
  return rows.join('\n');
}
