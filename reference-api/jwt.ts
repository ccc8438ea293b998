// HS256 JWTs with node:crypto. Hand-written on purpose: it is a dozen lines, synchronous and cheap on
// the hot path (every authenticated request verifies one), where jose's HS256 goes through async WebCrypto.
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export interface Claims {
  sub: string;
  exp: number;
}

export function signJwt(claims: Claims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const sig = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${sig}`;
}

/** Returns the claims of a valid, unexpired token, or null for anything else. */
export function verifyJwt(token: string, secret: string, nowSeconds: number): Claims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, sig] = parts as [string, string, string];
  if (header !== HEADER) return null; // pins alg=HS256: no "none", no algorithm confusion
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) return null;
  const { sub, exp } = claims as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof exp !== 'number' || exp <= nowSeconds) return null;
  return { sub, exp };
}
