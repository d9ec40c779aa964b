import type { FeatureBatch, FeatureShape } from '../features/types.js';
import type { TextPooling } from './model/architecture.js';
import type { ClassWeight } from './model/metrics.js';

export interface TrainConfig {
  hidden: number[];
  dropout: number;
  embedding: number;
  /** Text pooling. @default 'tfidf' */
  pooling?: TextPooling;
  /** Add the wide (linear per n-gram) term. @default false */
  wide?: boolean;
  /** L2 penalty on the embedding table's rows. @default 0 */
  textL2?: number;
  /** FTRL α of the wide table (per-coordinate rate α/√n, not decayed). @default 0.1 */
  wideLearningRate?: number;
  /** FTRL L2 of the wide table, against the summed loss of a batch's rows. @default 10 */
  wideL2?: number;
  /** N-grams in fewer train rows than this get idf 0 (ignored). @default 1 */
  minDf?: number;
  /** `linear`: Adam's learning rate decays linearly to 2% of its value over `epochs`. @default 'constant' */
  lrSchedule?: 'linear' | 'constant';
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  classWeight: ClassWeight;
  earlyStopping: { metric: 'val_loss' | 'val_auc'; patience: number };
  seed: number;
}

export interface TrainData {
  shape: FeatureShape;
  train: FeatureBatch;
  validation: FeatureBatch;
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  /** null when the validation split has a single class. */
  valAuc: number | null;
  seconds: number;
}

/** Everything needed to continue training exactly where it stopped (written after every epoch). */
export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  /** Adam steps taken. */
  step: number;
  params: Map<string, Float32Array>;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
  rng: number[];
  best: { epoch: number; metric: number; params: Map<string, Float32Array> } | null;
  /** Epochs since the best one (early stopping counter). */
  stale: number;
  history: EpochMetrics[];
}

export interface TrainProgress {
  epoch: number;
  step: number;
  trainLoss: number;
  valLoss: number | null;
  valAuc: number | null;
}

export interface TrainResult {
  /** Parameters of the best epoch, plus the fitted constants (`idf`) the model needs. */
  params: Map<string, Float32Array>;
  history: EpochMetrics[];
  bestEpoch: number;
  valLoss: number;
  valAuc: number | null;
  provider: 'cpu' | 'cuda';
  stoppedEarly: boolean;
  /** Training samples per second over the epochs this call ran (excluding validation). */
  samplesPerSecond: number;
}
