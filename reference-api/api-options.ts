// Options of the reference API and their defaults (kept apart from the server so parsing them loads no
// SQLite).
import { type FaultConfig, NO_FAULTS } from './faults.js';
import { NO_SATURATION, type SaturationSetting } from './saturation.js';
import type { SeedOptions } from './seed.js';

export interface ApiOptions {
  host: string;
  port: number;
  /** SQLite file; ':memory:' by default. */
  dbPath: string;
  jwtSecret?: string | undefined;
  tokenLifetimeSeconds: number;
  bcryptCost: number;
  startDelayMs: number;
  stopDelayMs: number;
  maxBodyBytes: number;
  faults: FaultConfig;
  /** --max-inflight C --service-ms S (reference-api/saturation.ts); off by default. */
  saturation: SaturationSetting;
  seed: SeedOptions;
}

export const DEFAULT_API_OPTIONS: ApiOptions = {
  host: '127.0.0.1',
  port: 8000,
  dbPath: ':memory:',
  tokenLifetimeSeconds: 24 * 3600,
  // The real backend uses cost 12 (~0.2 s native, ~0.4 s in bcryptjs); 8 keeps logins real but cheap enough
  // that the reference API is never the bottleneck of a login storm on a 2-core machine.
  bcryptCost: 8,
  startDelayMs: 300,
  stopDelayMs: 300,
  maxBodyBytes: 64 * 1024,
  faults: NO_FAULTS,
  saturation: NO_SATURATION,
  seed: {
    users: [
      { username: 'testuser', password: 'testpass123', email: 'testuser@example.com' },
      { username: 'admin', password: 'admin123', email: 'admin@example.com', superuser: true },
    ],
    strategies: 5,
    signals: 50,
  },
};
