import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FeatureBatch, FeatureShape } from '../../features/types.js';
import { exportModel } from '../../gpu-worker/export.js';
import { architectureFor, type Architecture } from '../../gpu-worker/model/architecture.js';
import { fitIdf, forwardLogits, forwardSession, train, type TrainConfig } from '../../gpu-worker/train.js';
import { loadModel, readModelMetadata, type LoadedModel } from '../../models/index.js';
import { syntheticBatch } from './synthetic.js';

const CFG: TrainConfig = {
  hidden: [16, 8], dropout: 0.1, embedding: 8, epochs: 6, batchSize: 64, learningRate: 0.01, weightDecay: 1e-4,
  classWeight: 'balanced', earlyStopping: { metric: 'val_loss', patience: 3 }, seed: 42,
};

function data(denseDim: number, maxTokens: number, textBuckets = 50) {
  const shape: FeatureShape = { denseDim, maxTokens, textBuckets, denseNames: Array.from({ length: denseDim }, (_, i) => `f${i}`) };
  return { shape, train: syntheticBatch(1200, denseDim, maxTokens, textBuckets, 1), validation: syntheticBatch(400, denseDim, maxTokens, textBuckets, 2) };
}

/** Largest gap between the exported model's probabilities and the training forward pass's. */
async function worstDifferenceFromTraining(model: LoadedModel, a: Architecture, params: Map<string, Float32Array>, batch: FeatureBatch): Promise<number> {
  const probs = await model.predict(batch);
  const fwd = await forwardSession(a);
  const logits = await forwardLogits(fwd, a, params, batch);
  await fwd.release();
  let worst = 0;
  for (let i = 0; i < logits.length; i++) worst = Math.max(worst, Math.abs(probs[i]! - 1 / (1 + Math.exp(-logits[i]!))));
  return worst;
}

const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

