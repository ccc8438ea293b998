// The variables a task's steps read, by one name for both engines: the task's conditions (`when` steps:
// `loop: over: when.<condition>` in flows.yml) and its clamped in-task pauses (`{{ pauseN }}`).
import { ONCE } from './artillery-types.js';
import type { Condition } from './user-class.js';

/** The task's conditions: a fresh object per task (chooseTask), so a new task starts with none. */
export const CONDITIONS_VAR = 'when';

/** The variable holding a task's N-th in-task pause (1-based), in ms. */
export const pauseVar = (n: number): string => `pause${n}`;

type Vars = Record<string, unknown>;
export type Conditions = Partial<Record<Condition, readonly number[]>>;

/** Starts a task's conditions afresh. */
export function newConditions(vars: Vars): Conditions {
  const held: Conditions = {};
  vars[CONDITIONS_VAR] = held;
  return held;
}

/** Decides a condition of the current task: ONCE (Artillery's `loop: over:` runs the block once) or not. */
export function decide(vars: Vars, condition: Condition, holdsNow: boolean): void {
  const held = (vars[CONDITIONS_VAR] as Conditions | undefined) ?? newConditions(vars);
  held[condition] = holdsNow ? ONCE : undefined;
}

export function holds(vars: Vars, condition: Condition): boolean {
  return (vars[CONDITIONS_VAR] as Conditions | undefined)?.[condition] !== undefined;
}
