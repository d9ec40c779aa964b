import fs from 'node:fs';
import type { FeatureBatch } from '../../features/types.js';
import { Prng } from '../../gpu-worker/model/prng.js';

export interface BenchShape { denseDim: number; maxTokens: number; textBuckets: number }

/** Seeded purchase-intent-like rows: a linear-plus-interaction dense signal and a few intent tokens. */
export function benchBatch(size: number, s: BenchShape, seed: number): FeatureBatch {
  const rng = new Prng(seed);
  const dense = new Float32Array(size * s.denseDim);
  const tokens = new Int32Array(size * s.maxTokens);
  const labels = new Float32Array(size);
  const coef = new Prng(99);
  const w = Array.from({ length: s.denseDim }, () => coef.normal() * 0.4);
  const intent = new Set(Array.from({ length: 40 }, () => 1 + Math.floor(coef.next() * s.textBuckets)));
  for (let i = 0; i < size; i++) {
    let score = -1.5;
    for (let j = 0; j < s.denseDim; j++) {
      const v = rng.normal();
      dense[i * s.denseDim + j] = v;
      score += w[j]! * v;
    }
    if (s.denseDim >= 2) score += 0.5 * dense[i * s.denseDim]! * dense[i * s.denseDim + 1]!;
    const used = 4 + Math.floor(rng.next() * (s.maxTokens - 4));
    for (let k = 0; k < used; k++) {
      const t = 1 + Math.floor(rng.next() * s.textBuckets);
      tokens[i * s.maxTokens + k] = t;
      if (intent.has(t)) score += 0.8;
    }
    labels[i] = rng.next() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
  }
  return { size, dense, denseDim: s.denseDim, tokens, maxTokens: s.maxTokens, labels };
}

/**
 * The exchange file both trainers read: a JSON header line, then per split the dense float32,
 * tokens int32 and labels float32 arrays (little-endian), in header order.
 */
export function writeBenchFile(file: string, s: BenchShape, splits: Record<string, FeatureBatch>): void {
  const header = { ...s, splits: Object.entries(splits).map(([name, b]) => ({ name, size: b.size })) };
  const parts: Buffer[] = [Buffer.from(JSON.stringify(header) + '\n')];
  for (const b of Object.values(splits)) {
    for (const a of [b.dense, b.tokens, b.labels!]) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}
