// Starts the reference API on a free port for a test file and gives small typed request helpers.
// Requests go through node:http, which the API has loaded already: fetch would load Node's bundled undici
// and web streams into each test process, about 0.1 CPU-s before the first request.
import { request } from 'node:http';
import { type ApiOptions, type RunningApi, startApi } from '../../reference-api/server.js';

export interface TestApi {
  api: RunningApi;
  url: string;
  token: string;
  call(
    method: string,
    path: string,
    init?: {
      body?: unknown;
      form?: Record<string, string>;
      token?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; body: any; headers: ResponseHeaders }>;
  close(): Promise<void>;
}

/** A response's headers, read as fetch's are: by any case of the name, null when absent. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

interface Answer {
  status: number;
  text: string;
  headers: ResponseHeaders;
}

/** One request, its whole answer as text; redirects are not followed. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('error', reject);
      res.on('end', () => {
        const get = (name: string) => {
          const value = res.headers[name.toLowerCase()];
          if (value === undefined) return null;
          return Array.isArray(value) ? value.join(', ') : String(value);
        };
        resolve({ status: res.statusCode ?? 0, text, headers: { get } });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const JWT_SECRET = 'test-secret-for-contract-tests';

export async function startTestApi(options: Partial<ApiOptions> = {}): Promise<TestApi> {
  const api = await startApi({
    port: 0,
    jwtSecret: JWT_SECRET,
    bcryptCost: 4,
    startDelayMs: 20,
    stopDelayMs: 20,
    ...options,
  });
  const call: TestApi['call'] = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    } else if (init.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    const token = init.token === undefined ? testApi.token : init.token;
    if (token !== null && token !== '') headers.authorization = `Bearer ${token}`;
    const res = await send(api.url + path, method, headers, body);
    const text = res.text;
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // leave as text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const testApi: TestApi = {
    api,
    url: api.url,
    token: '',
    call,
    close: () => api.close(),
  };
  const login = await call('POST', '/api/v1/auth/token', {
    form: { username: 'testuser', password: 'testpass123' },
    token: null,
  });
  if (login.status !== 200) throw new Error(`test login failed: ${login.status}`);
  testApi.token = login.body.access_token as string;
  return testApi;
}

export const VALID_STRATEGY = {
  name: 'Contract Strategy',
  strategy_class: 'SampleStrategy',
  exchange: 'binance',
  timeframe: '5m',
  pair_whitelist: ['BTC/USDT'],
  signal_thresholds: { strong: 0.8, medium: 0.6, weak: 0.4 },
};
