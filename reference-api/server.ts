// The reference BTC Watcher API: node:http, one process, SQLite, real JWTs and bcrypt, switchable faults.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiOptions, DEFAULT_API_OPTIONS } from './api-options.js';
import { Store } from './db.js';
import { addedLatency, chooseFault, mergeFaults, NO_FAULTS, stallHold } from './faults.js';
import { PasswordHasher } from './password-hasher.js';
import { type Ctx, type Reply, Router } from './router.js';
import { authRoutes } from './routes/auth.js';
import { signalRoutes } from './routes/signals.js';
import { strategyRoutes } from './routes/strategies.js';
import { RunRegistry } from './run-registry.js';
import { SaturationLimiter } from './saturation.js';
import { seed } from './seed.js';
import { ApiState } from './state.js';
import { ServerTimings } from './timings.js';
import { HttpError, isPlainObject } from './validation.js';

export const API_VERSION = '1.0.0-reference';
export { type ApiOptions, DEFAULT_API_OPTIONS } from './api-options.js';

export interface RunningApi {
  url: string;
  port: number;
  state: ApiState;
  timings: ServerTimings;
  /** The runs using this API: an API started with --exit-when-idle stops once they have all left. */
  runs: RunRegistry;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function send(res: ServerResponse, reply: Reply, startedAt: number): void {
  const body = reply.json ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
  const dur = (performance.now() - startedAt).toFixed(3);
  res.writeHead(reply.status, { ...JSON_HEADERS, 'server-timing': `total;dur=${dur}`, ...reply.headers });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const RUN_ID = /^[A-Za-z0-9_.-]{1,64}$/;

function adminRoutes(router: Router, state: ApiState, timings: ServerTimings, runs: RunRegistry): void {
  router
    // the runs using this API (see run-registry.ts): PUT with {"pid": N} registers, DELETE leaves
    .add('PUT', '/__admin/runs/{run_id}', (ctx) => {
      let body: unknown;
      try {
        body = JSON.parse(ctx.body.toString('utf8') || '{}');
      } catch {
        body = null;
      }
      const id = ctx.params.run_id ?? '';
      const pid = isPlainObject(body) ? body.pid : undefined;
      if (!RUN_ID.test(id) || typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0)
        return { status: 400, body: { detail: 'PUT /__admin/runs/{id} takes {"pid": <process id>}' } };
      runs.add(id, pid);
      return { status: 200, body: { runs: runs.live() } };
    })
    .add('DELETE', '/__admin/runs/{run_id}', (ctx) => {
      runs.remove(ctx.params.run_id ?? '');
      return { status: 200, body: { runs: runs.live() } };
    })
    .add('GET', '/health', () => ({
      status: 200,
      body: { status: 'healthy', app_name: 'BTC Watcher', version: API_VERSION, environment: 'reference' },
    }))
    .add('GET', '/__admin/faults', () => ({ status: 200, body: state.faults }))
    .add('PUT', '/__admin/faults', (ctx) => {
      let patch: unknown;
      try {
        patch = JSON.parse(ctx.body.toString('utf8') || '{}');
      } catch {
        return { status: 400, body: { detail: 'body must be a JSON object of fault settings' } };
      }
      if (!isPlainObject(patch))
        return { status: 400, body: { detail: 'body must be a JSON object of fault settings' } };
      const merged = mergeFaults(
        patch.reset === true ? NO_FAULTS : state.faults,
        Object.fromEntries(Object.entries(patch).filter(([key]) => key !== 'reset')),
      );
      if (typeof merged === 'string') return { status: 400, body: { detail: merged } };
      state.faults = merged;
      return { status: 200, body: state.faults };
    })
    .add('GET', '/__admin/stats', () => ({ status: 200, body: timings.snapshot() }))
    .add('GET', '/__admin/stats/count', () => ({ status: 200, body: { apiRequests: timings.apiRequests() } }))
    .add('POST', '/__admin/stats/reset', () => {
      timings.reset();
      return { status: 200, body: { reset: true } };
    });
}

const isApiPath = (p: string) => p.startsWith('/api/');

export async function startApi(options: Partial<ApiOptions> = {}): Promise<RunningApi> {
  const opts: ApiOptions = { ...DEFAULT_API_OPTIONS, ...options };
  const store = new Store(opts.dbPath);
  const hasher = new PasswordHasher(opts.bcryptCost);
  const state = new ApiState(store, hasher, opts);
  state.faults = { ...opts.faults };
  const timings = new ServerTimings();
  const router = new Router();
  authRoutes(router, state);
  strategyRoutes(router, state);
  signalRoutes(router, state);
  const runs = new RunRegistry();
  adminRoutes(router, state, timings, runs);
  await seed(state, opts.seed);
  const limiter = new SaturationLimiter(opts.saturation ?? DEFAULT_API_OPTIONS.saturation);

  /** Holds a response that is ready during a stall until the stall ends (the stall fault). */
  function stalled(): Promise<void> | undefined {
    const hold = stallHold(state.faults, performance.now() - state.faultsSetAt);
    return hold > 0 ? sleep(hold) : undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const search = queryAt < 0 ? '' : rawUrl.slice(queryAt);
    const method = req.method ?? 'GET';
    const match = router.match(method, path, search, req.headers.host);
    const route = match.kind === 'route' ? match.route.template : path;

    if (isApiPath(path)) {
      // The saturation setting: wait for a slot and hold it (health and admin routes never queue).
      const served = limiter.serve();
      if (served !== null) await served;
      const delay = addedLatency(state.faults, route, Math.random());
      if (delay > 0) await sleep(delay);
      const action = chooseFault(state.faults, Math.random(), performance.now() - state.faultsSetAt);
      if (action !== 'none') await stalled();
      if (action === 'reset') {
        req.socket.resetAndDestroy();
        timings.record(route, performance.now() - startedAt, 0);
        return;
      }
      if (action === 'error') {
        send(
          res,
          { status: 500, body: { error: 'Internal server error', message: 'An error occurred' } },
          startedAt,
        );
        timings.record(route, performance.now() - startedAt, 500);
        return;
      }
      // No answer at all: the client's timeout ends it; close() drops the connection with the others.
      if (action === 'hang') {
        timings.recordHung(route);
        return;
      }
      if (action === 'malformed') {
        res.writeHead(200, JSON_HEADERS);
        res.end('{"total": 1, "strategies": [');
        timings.record(route, performance.now() - startedAt, 200);
        return;
      }
    }

    let reply: Reply;
    try {
      const body =
        method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req, opts.maxBodyBytes);
      if (body === 'too-large') {
        reply = {
          status: 413,
          body: { detail: `Request body larger than ${opts.maxBodyBytes} bytes` },
          headers: { connection: 'close' },
        };
      } else if (match.kind === 'redirect') {
        reply = { status: 307, body: undefined, headers: { location: match.location } };
      } else if (match.kind === 'method-not-allowed') {
        reply = { status: 405, body: { detail: 'Method Not Allowed' } };
      } else if (match.kind === 'not-found') {
        reply = { status: 404, body: { detail: 'Not Found' } };
      } else {
        const ctx: Ctx = {
          req,
          res,
          method,
          path,
          query: new URLSearchParams(search),
          params: match.params,
          route,
          body,
        };
        reply = await match.route.handler(ctx);
      }
    } catch (error) {
      if (error instanceof HttpError)
        reply = { status: error.status, body: error.body, headers: error.headers };
      else reply = { status: 500, body: { error: 'Internal server error', message: 'An error occurred' } };
    }
    if (isApiPath(path)) await stalled();
    send(res, reply, startedAt);
    if (reply.status === 413) req.socket.end();
    timings.record(route, performance.now() - startedAt, reply.status);
  }

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    state,
    timings,
    runs,
    async close() {
      if (closed) return;
      closed = true;
      state.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await hasher.close();
      store.close();
    },
  };
}
