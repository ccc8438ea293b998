import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { closePools, send } from '../../../engine/request.js';
import { emitRecorder } from '../../helpers/engine-recorder.js';

let server: Server;
let origin = '';

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answers
    if (req.url === '/reset') return req.socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await closePools();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('an answered request gives the HTTP engine and metrics-by-endpoint names', async () => {
  const ee = emitRecorder();
  const out = await send(origin, { name: 'GET /ok [T]', method: 'GET', path: '/ok', timeoutMs: 2000 }, ee);
  assert.equal(out.ok && out.status, 200);
  assert.equal(ee.counters.get('http.requests'), 1);
  assert.equal(ee.counters.get('http.codes.200'), 1);
  assert.equal(ee.counters.get('plugins.metrics-by-endpoint.GET /ok [T].codes.200'), 1);
  assert.deepEqual(ee.histograms, [
    'http.response_time',
    'http.response_time.2xx',
    'plugins.metrics-by-endpoint.response_time.GET /ok [T]',
  ]);
});

test('a hung request fails under its name and ETIMEDOUT, with its time, and does not throw', async () => {
  const ee = emitRecorder();
  const out = await send(origin, { name: 'GET /hang [T]', method: 'GET', path: '/hang', timeoutMs: 150 }, ee);
  assert.equal(out.ok, false);
  assert.equal(!out.ok && out.code, 'ETIMEDOUT');
  assert.ok(out.ms >= 140, `time recorded: ${out.ms}`);
  assert.equal(ee.counters.get('errors.ETIMEDOUT'), 1);
  assert.equal(ee.counters.get('plugins.metrics-by-endpoint.GET /hang [T].errors.ETIMEDOUT'), 1);
  assert.deepEqual(ee.histograms, ['btcw.error_time'], "its time, apart from the answered requests'");
});

test('a reset and a refused connection are failures with their codes', async () => {
  const ee = emitRecorder();
  const reset = await send(
    origin,
    { name: 'GET /reset [T]', method: 'GET', path: '/reset', timeoutMs: 2000 },
    ee,
  );
  assert.equal(!reset.ok && reset.code, 'ECONNRESET');
  const refused = await send(
    'http://127.0.0.1:1',
    { name: 'GET /x [T]', method: 'GET', path: '/x', timeoutMs: 2000 },
    ee,
  );
  assert.equal(!refused.ok && refused.code, 'ECONNREFUSED');
});
