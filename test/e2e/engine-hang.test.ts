// The hang fault (`npm run target -- --hang-rate F`: that share of API requests never answers) against a
// compressed load run: on the btcw engine no user is lost, every hung request is a failure with its code,
// and the verdict names the timeouts; on Artillery's HTTP engine the same run loses the users it hit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closePools } from '../../engine/request.js';
import { runPackWithFaults } from '../../harness/pack.js';
import { type RunningApi, startApi } from '../../reference-api/server.js';

// 30 users for 9 s with think times at 2 %, each hung request given up after 0.5 s.
const ARGS = [
  '--duration-factor',
  '0.03',
  '--users-factor',
  '0.3',
  '--think-factor',
  '0.02',
  '--request-timeout',
  '0.5',
  '--workers',
  '1',
];
const HANG = { hangRate: 0.05 };

describe('hung requests in a load run', () => {
  let api: RunningApi;
  before(async () => {
    api = await startApi({ port: 0, bcryptCost: 4 });
  });
  after(async () => {
    await closePools();
    await api.close();
  });

  it('btcw: loses no user, counts each hung request as ETIMEDOUT, and the verdict says so', async () => {
    api.timings.reset();
    const run = await runPackWithFaults(api, HANG, [...ARGS, '--engine', 'btcw'], {}, 'load');
    const hung = api.timings.snapshot().hung;
    const evaluation = run.evaluation;
    assert.ok(evaluation, `no evaluation: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-2000)}`);
    const timeouts = evaluation.endpoints.reduce((a, x) => a + (x.errors.ETIMEDOUT ?? 0), 0);
    const counted = run.results!.aggregate.counters['errors.ETIMEDOUT'] ?? 0;
    assert.ok(timeouts >= 5, `hung requests counted under their names: ${timeouts}`);
    assert.equal(timeouts, counted, 'every timeout under its request name');
    // Each request the API left unanswered is a timeout at the client. Compared on the signal routes: the
    // run's clean-up (strategies only) also meets the fault, and its requests are not the users'.
    const onSignals = (name: string) => / \/signals\//.test(name);
    const hungSignals = Object.entries(hung)
      .filter(([route]) => route.startsWith('/api/v1/signals/'))
      .reduce((sum, [, count]) => sum + count, 0);
    const signalTimeouts = evaluation.endpoints
      .filter((endpoint) => onSignals(endpoint.name))
      .reduce((sum, endpoint) => sum + (endpoint.errors.ETIMEDOUT ?? 0), 0);
    assert.ok(hungSignals >= 1, `hung signal requests: ${hungSignals}`);
    // At least: on a busy machine an answer slower than the 0.5 s timeout is a timeout too.
    assert.ok(
      signalTimeouts >= hungSignals,
      `every hung signal request counted as ETIMEDOUT: ${signalTimeouts} of ${hungSignals}`,
    );
    assert.ok(evaluation.overall.failed >= timeouts);
    assert.deepEqual(evaluation.pack.usersStopped, {}, 'no user stopped');
    assert.equal(run.document!.meta.engine, 'btcw', 'the evaluation names the engine the users ran on');
    assert.equal(run.results!.aggregate.counters['vusers.failed'] ?? 0, 0);
    assert.equal(run.results!.aggregate.counters['btcw.users_ended'], 30, 'all 30 users ran to the end');
    assert.notEqual(evaluation.verdict, 'PASS');
    const verdict = run.stdout.slice(run.stdout.lastIndexOf('BTC Watcher performance targets'));
    assert.match(verdict, /ETIMEDOUT/, 'the verdict names the timeouts');
  });

  it('http: the same run loses the users whose requests hung (docs/engines.md)', async () => {
    const run = await runPackWithFaults(api, HANG, [...ARGS, '--engine', 'http'], {}, 'load');
    const evaluation = run.evaluation;
    assert.ok(evaluation, `no evaluation: exit ${run.code}\n${run.stderr}\n${run.stdout.slice(-2000)}`);
    const timeouts = evaluation.endpoints.reduce((a, x) => a + (x.errors.ETIMEDOUT ?? 0), 0);
    assert.ok(timeouts >= 1, `timeouts: ${timeouts}`);
    assert.equal(evaluation.pack.usersStopped.network_error, timeouts, 'each timeout ended its user');
    assert.equal(run.document!.meta.engine, 'http');
  });
});
