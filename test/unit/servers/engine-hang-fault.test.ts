import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { closePools, send } from '../../../engine/request.js';
import { parseTargetArgs } from '../../../reference-api/api-flags.js';
import { chooseFault, NO_FAULTS } from '../../../reference-api/faults.js';
import { startTestApi, type TestApi } from '../../helpers/api.js';
import { emitRecorder } from '../../helpers/engine-recorder.js';

let api: TestApi;

before(async () => {
  api = await startTestApi();
});

after(async () => {
  await closePools();
  await api.close();
});

test('hangRate takes its share of the roll after the other faults', () => {
  const faults = { ...NO_FAULTS, resetRate: 0.1, hangRate: 0.2 };
  assert.equal(chooseFault(faults, 0.05), 'reset');
  assert.equal(chooseFault(faults, 0.15), 'hang');
  assert.equal(chooseFault(faults, 0.29), 'hang');
  assert.equal(chooseFault(faults, 0.31), 'none');
});

test('--hang-rate is a target option, checked as a fraction', () => {
  const ok = parseTargetArgs(['--hang-rate', '0.25'], {});
  assert.ok('options' in ok && ok.options.faults.hangRate === 0.25, JSON.stringify(ok));
  const bad = parseTargetArgs(['--hang-rate', '3'], {});
  assert.ok('error' in bad && /hangRate.*between 0 and 1/.test(bad.error), JSON.stringify(bad));
});

test('at hangRate 1 an API request never answers; the engine records ETIMEDOUT under its name', async () => {
  const put = await api.call('PUT', '/__admin/faults', { body: { hangRate: 1 } });
  assert.equal(put.status, 200);
  const ee = emitRecorder();
  const origin = new URL(api.url).origin;
  const out = await send(
    origin,
    {
      name: 'GET /strategies/ [LIST]',
      method: 'GET',
      path: '/api/v1/strategies/',
      headers: { authorization: `Bearer ${api.token}` },
      timeoutMs: 300,
    },
    ee,
  );
  assert.equal(!out.ok && out.code, 'ETIMEDOUT');
  assert.equal(ee.counters.get('plugins.metrics-by-endpoint.GET /strategies/ [LIST].errors.ETIMEDOUT'), 1);
  await api.call('PUT', '/__admin/faults', { body: { hangRate: 0 } });
  const health = await api.call('GET', '/health');
  assert.equal(health.status, 200);
});
