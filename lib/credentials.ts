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
  const adminProblem = partialAdmin(env);
  if (adminProblem !== null) return { ok: false, error: adminProblem };
  if (username === undefined && password === undefined && local) {
    return { ok: true, user: EMBEDDED_USER, admin: adminFrom(env, EMBEDDED_ADMIN) };
  }
  if (!username || !password) {
    const missing = [!username && 'BTCW_USERNAME', !password && 'BTCW_PASSWORD']
      .filter(Boolean)
      .join(' and ');
    return {
      ok: false,
      error:
        `${missing} ${missing.includes(' and ') ? 'are' : 'is'} missing or empty ` +
        `for environment "${environment}": set ${missing.includes(' and ') ? 'them' : 'it'} ` +
        `in the shell or in config/${environment}.env`,
    };
  }
  return {
    ok: true,
    user: { username, password },
    admin: adminFrom(env, local ? EMBEDDED_ADMIN : LOCUST_ADMIN),
  };
}

/** Half an admin login is a mistake worth stopping for: it used to be dropped silently for admin/admin123. */
function partialAdmin(env: NodeJS.ProcessEnv): string | null {
  const hasUsername = Boolean(env.BTCW_ADMIN_USERNAME);
  const hasPassword = Boolean(env.BTCW_ADMIN_PASSWORD);
  if (hasUsername === hasPassword) return null;
  const [missing, set] = hasUsername
    ? ['BTCW_ADMIN_PASSWORD', 'BTCW_ADMIN_USERNAME']
    : ['BTCW_ADMIN_USERNAME', 'BTCW_ADMIN_PASSWORD'];
  return `${missing} is missing or empty while ${set} is set: set both for a working admin login, or neither`;
}

/** What the AuthenticationUser's admin login (AU-2, `[ADMIN LOGIN]`) is expected to answer, and why. */
export interface AdminExpectation {
  status: number;
  /** A short phrase for the verdict header and the evaluation's meta. */
  reason: string;
  /** BTCW_ADMIN_USERNAME and BTCW_ADMIN_PASSWORD are both set: preflight checks that login once. */
  given: boolean;
}

/**
 * Given admin credentials are expected to work (200). Without them: the embedded API's seeded admin works
 * (200), a stock backend refuses admin/admin123 (401, api-contract §5). `explicit` is an adminLoginStatus
 * variable set by hand (`-v`, or environments.yml), which wins.
 */
export function adminExpectation(
  env: NodeJS.ProcessEnv,
  environment: string | undefined,
  explicit?: unknown,
): AdminExpectation {
  return adminExpectationFor(adminSource(env), environment, explicit);
}

/** Where the admin login comes from: both variables set ('given'), else the target's default. */
export type AdminSource = 'given' | 'default';

export const adminSource = (env: NodeJS.ProcessEnv): AdminSource =>
  env.BTCW_ADMIN_USERNAME && env.BTCW_ADMIN_PASSWORD ? 'given' : 'default';

/** adminExpectation from the source as a run plan records it (lib/run-settings.ts). */
export function adminExpectationFor(
  source: AdminSource,
  environment: string | undefined,
  explicit?: unknown,
): AdminExpectation {
  const given = source === 'given';
  const set = Number(explicit);
  if (explicit !== undefined && explicit !== null && explicit !== '' && Number.isInteger(set))
    return { status: set, reason: 'set by the adminLoginStatus variable', given };
  if (given) return { status: 200, reason: 'admin credentials given (BTCW_ADMIN_USERNAME/PASSWORD)', given };
  if (environment === undefined || environment === 'local')
    return { status: 200, reason: "the embedded API's seeded admin", given };
  return {
    status: 401,
    reason: "no admin credentials given, and a stock backend refuses the Locust suite's admin",
    given,
  };
}

function adminFrom(env: NodeJS.ProcessEnv, fallback: Credentials): Credentials {
  return env.BTCW_ADMIN_USERNAME && env.BTCW_ADMIN_PASSWORD
    ? { username: env.BTCW_ADMIN_USERNAME, password: env.BTCW_ADMIN_PASSWORD }
    : fallback;
}
