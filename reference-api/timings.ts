// Server-side request accounting for the reference API: per-route counts and status codes, and the server's
// own handling time, so benchmarks can separate generator-added latency from server latency.

const MAX_SAMPLES = 2_000_000;

export interface TimingSnapshot {
  requests: number;
  routes: Record<string, { count: number; codes: Record<string, number> }>;
  latencyMs: { count: number; p50: number; p95: number; p99: number; max: number };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export class ServerTimings {
  private samples = new Float64Array(1024);
  private n = 0;
  private routes = new Map<string, { count: number; codes: Map<number, number> }>();

  record(route: string, ms: number, status: number): void {
    let r = this.routes.get(route);
    if (!r) {
      r = { count: 0, codes: new Map() };
      this.routes.set(route, r);
    }
    r.count++;
    r.codes.set(status, (r.codes.get(status) ?? 0) + 1);
    if (this.n >= MAX_SAMPLES) return;
    if (this.n === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.n++] = ms;
  }

  /** Requests answered on /api routes: cheap (no sort), for pollers that only count. */
  apiRequests(): number {
    let n = 0;
    for (const [route, r] of this.routes) if (route.startsWith('/api/')) n += r.count;
    return n;
  }

  reset(): void {
    this.n = 0;
    this.routes.clear();
  }

  snapshot(): TimingSnapshot {
    const sorted = this.samples.slice(0, this.n).sort();
    let requests = 0;
    const routes: TimingSnapshot['routes'] = {};
    for (const [route, r] of this.routes) {
      requests += r.count;
      routes[route] = {
        count: r.count,
        codes: Object.fromEntries([...r.codes].map(([c, n]) => [String(c), n])),
      };
    }
    return {
      requests,
      routes,
      latencyMs: {
        count: this.n,
        p50: quantile(sorted, 0.5),
        p95: quantile(sorted, 0.95),
        p99: quantile(sorted, 0.99),
        max: this.n ? sorted[this.n - 1]! : 0,
      },
    };
  }
}
