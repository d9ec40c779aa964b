import type { FeatureBatch, FeatureShape } from './types.js';
import { toBoolean, toCategory, toNumber, toText } from './coerce.js';
import { bucketOf } from './hash.js';
import { textTokenIds } from './text.js';
import type { FeatureTransform } from './transform-types.js';

export function featureShape(t: FeatureTransform): FeatureShape {
  const hasText = t.text.columns.length > 0;
  return { denseDim: t.denseNames.length, maxTokens: hasText ? t.text.maxTokens : 0, textBuckets: t.text.buckets, denseNames: [...t.denseNames] };
}

/** Dense features of one row written into `out` at `offset`. */
export function encodeDense(t: FeatureTransform, row: Record<string, unknown>, out: Float32Array, offset: number): void {
  let j = offset;
  for (const n of t.numeric) {
    const x = toNumber(row[n.column]);
    if (x === null) {
      out[j++] = 0;
      out[j++] = 1;
    } else {
      out[j++] = Math.max(-n.clip, Math.min(n.clip, (x - n.mean) / n.std));
      out[j++] = 0;
    }
  }
  for (const c of t.categorical) {
    const v = toCategory(row[c.column]);
    if (c.mode === 'onehot') {
      const i = v === null ? -1 : c.values.indexOf(v);
      out[j + (i >= 0 ? i : c.values.length)] = 1;
      j += c.values.length + 1;
    } else {
      if (v !== null) out[j + bucketOf(v, c.buckets) - 1] = 1;
      j += c.buckets;
    }
  }
  for (const b of t.boolean) {
    const v = toBoolean(row[b]);
    out[j++] = v === true ? 1 : 0;
    out[j++] = v === null ? 1 : 0;
  }
}

/** Hashed text ids of one row (unpadded, at most `maxTokens`). */
export function encodeTokens(t: FeatureTransform, row: Record<string, unknown>): number[] {
  if (t.text.columns.length === 0) return [];
  return textTokenIds(t.text.columns.map((c) => toText(row[c])), t.text);
}

/**
 * Applies a fitted transform to rows. Lenient: missing or unreadable values take the missing
 * encoding; use `validateRows` first where bad input must be refused (serving).
 */
export function applyTransform(t: FeatureTransform, rows: readonly Record<string, unknown>[], labels?: readonly number[]): FeatureBatch {
  const shape = featureShape(t);
  const dense = new Float32Array(rows.length * shape.denseDim);
  const tokens = new Int32Array(rows.length * shape.maxTokens);
  rows.forEach((row, i) => {
    encodeDense(t, row, dense, i * shape.denseDim);
    if (shape.maxTokens > 0) tokens.set(encodeTokens(t, row), i * shape.maxTokens);
  });
  const batch: FeatureBatch = { size: rows.length, dense, denseDim: shape.denseDim, tokens, maxTokens: shape.maxTokens };
  if (labels) batch.labels = Float32Array.from(labels);
  return batch;
}
