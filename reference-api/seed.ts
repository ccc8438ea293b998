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
    opts.users.forEach((u, i) => {
      store.insertUser({
        username: u.username,
        email: u.email,
        passwordHash: hashes[i]!,
        isSuperuser: u.superuser ?? false,
        now,
      });
    });
    const owner = opts.users.length > 0 ? store.userByName(opts.users[0]!.username)!.id : 1;
    const ids: number[] = [];
    for (let i = 1; i <= opts.strategies; i++) {
      ids.push(
        store.insertStrategy(
          {
            userId: owner,
            name: `Seed Strategy ${i}`,
            description: 'Seeded by the reference API',
            strategyClass: 'SampleStrategy',
            version: 'v1.0',
            exchange: 'binance',
            timeframe: '5m',
            pairWhitelist: [PAIRS[i % PAIRS.length]],
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
    for (let i = 0; i < opts.signals && ids.length > 0; i++) {
      const pair = PAIRS[i % PAIRS.length]!;
      const strength = STRENGTHS[i % STRENGTHS.length]!;
      store.insertSignal({
        strategyId: ids[i % ids.length]!,
        pair,
        action: i % 2 === 0 ? 'buy' : 'sell',
        signalStrength: strength,
        strengthLevel: strengthLevel(strength, DEFAULT_THRESHOLDS),
        currentRate: PRICES[pair]! * (1 + ((i % 7) - 3) / 100),
        entryPrice: null,
        exitPrice: null,
        profitRatio: null,
        profitAbs: null,
        tradeDuration: null,
        indicators: { signal_strength: strength, rsi: 30 + (i % 40), macd: (i % 21) - 10 },
        tradeId: null,
        openDate: null,
        closeDate: null,
        nowMs: nowMs - (i % 24) * 3_600_000 - i * 1000,
      });
    }
  });
}
