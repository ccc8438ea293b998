// The run-time view of the user classes (processors/classes/*.ts): per class its think time, its first
// login and its tasks' weights, pauses and random draws, all derived from the definitions; and the mixes.
import * as CLASSES from './classes/index.js';
import type { QueryKey } from './payloads.js';
import {
  type FirstLogin,
  flipsCoin,
  type Module,
  pausesOf,
  queryKeysOf,
  type UserClassDef,
} from './user-class.js';

export interface TaskSpec {
  /** Task id from behaviours.md, e.g. SR-3; also the block name in flows.yml. */
  id: string;
  weight: number;
  /** In-task pauses in ms, in order, clamped to the run's deadline. */
  pausesMs: readonly number[];
  /**
   * The random query-string values (`q.*` in flows.yml) the task's requests use; drawn only for this task.
   */
  query: readonly QueryKey[];
  /** The task branches on a coin flip (`coin.heads` / `coin.tails` in flows.yml). */
  coin: boolean;
}

export interface UserClass {
  name: string;
  module: Module;
  login: FirstLogin | null;
  thinkSeconds: readonly [number, number];
  tasks: readonly TaskSpec[];
  comprehensive: boolean;
}

function runtimeView(def: UserClassDef): UserClass {
  const tasks = def.tasks.map((task) => ({
    id: task.id,
    weight: task.weight,
    pausesMs: pausesOf(task),
    query: queryKeysOf(task),
    coin: flipsCoin(task),
  }));
  const { name, module, login, thinkSeconds, comprehensive } = def;
  return { name, module, login, thinkSeconds, tasks, comprehensive };
}

/** The definitions, in Locust's spawn order (sorted by name). */
export const CLASS_DEFINITIONS: readonly UserClassDef[] = Object.values(CLASSES).sort((first, second) =>
  first.name < second.name ? -1 : 1,
);
export const USER_CLASSES: readonly UserClass[] = CLASS_DEFINITIONS.map(runtimeView);

const BY_NAME = new Map(USER_CLASSES.map((c) => [c.name, c]));

export function userClass(name: string): UserClass | undefined {
  return BY_NAME.get(name);
}

const inModule = (m: Module) => USER_CLASSES.filter((c) => c.module === m).map((c) => c.name);

/** Named mixes; a mix may also be a comma-separated list of class names. */
export const MIXES: Record<string, string[]> = {
  comprehensive: USER_CLASSES.filter((c) => c.comprehensive).map((c) => c.name),
  auth: inModule('auth'),
  strategy: inModule('strategy'),
  signal: inModule('signal'),
  all: USER_CLASSES.map((c) => c.name),
};

/**
 * Resolves a mix to class names in Locust's spawn order (sorted by name, users handed out round-robin).
 * Returns an error message for an unknown mix or class.
 */
export function resolveMix(mix: string): string[] | string {
  const names =
    MIXES[mix] ??
    mix
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const unknown = names.filter((n) => !BY_NAME.has(n));
  if (names.length === 0 || unknown.length > 0) {
    return (
      `unknown user mix "${mix}": use one of ${Object.keys(MIXES).join(', ')} ` +
      `or a comma-separated list of ${USER_CLASSES.map((c) => c.name).join(', ')}`
    );
  }
  return [...new Set(names)].sort();
}
