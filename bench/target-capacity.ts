// Capacity of the embedded reference API per operation class, so we know it is never the bottleneck of the
// smoke and load profiles. The API runs pinned to core 0, autocannon (this process) to core 1.
// Part of `npm run bench` (section "target").
import autocannon from 'autocannon';
import { BtcwClient } from '../lib/btcw-client.js';
import { EMBEDDED_USER } from '../lib/credentials.js';
import { startPinnedApi } from './lib/pinned-api.js';

export interface CapacityRow {
  case: string;
  class: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function measure(
  seconds: number,
  name: string,
  cls: string,
  opts: Parameters<typeof autocannon>[0],
): Promise<CapacityRow> {
  const result = await autocannon({ connections: 10, duration: seconds, ...opts });
  const row = {
    case: name,
    class: cls,
    reqPerSec: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
  console.log(
    `${name.padEnd(44)} ${String(row.reqPerSec).padStart(7)} req/s  p50 ${row.p50Ms} ms  ` +
      `p99 ${row.p99Ms} ms  non-2xx ${row.non2xx}  errors ${row.errors}`,
  );
  return row;
}

/** Requests/s per operation class, `seconds` per case, the API on core 0 and autocannon on core 1. */
export async function targetCapacity(seconds: number): Promise<CapacityRow[]> {
  const rows: CapacityRow[] = [];
  const api = await startPinnedApi(['--seed-strategies', '100', '--seed-signals', '1000']);
  try {
    const auth = { authorization: `Bearer ${await BtcwClient.token(api.url, EMBEDDED_USER)}` };
    const json = { ...auth, 'content-type': 'application/json' };
    rows.push(
      await measure(seconds, 'GET /strategies/ (100 strategies)', 'read', {
        url: `${api.url}/api/v1/strategies/`,
        headers: auth,
      }),
    );
    rows.push(
      await measure(seconds, 'GET /strategies/overview', 'read', {
        url: `${api.url}/api/v1/strategies/overview`,
        headers: auth,
      }),
    );
    rows.push(
      await measure(seconds, 'GET /signals/?limit=100 (1000 signals)', 'read', {
        url: `${api.url}/api/v1/signals/?limit=100`,
        headers: auth,
      }),
    );
    rows.push(
      await measure(seconds, 'GET /signals/?pair=BTC/USDT', 'read', {
        url: `${api.url}/api/v1/signals/?pair=BTC/USDT&limit=20`,
        headers: auth,
      }),
    );
    rows.push(
      await measure(seconds, 'POST /signals/webhook/1', 'webhook', {
        url: `${api.url}/api/v1/signals/webhook/1`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          pair: 'BTC/USDT',
          action: 'buy',
          current_rate: 45000,
          indicators: { signal_strength: 0.7 },
        }),
      }),
    );
    rows.push(
      await measure(seconds, 'PUT /strategies/1', 'write', {
        url: `${api.url}/api/v1/strategies/1`,
        method: 'PUT',
        headers: json,
        body: JSON.stringify({ description: 'bench' }),
      }),
    );
    rows.push(
      await measure(seconds, 'POST /auth/token (bcrypt cost 8)', 'auth', {
        url: `${api.url}/api/v1/auth/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=testuser&password=testpass123',
      }),
    );
  } finally {
    api.stop();
  }
  const real = await startPinnedApi(['--bcrypt-cost', '12', '--seed-strategies', '0', '--seed-signals', '0']);
  try {
    rows.push(
      await measure(seconds, 'POST /auth/token (bcrypt cost 12, as real)', 'auth', {
        url: `${real.url}/api/v1/auth/token`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'username=testuser&password=testpass123',
      }),
    );
  } finally {
    real.stop();
  }
  return rows;
}
