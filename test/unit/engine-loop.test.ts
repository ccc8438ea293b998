import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closePools } from '../../engine/request.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { emitRecorder } from '../helpers/engine-recorder.js';

let t: TestApi;

before(async () => {
  t = await startTestApi();
});

after(async () => {
  await closePools();
  await t.close();
});

test('loaded as Artillery loads it (entry, default export), a user survives hung requests', async () => {
  // @ts-expect-error: the package entry is plain JS with no declarations of its own
  const ns = await import('../../../engine/entry.js');
  const Engine = ns.default ?? ns;
  const origin = new URL(t.url).origin;
  const engine = new Engine({ config: { target: origin, http: { timeout: 0.2 } } });
  // a third of the requests hang; 4 s leave room for a dozen timeouts and many answers even when undici's
  // timers fire late on a busy machine, so "no answer at all" is not a matter of chance
  await t.call('PUT', '/__admin/faults', { body: { hangRate: 0.3 } });
  const ee = emitRecorder();
  const run = engine.createScenario(
    {
      durationMs: 4000,
      flow: [{ name: 'GET /strategies/ [LIST]', method: 'GET', path: '/api/v1/strategies/', thinkMs: 20 }],
    },
    ee,
  );
  const err = await new Promise((resolve) => run({ vars: {} }, (e: unknown) => resolve(e)));
  await t.call('PUT', '/__admin/faults', { body: { hangRate: 0 } });
  assert.equal(err, null, 'the user ended without an error');
  assert.deepEqual(ee.events, ['started']);
  const timeouts = ee.counters.get('errors.ETIMEDOUT') ?? 0;
  const answered = [...ee.counters]
    .filter(([k]) => k.startsWith('http.codes.'))
    .reduce((s, [, v]) => s + v, 0);
  assert.ok(timeouts >= 2, `hung requests counted as failures: ${timeouts}`);
  assert.ok(answered >= 1, `and the user went on after them: ${answered} answered`);
  assert.equal(ee.counters.get('http.requests'), timeouts + answered);
});
