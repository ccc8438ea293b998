// SQLite storage for the reference API. node:sqlite (built into Node 22) needs no native build,
// which matters here: npm builds native addons against the machine's Node 20, but we run on 22.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';

export type StrategyStatus = 'stopped' | 'starting' | 'running' | 'stopping';

export interface UserRow {
  id: number;
  username: string;
  email: string;
  password_hash: string;
  is_active: number;
  is_superuser: number;
  created_at: string | null;
  last_login: string | null;
}

export interface StrategyRow {
  id: number;
  user_id: number;
  name: string;
  description: string | null;
  strategy_class: string;
  version: string;
  exchange: string;
  timeframe: string;
  pair_whitelist: string;
  pair_blacklist: string;
  dry_run: number;
  dry_run_wallet: number;
  stake_amount: number | null;
  max_open_trades: number;
  signal_thresholds: string;
  proxy_id: number | null;
  status: StrategyStatus;
  is_active: number;
  port: number | null;
  process_id: number | null;
  created_at: string;
  updated_at: string | null;
  started_at: string | null;
  stopped_at: string | null;
}

export interface SignalRow {
  id: number;
  strategy_id: number;
  pair: string;
  action: string;
  signal_strength: number;
  strength_level: string;
  current_rate: number;
  entry_price: number | null;
  exit_price: number | null;
  profit_ratio: number | null;
  profit_abs: number | null;
  trade_duration: number | null;
  indicators: string | null;
  freqtrade_trade_id: number | null;
  open_date: string | null;
  close_date: string | null;
  created_at: string;
  created_ms: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  is_superuser INTEGER NOT NULL DEFAULT 0,
  created_at TEXT,
  last_login TEXT
);
CREATE TABLE IF NOT EXISTS strategies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  strategy_class TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT 'v1.0',
  exchange TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  pair_whitelist TEXT NOT NULL,
  pair_blacklist TEXT NOT NULL DEFAULT '[]',
  dry_run INTEGER NOT NULL DEFAULT 1,
  dry_run_wallet REAL NOT NULL DEFAULT 1000.0,
  stake_amount REAL,
  max_open_trades INTEGER NOT NULL DEFAULT 3,
  signal_thresholds TEXT NOT NULL,
  proxy_id INTEGER,
  status TEXT NOT NULL DEFAULT 'stopped',
  is_active INTEGER NOT NULL DEFAULT 1,
  port INTEGER,
  process_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT,
  started_at TEXT,
  stopped_at TEXT
);
CREATE INDEX IF NOT EXISTS strategies_active_status ON strategies (is_active, status, id);
CREATE TABLE IF NOT EXISTS signals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  strategy_id INTEGER NOT NULL,
  pair TEXT NOT NULL,
  action TEXT NOT NULL,
  signal_strength REAL NOT NULL,
  strength_level TEXT NOT NULL,
  current_rate REAL NOT NULL,
  entry_price REAL,
  exit_price REAL,
  profit_ratio REAL,
  profit_abs REAL,
  trade_duration INTEGER,
  indicators TEXT,
  freqtrade_trade_id INTEGER,
  open_date TEXT,
  close_date TEXT,
  created_at TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS signals_strategy ON signals (strategy_id, id);
