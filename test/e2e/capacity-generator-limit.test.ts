// The capacity finder when the load generator, not the API, is the limit: a CPU budget of 0.01 cores is
// past 90 % at the first step whatever the machine's load, so this runs beside other e2e files (the
// known-capacity measurement runs alone, in test/timing/capacity-finder.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT } from '../../grading/exit-codes.js';
import { startTestApi } from '../helpers/api.js';
import { finder } from '../helpers/capacity-finder.js';

describe('capacity finder, end to end', () => {
  it('says when the load generator, not the API, was the limit', async (test) => {
    const api = await startTestApi();
    test.after(() => api.close());
    // A tiny CPU budget for the generator: the first step already runs it past 90 % of that.
    const found = await finder(api.api.port, [
      '--mix',
      'StrategyReadUser',
      '--start',
      '20',
      '--generator-cores',
      '0.01',
    ]);
    assert.equal(found.code, EXIT.GENERATOR_LIMIT, found.stdout + found.stderr);
    assert.match(
      found.stdout,
      new RegExp(
        /^capacity: not measured, above [\d.]+ req\/s at 20 users \(the load generator limits: /.source +
          /its CPU ran at \d+ % of 0\.01 cores: bounded by the load generator, not the API\)$/.source,
        'm',
      ),
    );
    const capacity = found.capacity!;
    test.diagnostic(capacity.answer.line);
    assert.equal(capacity.answer.kind, 'generator');
    assert.equal(capacity.steps.length, 1);
    assert.equal(capacity.steps[0]!.generatorBound, true);
    assert.match(capacity.stoppedBecause, /the load generator was the limit at 20 users/);
  });
});
