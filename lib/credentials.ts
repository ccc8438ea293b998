// Where the pack's login credentials come from. Never from the repo: environment variables (or the dotenv
// file the runner loads), except for the embedded reference API, whose seeded demo users are its own.

export interface Credentials {
  username: string;
  password: string;
}

/** The reference API's seeded users (target/api-options.ts); valid only against the embedded API. */
export const EMBEDDED_USER: Credentials = { username: 'testuser', password: 'testpass123' };
export const EMBEDDED_ADMIN: Credentials = { username: 'admin', password: 'admin123' };
/** The Locust suite's admin login; on a stock BTC Watcher it answers 401 (api-contract §5). */
const LOCUST_ADMIN: Credentials = { username: 'admin', password: 'admin123' };

export type CredentialResult =
  | { ok: true; user: Credentials; admin: Credentials }
  | { ok: false; error: string };

export function resolveCredentials(
  env: NodeJS.ProcessEnv,
  environment: string | undefined,
): CredentialResult {
  const local = environment === undefined || environment === 'local';
  const username = env.BTCW_USERNAME;
  const password = env.BTCW_PASSWORD;
  if (username === undefined && password === undefined && local) {
    return { ok: true, user: EMBEDDED_USER, admin: adminFrom(env, EMBEDDED_ADMIN) };
  }
  if (!username || !password) {
    const missing = [!username && 'BTCW_USERNAME', !password && 'BTCW_PASSWORD']
      .filter(Boolean)
      .join(' and ');
    return {
      ok: false,
      error: `${missing} ${missing.includes(' and ') ? 'are' : 'is'} missing or empty for environment "${environment}": set ${missing.includes(' and ') ? 'them' : 'it'} in the shell or in config/${environment}.env`,
    };
  }
  return {
    ok: true,
    user: { username, password },
    admin: adminFrom(env, local ? EMBEDDED_ADMIN : LOCUST_ADMIN),
  };
}

function adminFrom(env: NodeJS.ProcessEnv, fallback: Credentials): Credentials {
  return env.BTCW_ADMIN_USERNAME && env.BTCW_ADMIN_PASSWORD
    ? { username: env.BTCW_ADMIN_USERNAME, password: env.BTCW_ADMIN_PASSWORD }
    : fallback;
}
