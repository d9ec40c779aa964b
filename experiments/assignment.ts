/**
 * Deterministic arm assignment: murmur3 (x86, 32-bit, seed 0) of the UTF-8 bytes of
 * `<salt>:<customer id>` gives a bucket in [0, 10000); cumulative arm weights map buckets to arms.
 * A pure function of its inputs, so every process and every restart assigns alike.
 */

import { murmur3 as murmur3Text } from '../core/murmur3.js';

export const BUCKETS = 10_000;

export { murmur3Bytes as murmur3 } from '../core/murmur3.js';

/** The customer's bucket in [0, BUCKETS) for this experiment salt. */
export function bucketOf(salt: string, customerId: string): number {
  return murmur3Text(`${salt}:${customerId}`) % BUCKETS;
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
