import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from './types.js';

const column = z.string().min(1, 'a column name is empty').max(200, 'column names are at most 200 characters');
const columns = z.array(column).max(500, 'at most 500 columns of one kind');
const ngram = z.tuple([z.number().int().min(1).max(8), z.number().int().min(1).max(8)])
  .refine(([a, b]) => a <= b, 'n-gram range must be [min, max] with min ≤ max');

const categorical = z.union([
  column.transform((c) => ({ column: c })),
  z.strictObject({
    column,
    /** One-hot size: the K most frequent train values, the rest share an "other" column. */
    topK: z.number().int().min(1).max(1000).optional(),
    /** Hash values into this many columns instead (for high-cardinality columns). */
    hashBuckets: z.number().int().min(1).max(4096).optional(),
  }).refine((c) => c.topK === undefined || c.hashBuckets === undefined, 'give topK or hashBuckets, not both'),
], { error: 'a categorical feature is a column name or { column, topK } or { column, hashBuckets }' });

const features = z.strictObject({
  numeric: columns.default([]),
  categorical: z.array(categorical).max(500).default([]),
  boolean: columns.default([]),
  text: columns.default([]),
  /** Infer kinds from the dataset's column types (text: long average length) for columns not listed. */
  auto: z.boolean().default(false),
  /** Columns `auto` must leave out (the label and id are always left out). */
  exclude: columns.default([]),
  /** Numeric z-scores are clipped at ±clip. */
  clip: z.number().positive().max(1000).default(5),
  /** Default one-hot size for categoricals. */
  topK: z.number().int().min(1).max(1000).default(20),
});

const fraction = z.number().min(0, 'split shares are between 0 and 0.9').max(0.9, 'split shares are between 0 and 0.9');

export const preprocessConfigSchema = z.strictObject({
  /** Upstream dataset cell id; default the nearest upstream cell that produced a dataset. */
  from: z.string().min(1).max(200).optional(),
  label: z.strictObject({
    column,
    /** The value counted as positive (1); needed unless the label is 0/1 or true/false. */
    positive: z.union([z.string().max(1000), z.number(), z.boolean()]).transform(String).optional(),
  }),
  /** Entity column (e.g. customer_id) kept as `entity_id` so serving can score by it. */
  id: column.optional(),
  features: features.default({ numeric: [], categorical: [], boolean: [], text: [], auto: true, exclude: [], clip: 5, topK: 20 }),
  split: z.strictObject({
    validation: fraction.default(0.15),
    test: fraction.default(0.15),
    /** Keep the label's class balance the same in every split. */
    stratify: z.boolean().default(true),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  }).refine((s) => s.validation + s.test < 1, 'validation + test must leave rows for training (sum below 1)')
    .default({ validation: 0.15, test: 0.15, stratify: true, seed: 42 }),
  text: z.strictObject({
    buckets: z.number().int().min(16).max(2 ** 24).default(2 ** 18),
    maxTokens: z.number().int().min(1).max(4096).default(256),
    wordNgrams: ngram.default([1, 2]),
    /**
     * Character n-grams inside words (e.g. [3, 5], for misspellings and word forms); null for none.
     * Off by default: they crowd word n-grams out of maxTokens and, measured on real reviews, make
     * the model rank worse. CJK text needs none: each character is a token and word bigrams pair them.
     */
    charNgrams: ngram.nullable().default(null),
  }).default({ buckets: 2 ** 18, maxTokens: 256, wordNgrams: [1, 2], charNgrams: null }),
});

export type PreprocessConfig = z.infer<typeof preprocessConfigSchema>;

export const preprocessKind: KindSpec<PreprocessConfig> = {
  kind: 'preprocess',
  description: 'Splits a dataset (seeded, stratified), fits a feature transform on the train split and writes a feature table.',
  schema: preprocessConfigSchema,
  defaultQueue: TASK_QUEUES.cpu,
  retry: { ...DEFAULT_RETRY, maximumAttempts: 3 },
  timeouts: { startToCloseMs: 2 * 60 * 60_000, heartbeatMs: 60_000 },
  outputs: ['dataset', 'table', 'transform', 'rows', 'denseDim', 'maxTokens', 'textBuckets'],
};
