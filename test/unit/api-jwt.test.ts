import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signJwt, verifyJwt } from '../../reference-api/jwt.js';

describe('jwt', () => {
  const now = 1_700_000_000;
  it('round-trips claims', () => {
    assert.deepEqual(verifyJwt(signJwt({ sub: 'u', exp: now + 10 }, 's'), 's', now), {
      sub: 'u',
      exp: now + 10,
    });
  });
  it('rejects expiry at the boundary, wrong secrets, tampering and alg none', () => {
    assert.equal(verifyJwt(signJwt({ sub: 'u', exp: now }, 's'), 's', now), null);
    assert.equal(verifyJwt(signJwt({ sub: 'u', exp: now + 10 }, 's'), 't', now), null);
    const [header, , sig] = signJwt({ sub: 'u', exp: now + 10 }, 's').split('.');
    const otherPayload = Buffer.from(JSON.stringify({ sub: 'admin', exp: now + 10 })).toString('base64url');
    assert.equal(verifyJwt(`${header}.${otherPayload}.${sig}`, 's', now), null);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    assert.equal(verifyJwt(`${none}.${otherPayload}.`, 's', now), null);
    assert.equal(verifyJwt('invalid', 's', now), null);
  });
});
