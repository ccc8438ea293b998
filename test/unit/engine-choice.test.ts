import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultEngine, EngineChoiceError, resolveEngine } from '../../engine/choice.js';

test('load, stress, spike and capacity default to btcw; smoke and the modules to http', () => {
  for (const p of ['load', 'stress', 'spike', 'capacity']) assert.equal(defaultEngine(p), 'btcw', p);
  for (const p of ['smoke', 'auth', 'strategy', 'signal']) assert.equal(defaultEngine(p), 'http', p);
});

test('--engine beats BTCW_ENGINE, which beats the profile default', () => {
  assert.equal(resolveEngine('load', 'http', 'btcw'), 'http');
  assert.equal(resolveEngine('smoke', undefined, 'btcw'), 'btcw');
  assert.equal(resolveEngine('smoke', '', ''), 'http');
});

test('an unknown engine is one line naming the source and the choices', () => {
  assert.throws(
    () => resolveEngine('load', 'locust'),
    (e: unknown) => {
      assert.ok(e instanceof EngineChoiceError);
      assert.equal(e.message, '--engine locust is not an engine: use http or btcw');
      return true;
    },
  );
  assert.throws(() => resolveEngine('load', undefined, 'x'), /^Error: BTCW_ENGINE x is not an engine/);
});
