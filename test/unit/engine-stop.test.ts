// The btcw engine's users end when the run stops (lib/user-stop.ts), as the plugin asks before Artillery's
// after hook: a user that creates strategies stops long before its run time is up, and says so.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closePools } from '../../engine/request.js';
import { UserStopper } from '../../lib/user-stop.js';
import { startTestApi } from '../helpers/api.js';
import { runUsers } from '../helpers/engine-users.js';

after(() => closePools());

test('a stop ends a writing user after its request in flight, not at its run time', async () => {
  const stopper = new UserStopper();
  let stopping: Promise<{ ended: boolean }> | null = null;
  const runSeconds = 300;
  const startedAt = Date.now();
  const run = runUsers({
    engine: 'btcw',
    classes: ['StrategyWriteUser'],
    runSeconds,
    thinkFactor: 1, // real think times: the stop must cut a pause short too
    timeoutSeconds: 5,
    freshApi: async () => {
      const api = await startTestApi();
      return { origin: new URL(api.url).origin, close: () => api.close() };
    },
    afterSetUp: async () => {
      // Once the user is under way: its first requests take well under a second.
      setTimeout(() => {
        stopping = stopper.stopAll(10_000);
      }, 1500);
    },
  });
  const { ends, ee } = await run;
  const endedAt = Date.now();
  assert.ok(stopping !== null, 'the stop was sent');
  const stopped = await stopping;
  stopper.close();
  assert.deepEqual(stopped, { ended: true }, 'the engine said its users ended');
  assert.deepEqual(ends, [null], 'the user ended without an error');
  assert.equal(ee.counters.get('btcw.users_ended'), 1);
  // Not its run time (300 s): a generous bound for a busy machine.
  assert.ok(endedAt - startedAt < 60_000, `the user ran ${endedAt - startedAt} ms`);
});
