// Seed data so read paths have something to return: users, untagged strategies, and signals over the last
// day.
import type { ApiState } from './state.js';
import { DEFAULT_THRESHOLDS, strengthLevel } from './strength.js';

export interface SeedUser {
  username: string;
  password: string;
  email: string;
  superuser?: boolean;
}

export interface SeedOptions {
  users: SeedUser[];
  strategies: number;
  signals: number;
}

const PAIRS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT'];
const PRICES: Record<string, number> = { 'BTC/USDT': 45000, 'ETH/USDT': 2500, 'BNB/USDT': 310 };
const STRENGTHS = [0.9, 0.7, 0.5, 0.3];

export async function seed(state: ApiState, opts: SeedOptions): Promise<void> {
  const now = state.now();
  const hashes = await Promise.all(opts.users.map((u) => state.hasher.hash(u.password)));
  const { store } = state;
  store.transaction(() => {
    opts.users.forEach((user, index) => {
      store.insertUser({
        username: user.username,
        email: user.email,
        passwordHash: hashes[index]!,
        isSuperuser: user.superuser ?? false,
        now,
      });
    });
    const owner = opts.users.length > 0 ? store.userByName(opts.users[0]!.username)!.id : 1;
    const ids: number[] = [];
    for (let strategyNumber = 1; strategyNumber <= opts.strategies; strategyNumber++) {
      ids.push(
        store.insertStrategy(
          {
            userId: owner,
            name: `Seed Strategy ${strategyNumber}`,
            description: 'Seeded by the reference API',
            strategyClass: 'SampleStrategy',
            version: 'v1.0',
            exchange: 'binance',
            timeframe: '5m',
            pairWhitelist: [PAIRS[strategyNumber % PAIRS.length]],
            pairBlacklist: [],
            dryRun: true,
            dryRunWallet: 1000,
            stakeAmount: 10,
            maxOpenTrades: 3,
            signalThresholds: { ...DEFAULT_THRESHOLDS },
            proxyId: null,
          },
          now,
        ).id,
      );
    }
    const nowMs = Date.now();
    for (let index = 0; index < opts.signals && ids.length > 0; index++) {
      const pair = PAIRS[index % PAIRS.length]!;
      const strength = STRENGTHS[index % STRENGTHS.length]!;
      store.insertSignal({
        strategyId: ids[index % ids.length]!,
        pair,
        action: index % 2 === 0 ? 'buy' : 'sell',
        signalStrength: strength,
        strengthLevel: strengthLevel(strength, DEFAULT_THRESHOLDS),
        currentRate: PRICES[pair]! * (1 + ((index % 7) - 3) / 100),
        entryPrice: null,
        exitPrice: null,
        profitRatio: null,
        profitAbs: null,
        tradeDuration: null,
        indicators: { signal_strength: strength, rsi: 30 + (index % 40), macd: (index % 21) - 10 },
        tradeId: null,
        openDate: null,
        closeDate: null,
        nowMs: nowMs - (index % 24) * 3_600_000 - index * 1000,
      });
    }
  });
}
