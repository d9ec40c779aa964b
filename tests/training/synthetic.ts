import type { FeatureBatch } from '../../features/types.js';
import { Prng } from '../../gpu-worker/model/prng.js';

/**
 * Synthetic rows with a known signal: the label depends on two dense features and on whether
 * the row mentions one of a few "intent" token ids.
 */
export function syntheticBatch(size: number, denseDim: number, maxTokens: number, textBuckets: number, seed = 7): FeatureBatch {
  const rng = new Prng(seed);
  const dense = new Float32Array(size * denseDim);
  const tokens = new Int32Array(size * maxTokens);
  const labels = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let score = -0.5;
    for (let j = 0; j < denseDim; j++) {
      const v = rng.normal();
      dense[i * denseDim + j] = v;
      if (j === 0) score += 1.5 * v;
      if (j === 1) score -= v;
    }
    const used = maxTokens === 0 ? 0 : Math.floor(rng.next() * (maxTokens + 1));
    for (let k = 0; k < used; k++) {
      const t = 1 + Math.floor(rng.next() * textBuckets);
      tokens[i * maxTokens + k] = t;
      if (t <= 3) score += 1.5;
    }
    labels[i] = rng.next() < 1 / (1 + Math.exp(-2 * score)) ? 1 : 0;
  }
  return { size, dense, denseDim, tokens, maxTokens, labels };
}
