// Server-side request accounting for the reference API: per-route counts and status codes, and the server's
// own handling time, so benchmarks can separate generator-added latency from server latency.

const MAX_SAMPLES = 2_000_000;

export interface TimingSnapshot {
  requests: number;
  routes: Record<string, { count: number; codes: Record<string, number> }>;
  /** Requests the hang fault left unanswered, by route: each should be a timeout at the client. */
  hung: Record<string, number>;
  latencyMs: { count: number; p50: number; p95: number; p99: number; max: number };
}

function quantile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

export class ServerTimings {
  private samples = new Float64Array(1024);
  private sampleCount = 0;
  private routes = new Map<string, { count: number; codes: Map<number, number> }>();
  private hungByRoute = new Map<string, number>();

  /** A request the hang fault will never answer. */
  recordHung(route: string): void {
    this.hungByRoute.set(route, (this.hungByRoute.get(route) ?? 0) + 1);
  }

  record(route: string, ms: number, status: number): void {
    let tally = this.routes.get(route);
    if (!tally) {
      tally = { count: 0, codes: new Map() };
      this.routes.set(route, tally);
    }
    tally.count++;
    tally.codes.set(status, (tally.codes.get(status) ?? 0) + 1);
    if (this.sampleCount >= MAX_SAMPLES) return;
    if (this.sampleCount === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.sampleCount++] = ms;
  }

  /** Requests answered on /api routes: cheap (no sort), for pollers that only count. */
  apiRequests(): number {
    let count = 0;
    for (const [route, tally] of this.routes) if (route.startsWith('/api/')) count += tally.count;
    return count;
  }

  reset(): void {
    this.sampleCount = 0;
    this.routes.clear();
    this.hungByRoute.clear();
  }

  snapshot(): TimingSnapshot {
    const sorted = this.samples.slice(0, this.sampleCount).sort();
    let requests = 0;
    const routes: TimingSnapshot['routes'] = {};
    for (const [route, tally] of this.routes) {
      requests += tally.count;
      routes[route] = {
        count: tally.count,
        codes: Object.fromEntries([...tally.codes].map(([code, count]) => [String(code), count])),
      };
    }
    return {
      requests,
      routes,
      hung: Object.fromEntries(this.hungByRoute),
      latencyMs: {
        count: this.sampleCount,
        p50: quantile(sorted, 0.5),
        p95: quantile(sorted, 0.95),
        p99: quantile(sorted, 0.99),
        max: this.sampleCount ? sorted[this.sampleCount - 1]! : 0,
      },
    };
  }
}
