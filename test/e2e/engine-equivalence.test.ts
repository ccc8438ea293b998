// For a fixed seed, a user of each class sends the same requests on Artillery's HTTP engine and on the
// btcw engine: the same names, methods, URLs (ids included), body keys and expected statuses, in order.
// Each user runs alone against an API in its first state, so what it finds in lists is its own doing.
// The runs are cut by time, so one engine may get further than the other: the shorter sequence must be
// the start of the longer one, and long enough to have gone through most of the class's tasks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closePools } from '../../engine/request.js';
import { USER_CLASSES } from '../../processors/catalogue.js';
import { startTestApi } from '../helpers/api.js';
import { runUsers } from '../helpers/engine-users.js';

const freshApi = async () => {
  // Start and stop at once (well, at the next tick): a strategy's status does not depend on timing.
  const api = await startTestApi({ startDelayMs: 0, stopDelayMs: 0 });
  return { origin: new URL(api.url).origin, close: () => api.close() };
};

test('each class sends the same requests on both engines for a fixed seed', async () => {
  const classes = USER_CLASSES.map((c) => c.name);
  const common = { classes, runSeconds: 2, thinkFactor: 0.01, timeoutSeconds: 10, freshApi, seed: 42 };
  const http = await runUsers({ ...common, engine: 'http' });
  const btcw = await runUsers({ ...common, engine: 'btcw' });
  await closePools();
  assert.deepEqual(
    http.ends,
    classes.map(() => null),
    'every HTTP-engine user ended without an error',
  );
  assert.deepEqual(
    btcw.ends,
    classes.map(() => null),
    'every btcw-engine user ended without an error',
  );
  classes.forEach((cls, index) => {
    const onHttp = http.sent[index]!;
    const onBtcw = btcw.sent[index]!;
    const common = Math.min(onHttp.length, onBtcw.length);
    assert.ok(common >= 8, `${cls}: ${onHttp.length} requests on http, ${onBtcw.length} on btcw`);
    assert.deepEqual(
      onBtcw.slice(0, common),
      onHttp.slice(0, common),
      `${cls}: the first ${common} requests`,
    );
  });
  // Not one sequence of one class over and over: the runs went through different requests.
  const names = new Set(btcw.sent.flat().map((r) => r.name));
  assert.ok(names.size >= 50, `${names.size} request names`);
});