CREATE INDEX IF NOT EXISTS signals_pair ON signals (pair, id);
CREATE INDEX IF NOT EXISTS signals_action ON signals (action, id);
CREATE INDEX IF NOT EXISTS signals_level ON signals (strength_level, id);
CREATE INDEX IF NOT EXISTS signals_created ON signals (created_ms);
`;

export interface SignalFilter {
  skip: number;
  limit: number;
  strategyId?: number | undefined;
  pair?: string | undefined;
  action?: string | undefined;
  strengthLevel?: string | undefined;
  sinceMs?: number | undefined;
}

export interface NewStrategy {
  userId: number;
  name: string;
  description: string | null;
  strategyClass: string;
  version: string;
  exchange: string;
  timeframe: string;
  pairWhitelist: unknown[];
  pairBlacklist: unknown[];
  dryRun: boolean;
  dryRunWallet: number;
  stakeAmount: number | null;
  maxOpenTrades: number;
  signalThresholds: Record<string, unknown>;
  proxyId: number | null;
}

export interface NewSignal {
  strategyId: number;
  pair: string;
  action: string;
  signalStrength: number;
  strengthLevel: string;
  currentRate: number;
  entryPrice: number | null;
  exitPrice: number | null;
  profitRatio: number | null;
  profitAbs: number | null;
  tradeDuration: number | null;
  indicators: Record<string, unknown> | null;
  tradeId: number | null;
  openDate: string | null;
  closeDate: string | null;
  nowMs: number;
}

export interface SignalStats {
  total: number;
  buy: number;
  sell: number;
  strong: number;
  medium: number;
  weak: number;
  avgStrength: number | null;
}

/** The columns a strategy list item shows (api-contract §3). */
export type StrategyListRow = Pick<
  StrategyRow,
  | 'id'
  | 'name'
  | 'strategy_class'
  | 'exchange'
  | 'status'
  | 'port'
  | 'process_id'
  | 'created_at'
  | 'started_at'
>;
const LIST_COLUMNS = 'id, name, strategy_class, exchange, status, port, process_id, created_at, started_at';

/** Typed, prepared-statement access to the reference API's data. One instance per server. */
export class Store {
  readonly db: DatabaseSync;
  private readonly stmts = new Map<string, StatementSync>();
  /** Bumped by every strategy write, so read caches of strategy pages know when they are stale. */
  strategyVersion = 0;

  constructor(path = ':memory:') {
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  private stmt(sql: string): StatementSync {
    let statement = this.stmts.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.stmts.set(sql, statement);
    }
    return statement;
  }

  private get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  private all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  private run(sql: string, ...params: SQLInputValue[]): { changes: number; lastId: number } {
    const result = this.stmt(sql).run(...params);
    return { changes: Number(result.changes), lastId: Number(result.lastInsertRowid) };
  }

  // ---- users
  userByName(username: string): UserRow | undefined {
    return this.get<UserRow>('SELECT * FROM users WHERE username = ?', username);
  }
  userByEmail(email: string): UserRow | undefined {
    return this.get<UserRow>('SELECT * FROM users WHERE email = ?', email);
  }
  insertUser(user: {
    username: string;
    email: string;
    passwordHash: string;
    isSuperuser?: boolean;
    now: string;
  }): UserRow {
    const { lastId } = this.run(
      'INSERT INTO users (username, email, password_hash, is_superuser, created_at) VALUES (?, ?, ?, ?, ?)',
      user.username,
      user.email,
      user.passwordHash,
      user.isSuperuser ? 1 : 0,
      user.now,
    );
    return this.get<UserRow>('SELECT * FROM users WHERE id = ?', lastId)!;
  }
  touchLogin(id: number, now: string): void {
    this.run('UPDATE users SET last_login = ? WHERE id = ?', now, id);
  }

  // ---- strategies
  listStrategies(skip: number, limit: number, status?: string): StrategyListRow[] {
    if (status !== undefined) {
      return this.all<StrategyListRow>(
        `SELECT ${LIST_COLUMNS} FROM strategies WHERE is_active = 1 AND status = ? ` +
          'ORDER BY id DESC LIMIT ? OFFSET ?',
        status,
        limit,
        skip,
      );
    }
    return this.all<StrategyListRow>(
      `SELECT ${LIST_COLUMNS} FROM strategies WHERE is_active = 1 ORDER BY id DESC LIMIT ? OFFSET ?`,
      limit,
      skip,
    );
  }
  activeStrategies(): StrategyRow[] {
    return this.all<StrategyRow>('SELECT * FROM strategies WHERE is_active = 1 ORDER BY id DESC');
  }
  strategy(id: number): StrategyRow | undefined {
    return this.get<StrategyRow>('SELECT * FROM strategies WHERE id = ?', id);
  }
  insertStrategy(strategy: NewStrategy, now: string): StrategyRow {
    this.strategyVersion++;
    const { lastId } = this.run(
      `INSERT INTO strategies (user_id, name, description, strategy_class, version, exchange, timeframe,
        pair_whitelist, pair_blacklist, dry_run, dry_run_wallet, stake_amount, max_open_trades,
        signal_thresholds, proxy_id, status, is_active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'stopped', 1, ?, ?)`,
      strategy.userId,
      strategy.name,
      strategy.description,
      strategy.strategyClass,
      strategy.version,
      strategy.exchange,
      strategy.timeframe,
      JSON.stringify(strategy.pairWhitelist),
      JSON.stringify(strategy.pairBlacklist),
      strategy.dryRun ? 1 : 0,
      strategy.dryRunWallet,
      strategy.stakeAmount,
      strategy.maxOpenTrades,
      JSON.stringify(strategy.signalThresholds),
      strategy.proxyId,
      now,
      now,
    );
    return this.strategy(lastId)!;
  }
  /**
   * Applies a column → value map; column names come from a fixed allow-list in the route, never from input.
   */
  updateStrategy(id: number, changes: Record<string, SQLInputValue>, now: string): void {
    const cols = Object.keys(changes);
    if (cols.length === 0) return;
    this.strategyVersion++;
    const sql = `UPDATE strategies SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ?
      WHERE id = ?`;
    this.run(sql, ...cols.map((c) => changes[c] as SQLInputValue), now, id);
  }
  setStatus(
    id: number,
    status: StrategyStatus,
    extra: {
      port?: number | null;
      processId?: number | null;
      startedAt?: string | null;
      stoppedAt?: string | null;
    } = {},
  ): void {
    this.strategyVersion++;
    const changes: Record<string, SQLInputValue> = { status };
    if (extra.port !== undefined) changes.port = extra.port;
    if (extra.processId !== undefined) changes.process_id = extra.processId;
    if (extra.startedAt !== undefined) changes.started_at = extra.startedAt;
    if (extra.stoppedAt !== undefined) changes.stopped_at = extra.stoppedAt;
    const cols = Object.keys(changes);
    this.run(
      `UPDATE strategies SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
      ...cols.map((c) => changes[c] as SQLInputValue),
      id,
    );
  }
  softDelete(id: number, now: string): void {
    this.strategyVersion++;
    this.run(
      "UPDATE strategies SET is_active = 0, status = 'stopped', port = NULL, process_id = NULL, " +
        'updated_at = ? WHERE id = ?',
      now,
      id,
    );
  }

  // ---- signals
  insertSignal(signal: NewSignal): number {
    const createdAt = new Date(signal.nowMs).toISOString();
    return this.run(
      `INSERT INTO signals (strategy_id, pair, action, signal_strength, strength_level, current_rate,
        entry_price, exit_price, profit_ratio, profit_abs, trade_duration, indicators, freqtrade_trade_id,
        open_date, close_date, created_at, created_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      signal.strategyId,
      signal.pair,
      signal.action,
      signal.signalStrength,
      signal.strengthLevel,
      signal.currentRate,
      signal.entryPrice,
      signal.exitPrice,
      signal.profitRatio,
      signal.profitAbs,
      signal.tradeDuration,
      signal.indicators === null ? null : JSON.stringify(signal.indicators),
      signal.tradeId,
      signal.openDate,
      signal.closeDate,
      createdAt,
      signal.nowMs,
    ).lastId;
  }
  signal(id: number): SignalRow | undefined {
    return this.get<SignalRow>('SELECT * FROM signals WHERE id = ?', id);
  }
  listSignals(filter: SignalFilter): SignalRow[] {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (filter.strategyId !== undefined) {
      where.push('strategy_id = ?');
      params.push(filter.strategyId);
    }
    if (filter.pair !== undefined) {
      where.push('pair = ?');
      params.push(filter.pair);
    }
    if (filter.action !== undefined) {
      where.push('action = ?');
      params.push(filter.action);
    }
    if (filter.strengthLevel !== undefined) {
      where.push('strength_level = ?');
      params.push(filter.strengthLevel);
    }
    if (filter.sinceMs !== undefined) {
      where.push('created_ms >= ?');
      params.push(filter.sinceMs);
    }
    const sql =
      `SELECT * FROM signals ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
      'ORDER BY id DESC LIMIT ? OFFSET ?';
    return this.all<SignalRow>(sql, ...params, filter.limit, filter.skip);
  }
  signalStats(sinceMs: number, strategyId?: number): SignalStats {
    const byStrategy = strategyId !== undefined ? ' AND strategy_id = ?' : '';
    const params: SQLInputValue[] = strategyId !== undefined ? [sinceMs, strategyId] : [sinceMs];
    return this.get<SignalStats>(
      `SELECT COUNT(*) AS total,
              COALESCE(SUM(action = 'buy'), 0) AS buy, COALESCE(SUM(action = 'sell'), 0) AS sell,
              COALESCE(SUM(strength_level = 'strong'), 0) AS strong,
              COALESCE(SUM(strength_level = 'medium'), 0) AS medium,
              COALESCE(SUM(strength_level = 'weak'), 0) AS weak, AVG(signal_strength) AS avgStrength
         FROM signals WHERE created_ms >= ?${byStrategy}`,
      ...params,
    )!;
  }
  signalLevelsSince(
    sinceMs: number,
    strategyId?: number,
  ): Array<{ created_ms: number; strength_level: string }> {
    if (strategyId !== undefined) {
      return this.all(
        'SELECT created_ms, strength_level FROM signals WHERE created_ms >= ? AND strategy_id = ?',
        sinceMs,
        strategyId,
      );
    }
    return this.all('SELECT created_ms, strength_level FROM signals WHERE created_ms >= ?', sinceMs);
  }

  /** Wraps many writes in one transaction (seeding). */
  transaction(fn: () => void): void {
    this.db.exec('BEGIN');
    try {
      fn();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
