/**
 * Deterministic arm assignment: murmur3 (x86, 32-bit, seed 0) of the UTF-8 bytes of
 * `<salt>:<customer id>` gives a bucket in [0, 10000); cumulative arm weights map buckets to arms.
 * A pure function of its inputs, so every process and every restart assigns alike.
 */

export const BUCKETS = 10_000;

const encoder = new TextEncoder();

/** MurmurHash3 x86_32 of `bytes` (the reference algorithm; unsigned result). */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  let h = seed >>> 0;
  const n = bytes.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The customer's bucket in [0, BUCKETS) for this experiment salt. */
export function bucketOf(salt: string, customerId: string): number {
  return murmur3(encoder.encode(`${salt}:${customerId}`)) % BUCKETS;
}

export interface WeightedArm {
  name: string;
  weight: number;
}

/** Arm boundaries in buckets: arm i owns [bounds[i-1], bounds[i]); the last bound is BUCKETS. */
export function armBounds(arms: readonly WeightedArm[]): number[] {
  const total = arms.reduce((s, a) => s + a.weight, 0);
  if (!(total > 0) || arms.some((a) => !(a.weight > 0))) throw new Error('arm weights must be positive');
  let acc = 0;
  return arms.map((a, i) => {
    acc += a.weight;
    return i === arms.length - 1 ? BUCKETS : Math.round((acc / total) * BUCKETS);
  });
}

/** The arm a customer is assigned to. */
export function assignArm(salt: string, customerId: string, arms: readonly WeightedArm[]): string {
  const bucket = bucketOf(salt, customerId);
  const bounds = armBounds(arms);
  const i = bounds.findIndex((b) => bucket < b);
  return arms[i]!.name;
}
