import type { FeatureBatch } from '../features/types.js';
import { seededRandom } from '../core/random.js';

/** A feature as people know it: the dense columns (one-hot block, value + missing flag) and/or the text tokens. */
export interface FeatureGroup {
  name: string;
  dense: number[];
  tokens?: boolean;
}

export interface Importance {
  name: string;
  /** Mean drop of the score when the group is shuffled across rows (higher = more important). */
  mean: number;
  std: number;
}

export { seededRandom };

function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i]!; p[i] = p[j]!; p[j] = t;
  }
  return p;
}

function shuffled(b: FeatureBatch, g: FeatureGroup, perm: Int32Array): FeatureBatch {
  const dense = b.dense.slice();
  for (let i = 0; i < b.size; i++) {
    for (const j of g.dense) dense[i * b.denseDim + j] = b.dense[perm[i]! * b.denseDim + j]!;
  }
  let tokens = b.tokens;
  if (g.tokens && b.maxTokens > 0) {
    tokens = new Int32Array(b.tokens.length);
    for (let i = 0; i < b.size; i++) tokens.set(b.tokens.subarray(perm[i]! * b.maxTokens, (perm[i]! + 1) * b.maxTokens), i * b.maxTokens);
  }
  return { ...b, dense, tokens };
}

/**
 * Permutation importance (as sklearn's `permutation_importance`): for each group, `repeats`
 * seeded shuffles of its values across rows, scored against the unshuffled baseline.
 */
export async function permutationImportance(
  batch: FeatureBatch,
  groups: readonly FeatureGroup[],
  predict: (b: FeatureBatch) => Promise<Float32Array>,
  score: (y: Float32Array, p: Float32Array) => number,
  opts: { repeats: number; seed: number },
): Promise<Importance[]> {
  if (!batch.labels) throw new Error('permutation importance needs labelled rows');
  const y = batch.labels;
  const base = score(y, await predict(batch));
  const rand = seededRandom(opts.seed);
  const out: Importance[] = [];
  for (const g of groups) {
    const drops: number[] = [];
    for (let r = 0; r < opts.repeats; r++) {
      drops.push(base - score(y, await predict(shuffled(batch, g, permutation(batch.size, rand)))));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / drops.length;
    const std = Math.sqrt(drops.reduce((a, d) => a + (d - mean) ** 2, 0) / drops.length);
    out.push({ name: g.name, mean, std });
  }
  return out.sort((a, b) => b.mean - a.mean || (a.name < b.name ? -1 : 1));
}