describe('trainer', () => {
  it('learns a known signal, and the exported model predicts what the trainer computed', async () => {
    const d = data(4, 6);
    const r = await train(d, CFG, { provider: 'cpu', threads: 1 });
    expect(r.provider).toBe('cpu');
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.history[5]!.trainLoss).toBeLessThan(r.history[0]!.trainLoss);
    expect(r.valAuc!).toBeGreaterThan(0.8);
    const a = architectureFor(d.shape, CFG);
    const bytes = exportModel(a, r.params, { shape: d.shape, transform: { kind: 'test' }, training: { seed: 42 } });
    const meta = readModelMetadata(bytes);
    expect(JSON.parse(meta['loom.shape']!)).toEqual(d.shape);
    const model = await loadModel(bytes);
    expect(model.transform).toEqual({ kind: 'test' });
    expect(await worstDifferenceFromTraining(model, a, r.params, d.validation)).toBeLessThan(1e-6);
    await model.release();
  });

  // 60 buckets: a batch's 384 token slots outnumber the table's rows, so the whole table is
  // updated each step; 1,000 buckets: only the rows a batch uses (row-sparse).
  it.each([60, 1000])('wide & deep (tfidf pooling, FTRL wide table, L2, linear decay) learns and exports exactly, %i buckets', async (buckets) => {
    // The rows use only ids 1..50: ids 51..buckets never occur in training.
    const d = { ...data(4, 6), shape: { ...data(4, 6).shape, textBuckets: buckets } };
    const cfg: TrainConfig = { ...CFG, wide: true, pooling: 'tfidf', textL2: 1e-3, wideL2: 2, wideLearningRate: 0.3, lrSchedule: 'linear' };
    const r = await train(d, cfg, { provider: 'cpu', threads: 1 });
    expect(r.valAuc!).toBeGreaterThan(0.8);
    expect(r.params.get('wide')!.some((w) => w !== 0)).toBe(true);
    expect(r.params.get('idf')![0]).toBe(0);
    const a = architectureFor(d.shape, cfg);
    const model = await loadModel(exportModel(a, r.params, { shape: d.shape, transform: null, training: {} }));
    expect(await worstDifferenceFromTraining(model, a, r.params, d.validation)).toBeLessThan(1e-6);
    // An n-gram the train split never had weighs nothing: a row of only such ids scores as an empty one.
    const unseen = { ...d.validation, size: 2, labels: undefined, dense: new Float32Array(8), tokens: new Int32Array([d.shape.textBuckets, d.shape.textBuckets, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) };
    expect(r.params.get('idf')![buckets]).toBe(0);
    const [x, y] = await model.predict(unseen);
    expect(x).toBe(y);
    await model.release();
  });

  it('idf is scikit-learn\'s smoothed idf over the train rows, 0 for padding and unseen buckets', () => {
    // 3 rows; bucket 1 in all rows (twice in one), bucket 2 in one row, bucket 3 nowhere.
    const b = { size: 3, denseDim: 0, dense: new Float32Array(0), maxTokens: 3, tokens: new Int32Array([1, 1, 2, 1, 0, 0, 1, 0, 0]) };
    const idf = fitIdf(b, 3);
    expect(idf[0]).toBe(0);
    expect(idf[1]).toBeCloseTo(Math.log(4 / 4) + 1, 6);
    expect(idf[2]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(idf[3]).toBe(0);
    // min_df 2: bucket 2 is in one row only and weighs nothing; bucket 1 keeps its idf.
    const pruned = fitIdf(b, 3, 2);
    expect([...pruned]).toEqual([idf[0], idf[1], 0, 0]);
    expect(fitIdf(b, 3, 4)[1]).toBe(0);
  });

  it('minDf: the model carries the idf fitted with it, and n-grams below it weigh nothing', async () => {
    const d = data(2, 6);
    const r = await train(d, { ...CFG, epochs: 1, wide: true, minDf: 75 }, { provider: 'cpu', threads: 1 });
    const idf = r.params.get('idf')!;
    expect([...idf]).toEqual([...fitIdf(d.train, d.shape.textBuckets, 75)]);
    const all = fitIdf(d.train, d.shape.textBuckets);
    const dropped = [...idf.keys()].filter((t) => t > 0 && idf[t] === 0 && all[t]! > 0);
    expect(dropped.length).toBeGreaterThan(0);
    expect(dropped.length).toBeLessThan(d.shape.textBuckets);
    for (const t of dropped) expect(Math.abs(r.params.get('wide')![t]!)).toBe(0);
  });

  it.each([50, 1000])('same seed and data give a byte-identical model file; another seed does not (%i buckets)', async (buckets) => {
    const d = { ...data(3, 4), shape: { ...data(3, 4).shape, textBuckets: buckets } };
    const cfg: TrainConfig = { ...CFG, epochs: 2, wide: true, textL2: 1e-3, wideL2: 2, lrSchedule: 'linear' };
    const a = architectureFor(d.shape, cfg);
    // ONNX Runtime's default thread count, as the finetune cell trains.
    const file = async (seed: number) => sha(exportModel(a, (await train(d, { ...cfg, seed }, { provider: 'cpu' })).params, { shape: d.shape, transform: null, training: { seed } }));
    const [x, y, z] = [await file(42), await file(42), await file(43)];
    expect(x).toBe(y);
    expect(z).not.toBe(x);
  });

  it('trains text-only (denseDim 0) and tabular-only (maxTokens 0) models', async () => {
    for (const [dd, mt] of [[0, 6], [4, 0]] as const) {
      const d = data(dd, mt);
      const r = await train(d, { ...CFG, epochs: 3, dropout: 0 }, { provider: 'cpu', threads: 1 });
      expect(r.valAuc!).toBeGreaterThan(0.6);
      const model = await loadModel(exportModel(architectureFor(d.shape, CFG), r.params, { shape: d.shape, transform: null, training: {} }));
      const p = await model.predict(d.validation);
      expect(p.length).toBe(400);
      expect(p.every((v) => v > 0 && v < 1)).toBe(true);
      await model.release();
    }
  });

  it('stops early when validation loss stops improving and keeps the best epoch', async () => {
    const d = data(4, 0);
    const r = await train(d, { ...CFG, epochs: 60, learningRate: 0.05, hidden: [64, 64], dropout: 0, earlyStopping: { metric: 'val_loss', patience: 2 } }, { provider: 'cpu', threads: 1 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.length).toBe(r.bestEpoch + 2);
    expect(r.valLoss).toBe(Math.min(...r.history.map((h) => h.valLoss)));
  });

  it('falls back to the CPU provider when CUDA does not load', async () => {
    const r = await train(data(2, 0), { ...CFG, epochs: 1 }, { provider: 'cuda', threads: 1 });
    expect(r.provider).toBe('cpu');
  });
});
