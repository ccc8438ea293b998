// Everything the route handlers share: storage, hashing, token settings, faults and the simulated FreqTrade
// processes (background start/stop transitions, ports, log lines).
import { randomBytes } from 'node:crypto';
import type { Store, UserRow } from './db.js';
import { type FaultConfig, NO_FAULTS } from './faults.js';
import { PageCache } from './page-cache.js';
import type { PasswordHasher } from './password-hasher.js';

export const MAX_STRATEGIES = 1000;
export const FIRST_PORT = 8081;
export const LAST_PORT = 9080;

export interface LogLine {
  timestamp: string;
  logger: string;
  level: string;
  message: string;
  raw: string;
}

export class ApiState {
  private currentFaults: FaultConfig = { ...NO_FAULTS };
  /** Logins that succeeded since the faults were last set (for failLoginAfter). */
  loginsSinceFaults = 0;
  /** When the faults were last set (performance.now()): the clock of the stall and errorRateFrom faults. */
  faultsSetAt = performance.now();

  get faults(): FaultConfig {
    return this.currentFaults;
  }

  set faults(faults: FaultConfig) {
    this.currentFaults = faults;
    this.loginsSinceFaults = 0;
    this.faultsSetAt = performance.now();
  }

  /** The tail of the serialLoginMs queue: each login's turn starts when the one before it has ended. */
  private loginQueue: Promise<void> = Promise.resolve();

  /** Waits for this login's turn in the serialLoginMs queue and holds it; at once when the fault is off. */
  loginTurn(): Promise<void> {
    const ms = this.currentFaults.serialLoginMs;
    if (ms <= 0) return Promise.resolve();
    const turn = this.loginQueue.then(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.loginQueue = turn;
    return turn;
  }

  /** Whether the login being answered now must fail under the failLogin fault. */
  loginFails(): boolean {
    return this.currentFaults.failLogin && this.loginsSinceFaults >= this.currentFaults.failLoginAfter;
  }
  readonly jwtSecret: string;
  /** Ports held by running strategies. */
  readonly usedPorts = new Set<number>();
  /** Pending background transitions (starting → running, stopping → stopped), one per strategy. */
  private readonly transitions = new Map<number, NodeJS.Timeout>();
  /** Simulated FreqTrade log per strategy; absent until the strategy is first started ("no log file"). */
  readonly logs = new Map<number, LogLine[]>();
  /** Serialized strategy pages, valid for one store.strategyVersion. */
  readonly pageCache = new PageCache();

  constructor(
    readonly store: Store,
    readonly hasher: PasswordHasher,
    opts: {
      jwtSecret?: string | undefined;
      tokenLifetimeSeconds: number;
      startDelayMs: number;
      stopDelayMs: number;
    },
  ) {
    this.jwtSecret = opts.jwtSecret ?? randomBytes(32).toString('hex');
    this.tokenLifetimeSeconds = opts.tokenLifetimeSeconds;
    this.startDelayMs = opts.startDelayMs;
    this.stopDelayMs = opts.stopDelayMs;
  }

  readonly tokenLifetimeSeconds: number;
  readonly startDelayMs: number;
  readonly stopDelayMs: number;

  /** Lifetime for a token issued now: the fault switch wins over the configured lifetime. */
  tokenTtl(): number {
    return this.faults.tokenTtlSeconds > 0 ? this.faults.tokenTtlSeconds : this.tokenLifetimeSeconds;
  }

  now(): string {
    return new Date().toISOString();
  }

  userJson(user: UserRow): Record<string, unknown> {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      is_active: user.is_active === 1,
      is_superuser: user.is_superuser === 1,
      created_at: user.created_at,
      last_login: user.last_login,
    };
  }

  private appendLog(id: number, level: string, message: string): void {
    const date = new Date();
    const ts =
      `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)},` +
      `${String(date.getMilliseconds()).padStart(3, '0')}`;
    const raw = `${ts} - freqtrade.worker - ${level} - ${message}`;
    let lines = this.logs.get(id);
    if (!lines) {
      lines = [];
      this.logs.set(id, lines);
    }
    lines.push({ timestamp: ts, logger: 'freqtrade.worker', level, message, raw });
    if (lines.length > 1000) lines.splice(0, lines.length - 1000);
  }

  private schedule(id: number, delayMs: number, fn: () => void): void {
    this.cancelTransition(id);
    const timer = setTimeout(() => {
      this.transitions.delete(id);
      fn();
    }, delayMs);
    timer.unref();
    this.transitions.set(id, timer);
  }

  cancelTransition(id: number): void {
    const timer = this.transitions.get(id);
    if (timer) {
      clearTimeout(timer);
      this.transitions.delete(id);
    }
  }

  private allocatePort(id: number): number | null {
    const preferred = FIRST_PORT + id;
    if (preferred <= LAST_PORT && !this.usedPorts.has(preferred)) return preferred;
    for (let port = FIRST_PORT; port <= LAST_PORT; port++) if (!this.usedPorts.has(port)) return port;
    return null;
  }

  releasePort(port: number | null): void {
    if (port !== null) this.usedPorts.delete(port);
  }

  /** Sets `starting` now and `running` after the start delay, as the real background task does on success. */
  beginStart(id: number): void {
    this.store.setStatus(id, 'starting');
    this.appendLog(id, 'INFO', 'Starting freqtrade in dry-run mode');
    this.schedule(id, this.startDelayMs, () => {
      const port = this.allocatePort(id);
      if (port === null) {
        this.store.setStatus(id, 'stopped');
        this.appendLog(id, 'ERROR', 'No free port in the pool');
        return;
      }
      this.usedPorts.add(port);
      this.store.setStatus(id, 'running', { port, processId: 10000 + id, startedAt: this.now() });
      this.appendLog(id, 'INFO', `Bot heartbeat. PID=${10000 + id}, state='RUNNING'`);
    });
  }

  /** Sets `stopping` now and `stopped` after the stop delay. */
  beginStop(id: number, port: number | null): void {
    this.store.setStatus(id, 'stopping');
    this.appendLog(id, 'INFO', 'Stopping freqtrade');
    this.schedule(id, this.stopDelayMs, () => {
      this.releasePort(port);
      this.store.setStatus(id, 'stopped', { port: null, processId: null, stoppedAt: this.now() });
      this.appendLog(id, 'INFO', 'Freqtrade stopped');
    });
  }

  close(): void {
    for (const timer of this.transitions.values()) clearTimeout(timer);
    this.transitions.clear();
  }
}
