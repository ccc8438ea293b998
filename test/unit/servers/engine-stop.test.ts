// The btcw engine's users end when the run stops (lib/user-stop.ts), as the plugin asks before Artillery's
// after hook: a user that creates strategies sends nothing more once the stop's wait is over, and its
// engine says its users ended, long before the user's run time is up.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequests } from '../../../bench/lib/measure-generator.js';
import { closePools } from '../../../engine/request.js';
import { TAG_PATTERN } from '../../../lib/tagged-cleanup.js';
import { UserStopper } from '../../../lib/user-stop.js';
import { NO_FAULTS } from '../../../reference-api/faults.js';
import { startTestApi, type TestApi } from '../../helpers/api.js';
import { runUsers } from '../../helpers/engine-users.js';

after(() => closePools());

/** Polls until `reached` holds; fails with `what` after 60 s. */
async function until(reached: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await reached())) {
    assert.ok(Date.now() - started < 60_000, what);
    await sleep(50);
  }
}

/** The API has answered `count` requests more than the set-up's `setUp` (-1 until the set-up is done). */
const answeredAfterSetUp = async (api: TestApi | null, setUp: number, count: number) =>
  api !== null && setUp >= 0 && (await apiRequests(api.url)) >= setUp + count;

/**
 * One user of `cls` for 300 s against a fresh API, not awaited: after a stop the engine leaves Artillery's
 * callback uncalled (the worker ends instead). `api()` is the API once it has started.
 */
function userInBackground(cls: string, thinkFactor: number, afterSetUp?: () => Promise<void>) {
  let api: TestApi | null = null;
  void runUsers({
    engine: 'btcw',
    classes: [cls],
    runSeconds: 300,
    thinkFactor,
    timeoutSeconds: 5,
    freshApi: async () => {
      api = await startTestApi();
      return { origin: new URL(api.url).origin, close: async () => {} };
    },
    afterSetUp,
  });
  return () => api;
}

test('a stop ends a writing user after its request in flight, not at its run time', async () => {
  const stopper = new UserStopper();
  const started = Date.now();
  const api = userInBackground('StrategyWriteUser', 0.01);
  try {
    // Once the user has created strategies of its own (the set-up makes 3 fixtures).
    const tagged = () =>
      api()!
        .api.state.store.activeStrategies()
        .filter((s) => TAG_PATTERN.test(s.name));
    await until(() => api() !== null && tagged().length >= 5, 'the user created no strategies');
    const stopped = await stopper.stopAll(10_000);
    assert.deepEqual(stopped, { ended: true }, 'the engine said its users ended');
    const left = tagged().length;
    await sleep(500); // think times (2-5 s at factor 1) are at most 50 ms at this factor
    assert.equal(tagged().length, left, 'the user created strategies after the stop');
    assert.ok(Date.now() - started < 60_000, 'not its run time (300 s)');
  } finally {
    stopper.close();
    await api()?.close();
  }
});

test('a stop wakes a user in the middle of a long think time', async () => {
  const stopper = new UserStopper();
  let setUp = -1;
  // Think times of 20-60 s: the user is in one right after its first task (SR-3's detail comes at once).
  // The set-up's requests are counted before the user starts.
  const api = userInBackground('StrategyReadUser', 20, async () => {
    setUp = await apiRequests(api()!.url);
  });
  try {
    // The user's login and its first task, then its think time.
    await until(() => answeredAfterSetUp(api(), setUp, 2), 'the user sent no task');
    await sleep(500);
    assert.deepEqual(await stopper.stopAll(5_000), { ended: true }, 'the user ended within 5 s of the stop');
  } finally {
    stopper.close();
    await api()?.close();
  }
});

test('a stop that comes while a request is in flight ends the user before its think time', async () => {
  const stopper = new UserStopper();
  let setUp = -1;
  // After the set-up every answer takes 1 s. Each of the class's tasks is a single request, so the one in
  // flight is its task's last, and a think time of 20-60 s follows it.
  const api = userInBackground('AuthenticatedReadUser', 20, async () => {
    setUp = await apiRequests(api()!.url);
    api()!.api.state.faults = { ...NO_FAULTS, latencyMs: 1000 };
  });
  try {
    // The login answered: the first task's request is on its way, answered 1 s later.
    await until(() => answeredAfterSetUp(api(), setUp, 1), 'the user did not log in');
    await sleep(300);
    assert.equal(await apiRequests(api()!.url), setUp + 1, 'the task request is still in flight');
    assert.deepEqual(await stopper.stopAll(5_000), { ended: true }, 'the user ended within 5 s of the stop');
  } finally {
    stopper.close();
    await api()?.close();
  }
});
