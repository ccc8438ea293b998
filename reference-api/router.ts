// A small router with Starlette's matching rules: a path that matches no route but would with its trailing
// slash toggled gets a 307 to that URL (method and body kept); a path matched with the wrong method gets 405.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** The route template, e.g. `/api/v1/strategies/{strategy_id}`: used for per-route faults and stats. */
  route: string;
  body: Buffer;
}

export interface Reply {
  status: number;
  body: unknown;
  /** The body already serialized (a cached page); sent instead of JSON.stringify(body). */
  json?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

interface Route {
  method: string;
  template: string;
  segments: string[];
  handler: Handler;
}

export type Match =
  | { kind: 'route'; route: Route; params: Record<string, string> }
  | { kind: 'redirect'; location: string }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

function splitPath(path: string): string[] {
  return path.split('/');
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    this.routes.push({ method, template, segments: splitPath(template), handler });
    return this;
  }

  private matchPath(path: string): Array<{ route: Route; params: Record<string, string> }> {
    const parts = splitPath(path);
    const found: Array<{ route: Route; params: Record<string, string> }> = [];
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let index = 0; index < parts.length; index++) {
        const seg = route.segments[index]!;
        const part = parts[index]!;
        if (seg.startsWith('{')) {
          if (part === '') {
            ok = false;
            break;
          }
          params[seg.slice(1, -1)] = decodeURIComponent(part);
        } else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (ok) found.push({ route, params });
    }
    return found;
  }

  match(method: string, path: string, search: string, host: string | undefined): Match {
    const candidates = this.matchPath(path);
    if (candidates.length > 0) {
      // First route in declaration order wins, as in Starlette (so /strategies/overview precedes /{id}).
      const hit = candidates.find((c) => c.route.method === method);
      return hit ? { kind: 'route', route: hit.route, params: hit.params } : { kind: 'method-not-allowed' };
    }
    if (path !== '/') {
      const toggled = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
      if (this.matchPath(toggled).length > 0) {
        return { kind: 'redirect', location: `http://${host ?? '127.0.0.1'}${toggled}${search}` };
      }
    }
    return { kind: 'not-found' };
  }
}
