import type { TextOptions } from './text.js';

/** What to fit: the columns of each kind and how to encode them (built from a preprocess config). */
export interface FeatureSpec {
  numeric: string[];
  categorical: { column: string; topK?: number; hashBuckets?: number }[];
  boolean: string[];
  text: string[];
  /** Numeric values are clipped at ±clip standard deviations. @default 5 */
  clip?: number;
  /** One-hot size for categoricals without their own. @default 20 */
  topK?: number;
  textOptions?: Partial<TextOptions>;
}

export interface NumericEncoding { column: string; mean: number; std: number; clip: number }
export type CategoricalEncoding =
  | { column: string; mode: 'onehot'; values: string[] }
  | { column: string; mode: 'hash'; buckets: number };

/**
 * A fitted transform: plain JSON, versioned, stored with the model so serving equals training.
 * Dense layout, in order: per numeric column [z, missing]; per categorical the one-hot values then
 * "other" (or the hash buckets); per boolean column [value, missing]. Text goes to `tokens`.
 */
export interface FeatureTransform {
  format: 'loom.feature-transform';
  version: 1;
  numeric: NumericEncoding[];
  categorical: CategoricalEncoding[];
  boolean: string[];
  text: { columns: string[] } & TextOptions;
  denseNames: string[];
  /** Set by preprocess: the label and entity columns serving may see and ignore. */
  label?: { column: string; positive: string };
  id?: string;
}

/** Train-split statistics the fit needs; computed in SQL by preprocess, in memory by `fitTransform`. */
export interface FitStats {
  numeric: Record<string, { mean: number; std: number; count: number }>;
  /** Most frequent values first (ties by value), at least `topK` of them where there are that many. */
  categorical: Record<string, { value: string; count: number }[]>;
}

export const DEFAULT_TEXT: TextOptions = { buckets: 2 ** 18, maxTokens: 256, wordNgrams: [1, 2], charNgrams: null };
export const DEFAULT_CLIP = 5;
export const DEFAULT_TOP_K = 20;
