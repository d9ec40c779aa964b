import { z } from 'zod';
import { TASK_QUEUES } from '../core/queues.js';
import { DEFAULT_RETRY, type KindSpec } from './types.js';

const cellId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/, 'from must be the id of an upstream preprocess cell');

const classWeight = z.union([
  z.enum(['balanced', 'none']),
  z.strictObject({ 0: z.number().positive().max(1e6), 1: z.number().positive().max(1e6) }),
], { error: 'classWeight is "balanced", "none" or { 0: <weight>, 1: <weight> } with positive weights' });

const TEXT_DEFAULTS = { embedding: 64, pooling: 'tfidf', l2: 1e-3, wide: true, wideLearningRate: 0.1, wideL2: 10, minDf: 1 } as const;

/** The text tower: n-gram embeddings pooled into the network's input, plus the wide (linear) term. */
const textSchema = z.strictObject({
  embedding: z.number().int().min(1).max(1024, 'text embedding width is at most 1024').default(TEXT_DEFAULTS.embedding),
  /** tfidf: idf-weighted, L2-normalised sum (idf fitted on the train split); mean: plain average. */
  pooling: z.enum(['tfidf', 'mean'], { error: 'model.text.pooling is tfidf or mean' }).default(TEXT_DEFAULTS.pooling),
  /** L2 penalty on the embedding table. */
  l2: z.number().min(0).max(1, 'model.text.l2 is at most 1').default(TEXT_DEFAULTS.l2),
  /** A linear weight per n-gram added to the logit (wide & deep): logistic regression inside the model. */
  wide: z.boolean().default(TEXT_DEFAULTS.wide),
  /** FTRL-Proximal α of the wide weights: each weight's step is α/√(its summed squared gradients). */
  wideLearningRate: z.number().positive('model.text.wideLearningRate must be positive').max(1000, 'model.text.wideLearningRate is at most 1000').default(TEXT_DEFAULTS.wideLearningRate),
  /**
   * FTRL L2 on the wide weights, against the summed loss of the rows seen: after one epoch it acts
   * as 1/C of logistic regression, and it weakens as epochs accumulate (early stopping picks the point).
   */
  wideL2: z.number().min(0).max(10_000, 'model.text.wideL2 is at most 10000').default(TEXT_DEFAULTS.wideL2),
  /**
   * N-grams found in fewer train rows than this weigh nothing (idf 0), as scikit-learn's min_df:
   * with many rows it drops typos and one-off n-grams the model would otherwise memorise; on small
   * datasets keep 1, since there a rare n-gram is often all the evidence.
   */
  minDf: z.number({ error: 'model.text.minDf is a whole number of train rows' }).int('model.text.minDf is a whole number of train rows').min(1, 'model.text.minDf is at least 1').max(1_000_000, 'model.text.minDf is at most 1000000').default(TEXT_DEFAULTS.minDf),
}).refine((t) => t.minDf === 1 || t.pooling === 'tfidf', { error: 'model.text.minDf works through the idf weights: it needs pooling: tfidf', path: ['minDf'] });

export const finetuneConfigSchema = z.strictObject({
  /** The preprocess cell whose feature table to train on; default: the upstream cell that produced a transform. */
  from: cellId.optional(),
  model: z.strictObject({
    /** Hidden layer widths of the MLP (empty: logistic regression on dense ‖ text). */
    hidden: z.array(z.number().int().min(1, 'hidden layer widths are at least 1').max(4096, 'hidden layer widths are at most 4096')).max(8, 'at most 8 hidden layers').default([128, 64]),
    dropout: z.number().min(0).max(0.9, 'dropout is at most 0.9').default(0.1),
    text: textSchema.default(TEXT_DEFAULTS),
  }).default({ hidden: [128, 64], dropout: 0.1, text: TEXT_DEFAULTS }),
  epochs: z.number({ error: 'epochs is a whole number of passes over the train split' }).int('epochs is a whole number').min(1, 'epochs is at least 1').max(500, 'epochs is at most 500').default(20),
  batchSize: z.number({ error: 'batchSize is a whole number of rows' }).int('batchSize is a whole number').min(1, 'batchSize is at least 1').max(65_536, 'batchSize is at most 65536').default(256),
  learningRate: z.number().positive('learningRate must be positive').max(10, 'learningRate is at most 10').default(1e-3),
  weightDecay: z.number().min(0).max(1, 'weightDecay is at most 1').default(1e-4),
  /** linear: learning rates decay linearly over the epochs (to 2%); constant: they do not. */
  lrSchedule: z.enum(['linear', 'constant'], { error: 'lrSchedule is linear or constant' }).default('linear'),
  classWeight: classWeight.default('balanced'),
  earlyStopping: z.strictObject({
    metric: z.enum(['val_loss', 'val_auc'], { error: 'earlyStopping.metric is val_loss or val_auc' }).default('val_loss'),
    patience: z.number().int().min(1).max(500).default(3),
  }).default({ metric: 'val_loss', patience: 3 }),
  seed: z.number({ error: 'seed is an integer in 0..4294967295' }).int('seed is an integer in 0..4294967295').min(0).max(2 ** 32 - 1, 'seed is an integer in 0..4294967295').default(42),
});

export type FinetuneConfig = z.infer<typeof finetuneConfigSchema>;

export const finetuneKind: KindSpec<FinetuneConfig> = {
  kind: 'finetune',
  description: 'Trains the purchase-intent classifier on a preprocess cell\'s feature table in ONNX Runtime and exports it as .onnx.',
  schema: finetuneConfigSchema,
  defaultQueue: TASK_QUEUES.gpu,
  // A lost worker resumes from the last epoch checkpoint on the next attempt.
  retry: { ...DEFAULT_RETRY, maximumAttempts: 5 },
  timeouts: { startToCloseMs: 12 * 60 * 60_000, heartbeatMs: 60_000 },
  outputs: ['model', 'sha256', 'epochs', 'bestEpoch', 'valLoss', 'valAuc', 'resumedFrom'],
};
