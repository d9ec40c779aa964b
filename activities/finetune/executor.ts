import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config.js';
import { LoomInputError } from '../../core/errors.js';
import type { FeatureBatch } from '../../features/types.js';
import { readCheckpoint, writeCheckpoint } from '../../gpu-worker/checkpoint.js';
import { exportModel } from '../../gpu-worker/export.js';
import { detectGpuCount } from '../../gpu-worker/gpu-count.js';
import { architectureFor, describeArchitecture, paramCount } from '../../gpu-worker/model/architecture.js';
import { train, type TrainConfig } from '../../gpu-worker/train.js';
import type { FinetuneConfig } from '../../kinds/finetune.js';
import { readFeatureSplit } from '../preprocess/feature-table.js';
import type { CellContext, CellExecution, CellExecutor } from '../types.js';
import { checkpointPath, modelPath } from './paths.js';
import { loadFeatureSource } from './source.js';
import { finetuneOutputs } from './summary.js';

let gpuCount: number | undefined;

export function trainConfigOf(cfg: FinetuneConfig): TrainConfig {
  return {
    hidden: cfg.model.hidden, dropout: cfg.model.dropout, embedding: cfg.model.text.embedding, pooling: cfg.model.text.pooling,
    wide: cfg.model.text.wide, textL2: cfg.model.text.l2, wideLearningRate: cfg.model.text.wideLearningRate, wideL2: cfg.model.text.wideL2, minDf: cfg.model.text.minDf,
    epochs: cfg.epochs, batchSize: cfg.batchSize, learningRate: cfg.learningRate, weightDecay: cfg.weightDecay, lrSchedule: cfg.lrSchedule,
    classWeight: cfg.classWeight, earlyStopping: cfg.earlyStopping, seed: cfg.seed,
  };
}

function checkLabels(b: FeatureBatch, split: string, cellId: string): void {
  for (const y of b.labels!) {
    if (y !== 0 && y !== 1) throw new LoomInputError(`The ${split} split of cell "${cellId}" has label ${y}; finetune trains a binary classifier on 0/1 labels. Set the preprocess label's positive value.`);
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, bytes);
  await fs.promises.rename(tmp, file);
}

/**
 * Trains on the train split of a preprocess cell's feature table, validates each epoch, writes a
 * checkpoint after every epoch (a retry continues from it) and exports the best epoch's model.
 */
export const finetuneExecutor: CellExecutor<FinetuneConfig> = async (ctx: CellContext<FinetuneConfig>): Promise<CellExecution> => {
  const cfg = trainConfigOf(ctx.config);
  const src = await loadFeatureSource(ctx.upstream, ctx.config.from, ctx.artifactsDir);
  const trainSplit = await readFeatureSplit(ctx.db, src.table, 'train', src.shape);
  const valSplit = await readFeatureSplit(ctx.db, src.table, 'validation', src.shape);
  if (trainSplit.size === 0) throw new LoomInputError(`The feature table of cell "${src.cellId}" has no train rows; check the preprocess split.`);
  if (valSplit.size === 0) throw new LoomInputError(`The feature table of cell "${src.cellId}" has no validation rows; early stopping needs them. Give the preprocess split a validation fraction.`);
  checkLabels(trainSplit, 'train', src.cellId);
  checkLabels(valSplit, 'validation', src.cellId);

  const ckptFile = checkpointPath(ctx.artifactsDir, ctx.runId, ctx.cellId);
  const fingerprint = crypto.createHash('sha256').update(JSON.stringify({ cfg, shape: src.shape, table: src.table, n: [trainSplit.size, valSplit.size] })).digest('hex');
  const resume = ctx.attempt > 1 ? await readCheckpoint(ckptFile, fingerprint) : undefined;
  const resumedFrom = resume?.epoch ?? 0;
  if (resume) ctx.log.info({ epoch: resume.epoch, attempt: ctx.attempt }, 'resuming training from checkpoint');
  ctx.progress({ epoch: resumedFrom, step: resume?.step ?? 0, resumedFrom, attempt: ctx.attempt });

  gpuCount ??= detectGpuCount(loadConfig().workers.gpuCount);
  const result = await train({ shape: src.shape, train: trainSplit, validation: valSplit }, cfg, {
    gpuCount,
    resume,
    signal: ctx.signal,
    log: ctx.log,
    onProgress: (p) => ctx.progress({ ...p, resumedFrom }),
    onEpoch: (st) => writeCheckpoint(ckptFile, fingerprint, st),
  });

  const a = architectureFor(src.shape, cfg);
  // Deterministic metadata only (no clock, no paths), so the same seed gives the same file.
  const bytes = exportModel(a, result.params, {
    shape: src.shape,
    transform: src.transform,
    training: { config: ctx.config, epochs: result.history.length, bestEpoch: result.bestEpoch, seed: cfg.seed },
  });
  const file = modelPath(ctx.artifactsDir, ctx.runId, ctx.cellId);
  await writeAtomically(file, bytes);
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  return {
    values: { model: file, sha256, epochs: result.history.length, bestEpoch: result.bestEpoch, valLoss: result.valLoss, valAuc: result.valAuc, resumedFrom },
    outputs: finetuneOutputs(result, { model: file, sha256, shape: src.shape, architecture: describeArchitecture(a), params: paramCount(a), trainRows: trainSplit.size, valRows: valSplit.size, resumedFrom }),
    outputHash: sha256,
  };
};
