import crypto from 'node:crypto';

const BLOCK = 64;

/**
 * `piiHash` (activities/pii.ts) for many values: HMAC-SHA256 written out (RFC 2104) with the two
 * keyed pad blocks hashed once and copied per value, instead of a new HMAC key setup each time.
 * Returns the same 32 hex characters as `piiHash(salt, value)` for the value's UTF-8 bytes.
 */
export function pseudonymizer(salt: Buffer): (value: Uint8Array) => string {
  const key = Buffer.alloc(BLOCK);
  (salt.length > BLOCK ? crypto.createHash('sha256').update(salt).digest() : salt).copy(key);
  const ipad = Buffer.alloc(BLOCK), opad = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    ipad[i] = key[i]! ^ 0x36;
    opad[i] = key[i]! ^ 0x5c;
  }
  const inner = crypto.createHash('sha256').update(ipad);
  const outer = crypto.createHash('sha256').update(opad);
  return (value) => outer.copy().update(inner.copy().update(value).digest()).digest('hex').slice(0, 32);
}
