// One request over undici, reported under the HTTP engine's metric names, with Locust's failure semantics:
// a timeout, a reset or a refused connection is an outcome the caller records and goes on from, never a
// thrown error that would end the user.
import { Pool } from 'undici';
import { BY_ENDPOINT, ERROR_TIME, HTTP_REQUESTS, HTTP_RESPONSE_TIME } from '../lib/metrics.js';

/** What Artillery's event emitter is asked for: the same calls the HTTP engine makes. */
export interface Emitter {
  emit(kind: 'counter' | 'histogram', name: string, value: number): unknown;
}

export interface Outgoing {
  /** "METHOD /path [LABEL]": the per-endpoint metric name. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query, already templated. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /**
   * Emit metrics-by-endpoint's names for it (default true): the engine does it itself, for runs with that
   * plugin, instead of calling the plugin's hooks (docs/engines.md says why).
   */
  byEndpoint?: boolean;
}

export type Outcome =
  | {
      ok: true;
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: string;
      /** Time to the response's headers (the HTTP engine's firstByte), in whole ms. */
      ms: number;
      /** Time to the body's end (the HTTP engine's total), in whole ms. */
      totalMs: number;
    }
  | { ok: false; code: string; ms: number };

// One keep-alive pool per worker and target: the engine's module state is per worker (one Artillery worker
// is one process).
const pools = new Map<string, Pool>();

export function poolFor(origin: string): Pool {
  let pool = pools.get(origin);
  if (pool === undefined) {
    pool = new Pool(origin, { keepAliveTimeout: 30_000, pipelining: 1 });
    pools.set(origin, pool);
  }
  return pool;
}

export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}

/** The code a failure is recorded under: a timeout reads as the HTTP engine's ETIMEDOUT whatever phase. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return 'ETIMEDOUT';
  if (code === 'UND_ERR_SOCKET') return 'ECONNRESET';
  if (typeof code === 'string' && code !== '') return code;
  return (err as { name?: string } | null)?.name ?? 'Error';
}

/** The HTTP engine's response time by status class. */
function classTime(status: number): string {
  if (status >= 500) return 'http.response_time.5xx';
  if (status >= 400) return 'http.response_time.4xx';
  return status >= 300 ? 'http.response_time.3xx' : 'http.response_time.2xx';
}

// Metric names built once per status and request name, not per request: the hot path allocates no strings.
const codeNames = new Map<number, string>();
const codeName = (status: number): string => {
  let metric = codeNames.get(status);
  if (metric === undefined) {
    metric = `http.codes.${status}`;
    codeNames.set(status, metric);
  }
  return metric;
};

interface EndpointNames {
  time: string;
  codes: Map<number, string>;
}
const endpointNames = new Map<string, EndpointNames>();
function endpoint(name: string): EndpointNames {
  let names = endpointNames.get(name);
  if (names === undefined) {
    names = { time: `${BY_ENDPOINT}response_time.${name}`, codes: new Map() };
    endpointNames.set(name, names);
  }
  return names;
}
const endpointCode = (names: EndpointNames, name: string, status: number): string => {
  let metric = names.codes.get(status);
  if (metric === undefined) {
    metric = `${BY_ENDPOINT}${name}.codes.${status}`;
    names.codes.set(status, metric);
  }
  return metric;
};

/** Sends one request and emits the HTTP engine's http.* and errors.* names; never rejects. */
export async function send(origin: string, req: Outgoing, ee: Emitter): Promise<Outcome> {
  const started = performance.now();
  const byEndpoint = req.byEndpoint !== false;
  ee.emit('counter', HTTP_REQUESTS, 1);
  try {
    const res = await poolFor(origin).request({
      path: req.path,
      method: req.method,
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const ms = Math.round(performance.now() - started);
    const body = await res.body.text();
    const totalMs = Math.round(performance.now() - started);
    const status = res.statusCode;
    ee.emit('counter', codeName(status), 1);
    ee.emit('counter', 'http.responses', 1);
    ee.emit('histogram', HTTP_RESPONSE_TIME, ms);
    ee.emit('histogram', classTime(status), ms);
    if (byEndpoint) {
      const names = endpoint(req.name);
      ee.emit('counter', endpointCode(names, req.name, status), 1);
      ee.emit('histogram', names.time, ms);
    }
    return { ok: true, status, headers: res.headers, body, ms, totalMs };
  } catch (err) {
    const code = errorCode(err);
    const ms = Math.round(performance.now() - started);
    ee.emit('counter', `errors.${code}`, 1);
    // How long a request took to fail (a timeout: the whole timeout), apart from the answered ones' times.
    ee.emit('histogram', ERROR_TIME, ms);
    if (byEndpoint) ee.emit('counter', `${BY_ENDPOINT}${req.name}.errors.${code}`, 1);
    return { ok: false, code, ms };
  }
}
