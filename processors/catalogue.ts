// The 13 Locust user classes and their 43 tasks (behaviours.md §2): weights, think times, login behaviour.
// Pure data: the request steps themselves live in scenarios/flows.yml, one block per task id.

export type Module = 'auth' | 'strategy' | 'signal' | 'locustfile';

export interface TaskSpec {
  /** Task id from behaviours.md, e.g. SR-3; also the block name in flows.yml. */
  id: string;
  weight: number;
  /** In-task pauses in ms, in order (behaviours.md §6), clamped to the run's deadline. */
  pausesMs?: number[];
  /** The random query-string values (`q.*` in flows.yml) the task's requests use; drawn only for this task. */
  query?: readonly QueryKey[];
  /** The task branches on a coin flip (`coin.heads` / `coin.tails` in flows.yml). */
  coin?: true;
}

export type QueryKey =
  | 'strategySkip'
  | 'strategyLimit'
  | 'signalSkip'
  | 'signalLimit'
  | 'complexLimit'
  | 'pair'
  | 'realUserPair'
  | 'action'
  | 'strengthLevel'
  | 'complexStrength';

export interface UserClass {
  name: string;
  module: Module;
  /** Label of the login at spawn; null for classes that do not log in at start. */
  loginLabel: string | null;
  thinkSeconds: [number, number];
  tasks: TaskSpec[];
  /** Part of the comprehensive run (locustfile.py's 10 classes). */
  comprehensive: boolean;
}

export const USER_CLASSES: readonly UserClass[] = [
  {
    name: 'AuthenticationUser',
    module: 'auth',
    loginLabel: null,
    thinkSeconds: [2, 5],
    comprehensive: true,
    tasks: [
      { id: 'AU-1', weight: 10 },
      { id: 'AU-2', weight: 5 },
      { id: 'AU-3', weight: 3 },
      { id: 'AU-4', weight: 2 },
    ],
  },
  {
    name: 'AuthenticatedReadUser',
    module: 'auth',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [1, 3],
    comprehensive: true,
    tasks: [
      { id: 'AR-1', weight: 10 },
      { id: 'AR-2', weight: 5 },
    ],
  },
  {
    name: 'HighConcurrencyAuthUser',
    module: 'auth',
    loginLabel: null,
    thinkSeconds: [0.5, 2],
    comprehensive: false,
    tasks: [{ id: 'HC-1', weight: 1 }],
  },
  {
    name: 'StrategyReadUser',
    module: 'strategy',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [1, 3],
    comprehensive: true,
    tasks: [
      { id: 'SR-1', weight: 20 },
      { id: 'SR-2', weight: 10, query: ['strategySkip', 'strategyLimit'] },
      { id: 'SR-3', weight: 5 },
      { id: 'SR-4', weight: 3 },
    ],
  },
  {
    name: 'StrategyWriteUser',
    module: 'strategy',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [2, 5],
    comprehensive: true,
    tasks: [
      { id: 'SW-1', weight: 10 },
      { id: 'SW-2', weight: 5 },
      { id: 'SW-3', weight: 3 },
    ],
  },
  {
    name: 'StrategyOperationsUser',
    module: 'strategy',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [3, 8],
    comprehensive: true,
    tasks: [
      { id: 'SO-1', weight: 10 },
      { id: 'SO-2', weight: 8 },
      { id: 'SO-3', weight: 2 },
    ],
  },
  {
    name: 'StrategyMixedUser',
    module: 'strategy',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [2, 6],
    comprehensive: false,
    tasks: [
      { id: 'SM-1', weight: 15 },
      { id: 'SM-2', weight: 5, pausesMs: [2000, 1000, 3000, 1000] },
    ],
  },
  {
    name: 'SignalReadUser',
    module: 'signal',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [1, 4],
    comprehensive: true,
    tasks: [
      { id: 'SG-1', weight: 25 },
      { id: 'SG-2', weight: 15, query: ['signalSkip', 'signalLimit'] },
      { id: 'SG-3', weight: 10, query: ['pair'] },
      { id: 'SG-4', weight: 8, query: ['action'] },
      { id: 'SG-5', weight: 5, query: ['strengthLevel'] },
      { id: 'SG-6', weight: 8 },
      { id: 'SG-7', weight: 5 },
    ],
  },
  {
    name: 'SignalWebhookUser',
    module: 'signal',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [2, 10],
    comprehensive: true,
    tasks: [
      { id: 'WH-1', weight: 10 },
      { id: 'WH-2', weight: 8 },
      { id: 'WH-3', weight: 2, pausesMs: [100, 100, 100, 100, 100] },
    ],
  },
  {
    name: 'SignalComplexQueryUser',
    module: 'signal',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [2, 6],
    comprehensive: false,
    tasks: [
      { id: 'CQ-1', weight: 10, query: ['pair', 'action', 'complexStrength', 'complexLimit'] },
      { id: 'CQ-2', weight: 5 },
      { id: 'CQ-3', weight: 3 },
    ],
  },
  {
    name: 'SignalMixedUser',
    module: 'signal',
    loginLabel: 'POST /auth/token [LOGIN AT START]',
    thinkSeconds: [2, 5],
    comprehensive: true,
    tasks: [
      { id: 'SX-1', weight: 20 },
      { id: 'SX-2', weight: 10, query: ['pair'] },
      { id: 'SX-3', weight: 5, pausesMs: [1000] },
    ],
  },
  {
    name: 'RealWorldUser',
    module: 'locustfile',
    loginLabel: 'POST /auth/token [REAL USER LOGIN]',
    thinkSeconds: [3, 10],
    comprehensive: true,
    tasks: [
      { id: 'RW-1', weight: 10 },
      { id: 'RW-2', weight: 8 },
      { id: 'RW-3', weight: 8, query: ['realUserPair'], coin: true },
      { id: 'RW-4', weight: 3 },
      { id: 'RW-5', weight: 2 },
    ],
  },
  {
    name: 'APIMonitorUser',
    module: 'locustfile',
    loginLabel: 'POST /auth/token [MONITOR LOGIN]',
    thinkSeconds: [5, 15],
    comprehensive: true,
    tasks: [
      { id: 'MO-1', weight: 10 },
      { id: 'MO-2', weight: 10 },
      { id: 'MO-3', weight: 5 },
    ],
  },
];

const BY_NAME = new Map(USER_CLASSES.map((c) => [c.name, c]));

export function userClass(name: string): UserClass | undefined {
  return BY_NAME.get(name);
}

/** Named mixes; a mix may also be a comma-separated list of class names. */
export const MIXES: Record<string, string[]> = {
  comprehensive: USER_CLASSES.filter((c) => c.comprehensive).map((c) => c.name),
  auth: USER_CLASSES.filter((c) => c.module === 'auth').map((c) => c.name),
  strategy: USER_CLASSES.filter((c) => c.module === 'strategy').map((c) => c.name),
  signal: USER_CLASSES.filter((c) => c.module === 'signal').map((c) => c.name),
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
    return `unknown user mix "${mix}": use one of ${Object.keys(MIXES).join(', ')} or a comma-separated list of ${USER_CLASSES.map((c) => c.name).join(', ')}`;
  }
  return [...new Set(names)].sort();
}
