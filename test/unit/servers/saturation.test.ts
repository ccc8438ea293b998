import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTargetArgs } from '../../../reference-api/api-flags.js';
import {
  SaturationLimiter,
  SaturationSchedule,
  saturationCapacity,
} from '../../../reference-api/saturation.js';
import { startTestApi } from '../../helpers/api.js';

/** The most spans that overlap at any moment. */
function mostAtOnce(spans: Array<{ start: number; end: number }>): number {
  const edges = spans.flatMap((span) => [
    [span.start, 1],
    [span.end, -1],
  ]);
  edges.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!); // an end before a start at the same moment
  let now = 0;
  let most = 0;
  for (const [, change] of edges) {
    now += change!;
    most = Math.max(most, now);
  }
  return most;
}

describe('saturation: the schedule', () => {
  it('serves C at once, each for S ms, and queues the rest in arrival order', () => {
    const schedule = new SaturationSchedule({ maxInflight: 3, serviceMs: 10 });
    const spans = Array.from({ length: 7 }, () => schedule.book(0));
    assert.deepEqual(
      spans.map((x) => x.start),
      [0, 0, 0, 10, 10, 10, 20],
    );
    assert.equal(mostAtOnce(spans), 3);
    for (const span of spans) assert.equal(span.end - span.start, 10);
  });
  it('starts at once when a slot is free, and never before the request arrived', () => {
    const schedule = new SaturationSchedule({ maxInflight: 2, serviceMs: 10 });
    assert.deepEqual(schedule.book(0), { start: 0, end: 10 });
    assert.deepEqual(schedule.book(3), { start: 3, end: 13 });
    assert.deepEqual(schedule.book(5), { start: 10, end: 20 }); // waits for the first slot
    assert.deepEqual(schedule.book(50), { start: 50, end: 60 });
  });
  it('keeps C × 1000 / S requests per second under a steady overload', () => {
    const schedule = new SaturationSchedule({ maxInflight: 3, serviceMs: 10 });
    // 1,000 requests arriving at 600/s (twice the capacity): the last ends after about 1000 / 300 s.
    const spans = Array.from({ length: 1000 }, (_, i) => schedule.book((i * 1000) / 600));
    const lastEnd = Math.max(...spans.map((x) => x.end));
    const rate = (1000 * 1000) / lastEnd;
    assert.ok(rate > 298 && rate <= 300, `${rate} req/s`);
    assert.equal(mostAtOnce(spans), 3);
    assert.equal(saturationCapacity({ maxInflight: 3, serviceMs: 10 }), 300);
    assert.equal(saturationCapacity({ maxInflight: 0, serviceMs: 0 }), null);
  });
  it('the limiter resolves in arrival order and is a no-op when off', async () => {
    let clock = 0;
    const limiter = new SaturationLimiter({ maxInflight: 1, serviceMs: 5 }, () => clock);
    const order: number[] = [];
    const waits = [0, 1, 2, 3].map((i) => limiter.serve()!.then(() => order.push(i)));
    clock = 1;
    await Promise.all(waits);
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(new SaturationLimiter({ maxInflight: 0, serviceMs: 0 }).serve(), null);
  });
});

describe('saturation: the API flags', () => {
  it('takes both flags or neither, as whole numbers, from flags or env', () => {
    const ok = parseTargetArgs(['--max-inflight', '3', '--service-ms', '10'], {});
    assert.ok('options' in ok);
    assert.deepEqual(ok.options.saturation, { maxInflight: 3, serviceMs: 10 });
    const env = parseTargetArgs([], { BTCW_MAX_INFLIGHT: '2', BTCW_SERVICE_MS: '5' });
    assert.ok('options' in env);
    assert.deepEqual(env.options.saturation, { maxInflight: 2, serviceMs: 5 });
    const off = parseTargetArgs([], {});
    assert.ok('options' in off);
    assert.equal(off.options.saturation.maxInflight, 0);
    const one = parseTargetArgs(['--max-inflight', '3'], {});
    assert.ok('error' in one);
    assert.match(one.error, /go together: give both/);
    const bad = parseTargetArgs(['--max-inflight', '0', '--service-ms', '10'], {});
    assert.ok('error' in bad);
    assert.match(bad.error, /--max-inflight must be a whole number from 1/);
  });

  it('queues API requests in the running API, never /health', async (context) => {
    const api = await startTestApi({ saturation: { maxInflight: 1, serviceMs: 40 } });
    context.after(() => api.close());
    const start = performance.now();
    await Promise.all(
      [0, 1, 2, 3].map(() =>
        api.call('GET', '/api/v1/strategies/?skip=0&limit=1').then((r) => assert.equal(r.status, 200)),
      ),
    );
    // One at a time, 40 ms each: all four take at least 160 ms, however late each reaches the server (a
    // lower bound that a busy machine only raises; four served at once would take about 40 ms).
    const ms = performance.now() - start;
    assert.ok(ms >= 4 * 40 - 2, `four requests in ${ms.toFixed(1)} ms: served at once`);
    const health = await api.call('GET', '/health', { token: null });
    assert.equal(health.status, 200);
  });
});
