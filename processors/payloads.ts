// Randomized request data for the flows (behaviours.md §6), built with faker from a per-user stream so a
// run's payload sequence is reproducible. Pure: every function takes the Faker instance it draws from.
import type { Faker } from '@faker-js/faker';
import { tagSuffix } from '../lib/tagged-cleanup.js';
import { fakerOn, RandomStream } from './random.js';

export const PAIRS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'] as const;
/** Realistic price bands per pair (the Locust suite used 40-50k for every pair). */
export const PRICE_BANDS: Record<(typeof PAIRS)[number], [number, number]> = {
  'BTC/USDT': [40_000, 50_000],
  'ETH/USDT': [2_000, 3_000],
  'BNB/USDT': [250, 350],
};
/** One value per strength level with the default thresholds: strong, medium, weak, ignore. */
export const STRENGTHS = [0.9, 0.7, 0.5, 0.3] as const;
export const STRATEGY_CLASSES = [
  'SampleStrategy',
  'RSIStrategy',
  'MACDStrategy',
  'BollingerBandsStrategy',
  'EMACrossStrategy',
];
export const EXCHANGES = ['binance', 'okx', 'kraken', 'bybit'];
export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h'];

/** A Faker drawing from a fresh stream seeded with `seed` (valid until the next fakerOn/newFaker call). */
export function newFaker(seed: number): Faker {
  return fakerOn(new RandomStream(seed));
}

export interface StrategyCreateBody {
  name: string;
  description: string;
  strategy_class: string;
  exchange: string;
  timeframe: string;
  pair_whitelist: string[];
  signal_thresholds: { strong: number; medium: number; weak: number };
  dry_run: boolean;
  stake_amount: number;
  max_open_trades: number;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

/** SW-1 / SM-2 create: all six required keys at the top level, with realistic values. */
export function strategyCreate(
  faker: Faker,
  opts: { prefix: string; runTag: string; nowSeconds: number },
): StrategyCreateBody {
  const strong = round(faker.number.float({ min: 0.75, max: 0.9 }), 2);
  const medium = round(faker.number.float({ min: 0.55, max: 0.7 }), 2);
  const weak = round(faker.number.float({ min: 0.3, max: 0.5 }), 2);
  return {
    name: `${opts.prefix} ${opts.nowSeconds}${tagSuffix(opts.runTag)}`,
    description: `${opts.prefix.replace(/ Strategy$/, '')} test strategy: ${faker.company.catchPhrase()}`,
    strategy_class: faker.helpers.arrayElement(STRATEGY_CLASSES),
    exchange: faker.helpers.arrayElement(EXCHANGES),
    timeframe: faker.helpers.arrayElement(TIMEFRAMES),
    pair_whitelist: faker.helpers.arrayElements([...PAIRS], { min: 1, max: 3 }),
    signal_thresholds: { strong, medium, weak },
    dry_run: true,
    stake_amount: faker.number.int({ min: 10, max: 100 }),
    max_open_trades: faker.number.int({ min: 1, max: 5 }),
  };
}

/** SW-2 update: the description is the one field the original's body actually changes. */
export function strategyUpdate(
  faker: Faker,
  nowSeconds: number,
): { description: string; stake_amount: number } {
  return { description: `Updated at ${nowSeconds}`, stake_amount: faker.number.int({ min: 10, max: 100 }) };
}

export interface WebhookBody {
  pair: string;
  action: string;
  current_rate: number;
  indicators: { signal_strength: number; rsi?: number; macd?: number };
  metadata?: { exchange: string; timeframe: string };
}

function price(faker: Faker, pair: (typeof PAIRS)[number]): number {
  const [min, max] = PRICE_BANDS[pair];
  return round(faker.number.float({ min, max }), 2);
}

/** WH-1 / WH-2: a full FreqTrade-style signal with strength spread over the four levels. */
export function webhookSignal(faker: Faker, action: 'buy' | 'sell'): WebhookBody {
  const pair = faker.helpers.arrayElement(PAIRS);
  return {
    pair,
    action,
    current_rate: price(faker, pair),
    indicators: {
      signal_strength: faker.helpers.arrayElement(STRENGTHS),
      rsi: round(faker.number.float({ min: 30, max: 70 }), 2),
      macd: round(faker.number.float({ min: -100, max: 100 }), 4),
    },
    metadata: { exchange: 'binance', timeframe: '5m' },
  };
}

/** WH-3: the rapid burst's lighter body, always strength 0.8. */
export function rapidSignal(faker: Faker): WebhookBody {
  const pair = faker.helpers.arrayElement(PAIRS);
  return {
    pair,
    action: faker.helpers.arrayElement(['buy', 'sell']),
    current_rate: price(faker, pair),
    indicators: { signal_strength: 0.8 },
  };
}

const QUERY_DRAWS = {
  strategySkip: (f) => f.number.int({ min: 0, max: 50 }),
  strategyLimit: (f) => f.helpers.arrayElement([10, 20, 50]),
  signalSkip: (f) => f.number.int({ min: 0, max: 100 }),
  signalLimit: (f) => f.helpers.arrayElement([20, 50, 100]),
  complexLimit: (f) => f.helpers.arrayElement([10, 20, 50]),
  pair: (f) => f.helpers.arrayElement(PAIRS),
  realUserPair: (f) => f.helpers.arrayElement(['BTC/USDT', 'ETH/USDT']),
  action: (f) => f.helpers.arrayElement(['buy', 'sell']),
  strengthLevel: (f) => f.helpers.arrayElement(['strong', 'medium', 'weak']),
  complexStrength: (f) => f.helpers.arrayElement(['strong', 'medium']),
} satisfies Record<string, (faker: Faker) => string | number>;

/** A random query-string value a URL template can use as `{{ q.<key> }}`. */
export type QueryKey = keyof typeof QUERY_DRAWS;

export const QUERY_KEYS = Object.keys(QUERY_DRAWS) as QueryKey[];

/**
 * The query-string values one task uses, ready for `{{ q.* }}` templating. Only the listed keys are drawn:
 * this runs on every task of every user, so draws a task would not use are generator overhead.
 */
export function queryPicks(
  faker: Faker,
  keys: readonly QueryKey[] = QUERY_KEYS,
): Partial<Record<QueryKey, string | number>> {
  const picks: Partial<Record<QueryKey, string | number>> = {};
  for (const key of keys) picks[key] = QUERY_DRAWS[key](faker);
  return picks;
}
