// In a cloud container (WORKER_ID set) the plugin grades nothing: the merged results are graded later. A
// request that failed its expectation must not make the container exit with expect's 21, which the cloud
// tools report as a worker error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPackWithFaults } from '../../harness/pack.js';
import { NO_FAULTS } from '../../reference-api/faults.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

describe('a cloud container', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(async () => {
    api.state.faults = { ...NO_FAULTS };
    await api.close();
  });

  it('exits 0 with failed expectations, writes no verdict, and still counts the failures', async () => {
    // 500s once the container's set-up is done (runPackWithFaults switches them on after the fixtures).
    const run = await runPackWithFaults(
      api,
      { errorRate: 0.3 },
      ['--duration-factor', '0.1', '--think-factor', '0.02'],
      { WORKER_ID: 'container-exit-test' },
    );
    assert.equal(run.code, 0, `exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-2000)}`);
    assert.equal(run.evaluation, undefined, 'a container wrote a verdict');
    const counters = run.results!.aggregate.counters;
    assert.ok((counters['http.codes.500'] ?? 0) > 0, 'the fault hit no request');
    const failed = Object.entries(counters)
      .filter(([name]) => name.startsWith('plugins.btcw-targets.failed.'))
      .reduce((sum, [, count]) => sum + count, 0);
    assert.ok(failed >= (counters['http.codes.500'] ?? 0), 'the worker half did not count failures');
  });
});
