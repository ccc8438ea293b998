// A minimal BTC Watcher client for set-up and clean-up outside the measured load: the run's before/after
// hooks, the cleanup command and preflight. Every call is bounded by a timeout.
import type { Credentials } from './credentials.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 10_000;

/** The useful part of a fetch failure: undici nests the system error code (ECONNREFUSED, ENOTFOUND, ...). */
export function networkReason(error: unknown): string {
  const err = error as {
    name?: string;
    cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> };
  };
  if (err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? (error as Error).message;
}

async function call(
  base: string,
  method: string,
  path: string,
  init: { token?: string; json?: unknown; form?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ApiError(`${method} ${path} failed: ${networkReason(error)}`);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

/**
 * Clean-up must work against a server that is failing (a run the guard stopped at a 50 % error rate): its
 * logins (when asked), lists and deletes are retried on a 5xx or a network error, with a capped backoff.
 * Never a create, which is not idempotent.
 */
const RETRIES = 8;
const BACKOFF_MS = [100, 200, 400, 800, 1000];

async function retried(
  attempt: () => Promise<{ status: number; body: unknown }>,
): Promise<{ status: number; body: unknown }> {
  for (let tries = 0; ; tries++) {
    let answer: { status: number; body: unknown } | null = null;
    let failure: unknown = null;
    try {
      answer = await attempt();
    } catch (error) {
      failure = error;
    }
    if (answer !== null && (answer.status < 500 || tries >= RETRIES)) return answer;
    if (answer === null && tries >= RETRIES) throw failure;
    const wait = BACKOFF_MS[Math.min(tries, BACKOFF_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

export class BtcwClient {
  private token = '';

  constructor(readonly baseUrl: string) {}

  async health(): Promise<{ status: number; body: unknown }> {
    return call(this.baseUrl, 'GET', '/health');
  }

  /** `retry`: for clean-up (see retried()); preflight's login is timed and fails at once. */
  async login(credentials: Credentials, opts: { retry?: boolean } = {}): Promise<void> {
    const send = () =>
      call(this.baseUrl, 'POST', '/api/v1/auth/token', {
        form: { username: credentials.username, password: credentials.password },
      });
    const response = await (opts.retry ? retried(send) : send());
    const token = (response.body as { access_token?: unknown } | null)?.access_token;
    if (response.status !== 200 || typeof token !== 'string') {
      throw new ApiError(
        `login as "${credentials.username}" answered ${response.status}` +
          (response.status === 401
            ? ' (wrong username or password)'
            : response.status === 200
              ? ' without a token'
              : ''),
        response.status,
      );
    }
    this.token = token;
  }

  /** Logs in on a fresh client and returns the token. */
  static async token(baseUrl: string, credentials: Credentials): Promise<string> {
    const client = new BtcwClient(baseUrl);
    await client.login(credentials);
    return client.token;
  }

  async createStrategy(body: object): Promise<number> {
    const response = await call(this.baseUrl, 'POST', '/api/v1/strategies/', {
      token: this.token,
      json: body,
    });
    const id = (response.body as { id?: unknown } | null)?.id;
    if (response.status !== 200 || typeof id !== 'number')
      throw new ApiError(
        `creating a strategy answered ${response.status}` +
          (response.status === 200 ? ' without a strategy id' : ''),
        response.status,
      );
    return id;
  }

  /** Every active strategy, page by page (`total` is only the page length, so stop at a short page). */
  async listStrategies(): Promise<Array<{ id: number; name: string; status: string }>> {
    const out: Array<{ id: number; name: string; status: string }> = [];
    const limit = 500;
    for (let skip = 0; ; skip += limit) {
      const response = await retried(() =>
        call(this.baseUrl, 'GET', `/api/v1/strategies/?skip=${skip}&limit=${limit}`, { token: this.token }),
      );
      const page = (response.body as { strategies?: unknown } | null)?.strategies;
      if (response.status !== 200 || !Array.isArray(page))
        throw new ApiError(
          `listing strategies answered ${response.status}` +
            (response.status === 200 ? ' without a strategies list' : ''),
          response.status,
        );
      out.push(...(page as Array<{ id: number; name: string; status: string }>));
      if (page.length < limit) return out;
    }
  }

  async deleteStrategy(id: number): Promise<void> {
    const response = await retried(() =>
      call(this.baseUrl, 'DELETE', `/api/v1/strategies/${id}`, { token: this.token }),
    );
    if (response.status !== 200 && response.status !== 404)
      throw new ApiError(`deleting strategy ${id} answered ${response.status}`, response.status);
  }
}
