// Before any load: the target answers, looks like BTC Watcher, the configured login works and, when admin
// credentials are given, so does the admin login.
import { ApiError, BtcwClient } from '../lib/btcw-client.js';
import type { Credentials } from '../lib/credentials.js';

export class PreflightError extends Error {}

export async function preflight(
  target: URL,
  user: Credentials,
  admin: Credentials | null = null,
): Promise<void> {
  const base = target.origin + target.pathname.replace(/\/$/, '');
  const client = new BtcwClient(base);
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
  if (admin !== null) {
    // Given admin credentials make [ADMIN LOGIN] expect 200: wrong ones would fail every admin login.
    try {
      await new BtcwClient(base).login(admin);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 400)) {
        throw new PreflightError(
          `admin login as "${admin.username}" was refused (${e.status}): ` +
            'check BTCW_ADMIN_USERNAME and BTCW_ADMIN_PASSWORD, ' +
            "or unset both to expect a stock backend's 401",
        );
      }
      throw new PreflightError(`${target.origin} failed the admin login check: ${(e as Error).message}`);
    }
  }
}
