import { murmur3 } from '../core/murmur3.js';

/** Text features are hashed with MurmurHash3 (`core/murmur3.ts`), reproducible in any language. */
export { murmur3 };

/** Bucket id in `1..buckets` (0 stays free for padding). */
export function bucketOf(text: string, buckets: number): number {
  return (murmur3(text) % buckets) + 1;
}
