// The capacity finder end to end against a saturating embedded API with a known capacity, and a run whose
// load generator is the limit on purpose. About 2.5 minutes: each step is 4 s of settle and 40 s graded.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { CapacityResult } from '../../grading/capacity-grading.js';
import { EXIT } from '../../grading/exit-codes.js';
import { NO_FAULTS } from '../../reference-api/faults.js';
import { startTestApi } from '../helpers/api.js';
import { runCli } from '../helpers/pack.js';
import { tempDir } from '../helpers/temp-dir.js';

const READ_ONLY = 'StrategyReadUser,SignalReadUser';

async function finder(port: number, args: string[], report = false) {
  const out = tempDir('btcw-capacity-');
  const r = await runCli(
    [
      'capacity',
      '--out',
      out,
      '--seed',
      '42',
      '--settle',
      '4',
      '--think-factor',
      '0.25',
      ...(report ? [] : ['--no-report']),
      ...args,
    ],
    { BTCW_API_PORT: String(port) },
  );
  const file = readdirSync(out).find((f) => f.endsWith('.evaluation.json'));
  const doc = file ? JSON.parse(readFileSync(path.join(out, file), 'utf8')) : null;
  const html = readdirSync(out).find((f) => f.endsWith('.html'));
  return {
    ...r,
    capacity: doc?.capacity as CapacityResult | undefined,
    html: html ? readFileSync(path.join(out, html), 'utf8') : null,
  };
}

describe('capacity finder, end to end', () => {
  it('finds a known capacity of 300 req/s within 15 % through 1 s stalls every 30 s', async (t) => {
    // 3 requests at once, 10 ms each: 300 req/s; and every 30 s every response waits 1 s, as the real
    // backend's monitoring call makes it: the few requests of a stall break no step on their own.
    const api = await startTestApi({
      saturation: { maxInflight: 3, serviceMs: 10 },
      faults: { ...NO_FAULTS, stallEverySeconds: 30, stallMs: 1000 },
    });
    t.after(() => api.close());
    // Starts near the answer so that two steps do: 160 users offer about 94 % of the capacity (about 1.8
    // req/s each) and pass, 320 break. At 170, whose demand is a little above it, the queue behind each
    // stall on a busy machine put the read class's p95 past 300 ms, and the search stepped down instead.
    const r = await finder(
      api.api.port,
      ['--mix', READ_ONLY, '--start', '160', '--step-factor', '2', '--max-steps', '2'],
      true,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const line = /^capacity: ([\d.]+) req\/s at (\d+) users \((.+) limits: (.+)\)$/m.exec(r.stdout);
    assert.ok(line, r.stdout);
    t.diagnostic(line[0]);
    const reqPerSec = Number(line[1]);
    assert.ok(reqPerSec >= 255 && reqPerSec <= 345, `capacity ${reqPerSec} req/s, expected 300 ± 15 %`);
    const c = r.capacity!;
    assert.equal(c.answer.kind, 'capacity');
    assert.ok(['latency', 'throughput'].includes(c.answer.limit!.kind), JSON.stringify(c.answer.limit));
    assert.equal(c.steps.length, 2);
    for (const s of c.steps) {
      assert.equal(s.generatorBound, false, `step ${s.index} was generator-bound`);
      assert.ok(s.gradedPeriods >= 3, `step ${s.index}: ${s.gradedPeriods} graded periods`);
      assert.ok(s.classes.some((k) => k.class === 'read' && k.p95 !== null));
      assert.equal(typeof s.generator.addedP95, 'number', 'generator-added latency from Server-Timing');
    }
    assert.equal(c.steps[1]!.passed, false);
    // The answer, the step table and the chart's data are in the report too.
    assert.ok(r.html?.includes(c.answer.line.replace(/&/g, '&amp;')), 'answer line in the report');
    assert.equal(r.html?.match(/<tr class="(pass|break)">/g)?.length, 2);
    assert.match(r.html ?? '', /id="capacity-data">\{"users":\[160,320\]/);
  });

  it('says when the load generator, not the API, was the limit', async (t) => {
    const api = await startTestApi();
    t.after(() => api.close());
    // A tiny CPU budget for the generator: the first step already runs it past 90 % of that.
    const r = await finder(api.api.port, [
      '--mix',
      'StrategyReadUser',
      '--start',
      '20',
      '--generator-cores',
      '0.01',
    ]);
    assert.equal(r.code, EXIT.GENERATOR_LIMIT, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      new RegExp(
        /^capacity: not measured, above [\d.]+ req\/s at 20 users \(the load generator limits: /.source +
          /its CPU ran at \d+ % of 0\.01 cores: bounded by the load generator, not the API\)$/.source,
        'm',
      ),
    );
    const c = r.capacity!;
    t.diagnostic(c.answer.line);
    assert.equal(c.answer.kind, 'generator');
    assert.equal(c.steps.length, 1);
    assert.equal(c.steps[0]!.generatorBound, true);
    assert.match(c.stoppedBecause, /the load generator was the limit at 20 users/);
  });
});
