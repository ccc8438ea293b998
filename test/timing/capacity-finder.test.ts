// The capacity finder end to end against a saturating embedded API with a known capacity: a measurement,
// so it runs alone. About 2 minutes: each step is 4 s of settle and 40 s graded. The run whose load
// generator is the limit on purpose is test/e2e/capacity-generator-limit.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_FAULTS } from '../../reference-api/faults.js';
import { startTestApi } from '../helpers/api.js';
import { finder, READ_ONLY } from '../helpers/capacity-finder.js';

describe('capacity finder, end to end', () => {
  it('finds a known capacity of 300 req/s within 15 % through 1 s stalls every 30 s', async (test) => {
    // 3 requests at once, 10 ms each: 300 req/s; and every 30 s every response waits 1 s, as the real
    // backend's monitoring call makes it: the few requests of a stall break no step on their own.
    const api = await startTestApi({
      saturation: { maxInflight: 3, serviceMs: 10 },
      faults: { ...NO_FAULTS, stallEverySeconds: 30, stallMs: 1000 },
    });
    test.after(() => api.close());
    // Starts near the answer so that two steps do: 160 users offer about 94 % of the capacity (about 1.8
    // req/s each) and pass, 320 break. At 170, whose demand is a little above it, the queue behind each
    // stall on a busy machine put the read class's p95 past 300 ms, and the search stepped down instead.
    const found = await finder(
      api.api.port,
      ['--mix', READ_ONLY, '--start', '160', '--step-factor', '2', '--max-steps', '2'],
      true,
    );
    assert.equal(found.code, 0, found.stdout + found.stderr);
    const line = /^capacity: ([\d.]+) req\/s at (\d+) users \((.+) limits: (.+)\)$/m.exec(found.stdout);
    assert.ok(line, found.stdout);
    test.diagnostic(line[0]);
    const reqPerSec = Number(line[1]);
    assert.ok(reqPerSec >= 255 && reqPerSec <= 345, `capacity ${reqPerSec} req/s, expected 300 ± 15 %`);
    const capacity = found.capacity!;
    assert.equal(capacity.answer.kind, 'capacity');
    assert.ok(
      ['latency', 'throughput'].includes(capacity.answer.limit!.kind),
      JSON.stringify(capacity.answer.limit),
    );
    assert.equal(capacity.steps.length, 2);
    for (const step of capacity.steps) {
      assert.equal(step.generatorBound, false, `step ${step.index} was generator-bound`);
      assert.ok(step.gradedPeriods >= 3, `step ${step.index}: ${step.gradedPeriods} graded periods`);
      assert.ok(step.classes.some((k) => k.class === 'read' && k.p95 !== null));
      assert.equal(typeof step.generator.addedP95, 'number', 'generator-added latency from Server-Timing');
    }
    assert.equal(capacity.steps[1]!.passed, false);
    // The answer, the step table and the chart's data are in the report too.
    assert.ok(found.html?.includes(capacity.answer.line.replace(/&/g, '&amp;')), 'answer line in the report');
    assert.equal(found.html?.match(/<tr class="(pass|break)">/g)?.length, 2);
    assert.match(found.html ?? '', /id="capacity-data">\{"users":\[160,320\]/);
  });
});
