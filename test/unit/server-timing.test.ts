import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generatorAddedMs, serverTotalMs } from '../../plugin/server-timing.js';

describe('generator-added latency from Server-Timing', () => {
  it('reads the total metric among others and with a description', () => {
    assert.equal(serverTotalMs('total;dur=12.5'), 12.5);
    assert.equal(serverTotalMs('db;dur=3, total;desc="all";dur=7'), 7);
    assert.equal(serverTotalMs(['cache;dur=1', 'total;dur=4']), 4);
  });
  it('ignores absent, malformed and other metrics', () => {
    assert.equal(serverTotalMs(undefined), null);
    assert.equal(serverTotalMs('db;dur=3'), null);
    assert.equal(serverTotalMs('total;dur=abc'), null);
    assert.equal(serverTotalMs('subtotal;dur=9'), null);
  });
  it('subtracts the server time from the client time, never below zero', () => {
    assert.equal(generatorAddedMs(20, 'total;dur=12.5'), 7.5);
    assert.equal(generatorAddedMs(3, 'total;dur=4'), 0);
    assert.equal(generatorAddedMs(20, undefined), null);
  });
});
