// Before any load: the target answers, looks like BTC Watcher, and the configured login works.
import { ApiError, BtcwClient } from '../lib/btcw-client.js';
import type { Credentials } from '../lib/credentials.js';

export class PreflightError extends Error {}

export async function preflight(target: URL, user: Credentials): Promise<void> {
  const client = new BtcwClient(target.origin + target.pathname.replace(/\/$/, ''));
  let health: Awaited<ReturnType<BtcwClient['health']>>;
  try {
    health = await client.health();
  } catch (e) {
    throw new PreflightError(
      `${target.origin} does not answer (${(e as Error).message.replace(/^GET \/health failed: /, '')}): start BTC Watcher there or choose another --env`,
    );
  }
  const status = (health.body as { status?: unknown } | null)?.status;
  if (health.status !== 200 || status !== 'healthy') {
    throw new PreflightError(
      `${target.origin}/health answered ${health.status} ${status === undefined ? 'without a BTC Watcher health body' : `status "${String(status)}"`}: is this a BTC Watcher API?`,
    );
  }
  try {
    await client.login(user);
    await client.listStrategies();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      throw new PreflightError(
        `login as "${user.username}" was refused (401): check BTCW_USERNAME and BTCW_PASSWORD, or register the user first`,
      );
    }
    throw new PreflightError(`${target.origin} failed the BTC Watcher check: ${(e as Error).message}`);
  }
}
