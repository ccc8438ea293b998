// Which engine runs a profile: the btcw engine for the load-shaped profiles (users survive failed requests),
// Artillery's HTTP engine for smoke and the module runs (functional checks of the chosen packages).

export const ENGINES = ['http', 'btcw'] as const;
export type EngineName = (typeof ENGINES)[number];

const BTCW_PROFILES: ReadonlySet<string> = new Set(['load', 'stress', 'spike', 'capacity']);

/** The engine a profile runs on when neither --engine nor BTCW_ENGINE says otherwise. */
export function defaultEngine(profile: string): EngineName {
  return BTCW_PROFILES.has(profile) ? 'btcw' : 'http';
}

export function isEngineName(value: string): value is EngineName {
  return (ENGINES as readonly string[]).includes(value);
}

/** Bad input from the command line or the environment: one line naming the problem and the fix. */
export class EngineChoiceError extends Error {}

/** --engine first, then BTCW_ENGINE, then the profile's default. */
export function resolveEngine(profile: string, flag?: string, env?: string): EngineName {
  for (const [source, value] of [
    ['--engine', flag],
    ['BTCW_ENGINE', env],
  ] as const) {
    if (value === undefined || value === '') continue;
    if (!isEngineName(value))
      throw new EngineChoiceError(`${source} ${value} is not an engine: use ${ENGINES.join(' or ')}`);
    return value;
  }
  return defaultEngine(profile);
}
