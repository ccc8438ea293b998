// Every request name each user class sends, from the class definitions (processors/classes/*.ts), for the
// end-to-end checks that a run sent all of them.
import { CLASS_DEFINITIONS, MIXES } from '../processors/catalogue.js';
import { requestNames } from '../processors/user-class.js';

export const NAMES_BY_CLASS: Record<string, string[]> = Object.fromEntries(
  CLASS_DEFINITIONS.map((c) => [c.name, requestNames(c)]),
);

/**
 * Names that need a server state a short comprehensive run rarely reaches: RealWorldUser stops a strategy
 * only when its random pick is running and a 30 % draw succeeds. Checked in a RealWorldUser-only run.
 */
export const STATE_DEPENDENT = new Set(['POST /strategies/{id}/stop [REAL USER]']);

/** Classes that log in once at start. */
export const LOGS_IN_AT_START = new Set(CLASS_DEFINITIONS.filter((c) => c.login !== null).map((c) => c.name));

export const MIX_CLASSES: Record<string, string[]> = MIXES;
