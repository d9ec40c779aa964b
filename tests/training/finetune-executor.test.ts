import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finetuneExecutor } from '../../activities/finetune/executor.js';
import { preprocessExecutor } from '../../activities/preprocess/executor.js';
import { LoomInputError } from '../../core/errors.js';
import type { CellResult } from '../../core/run-plan.js';
import { finetuneConfigSchema, finetuneKind } from '../../kinds/finetune.js';
import { FTRL_DEFAULTS } from '../../gpu-worker/model/ftrl.js';
import { preprocessConfigSchema } from '../../kinds/preprocess.js';
import { loadModel } from '../../models/index.js';
import { readFeatureSplit } from '../../activities/preprocess/feature-table.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';
import { ingestCsv, writeShopCsv } from '../models/preprocess-fixture.js';

const FT = { epochs: 5, batchSize: 32, learningRate: 0.01, model: { hidden: [16], dropout: 0.1, text: { embedding: 8 } }, earlyStopping: { patience: 50 } };

describe('finetune cell', () => {
  let t: TestDatabase;
  let runId: string;
  let upstream: Record<string, CellResult>;
  let artifactsDir: string;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    runId = (await insertTestRun(t.db)).runId;
    const shop = await ingestCsv(t.db, runId, 'shop', writeShopCsv());
    const ctx = makeCellContext(t.db, {
      runId, cellId: 'features', upstream: shop,
      config: preprocessConfigSchema.parse({ label: { column: 'recommended' }, features: { numeric: ['age'], categorical: ['dept'], boolean: ['member'], text: ['review'] }, split: { validation: 0.2, test: 0.2 }, text: { buckets: 512, maxTokens: 16 } }),
    });
    artifactsDir = ctx.artifactsDir;
    const pre = await preprocessExecutor(ctx);
    upstream = { ...shop, features: { values: pre.values, outputHash: pre.outputHash } };
  });
  afterAll(async () => { await t.drop(); });

  const ctxFor = (config: unknown, extra: { cellId?: string; attempt?: number; up?: Record<string, CellResult> } = {}) =>
    makeCellContext(t.db, { runId, cellId: extra.cellId ?? 'train', attempt: extra.attempt ?? 1, artifactsDir, upstream: extra.up ?? upstream, config: finetuneConfigSchema.parse(config) });

  it('trains on the feature table, writes a self-contained model and reports curves', async () => {
    expect(finetuneKind.defaultQueue).toBe('loom-gpu');
    const ctx = ctxFor(FT, { cellId: 'full' });
    const done = await finetuneExecutor(ctx);
    const v = done.values;
    expect(v.model).toBe(path.join(artifactsDir, 'models', runId, 'full', 'model.onnx'));
    expect(v.epochs).toBe(5);
    expect(typeof v.valAuc).toBe('number');
    expect(done.outputHash).toBe(v.sha256);
    const model = await loadModel(String(v.model));
    expect(model.transform).toEqual(JSON.parse(fs.readFileSync(String(upstream.features!.values.transform), 'utf8')));
    expect(JSON.parse(model.metadata['loom.training']!)).toMatchObject({ seed: 42, epochs: 5 });
    const test = await readFeatureSplit(t.db, String(upstream.features!.values.table), 'test', model.shape);
    const p = await model.predict(test);
    expect(p.length).toBe(test.size);
    await model.release();
    const chart = done.outputs.find((o) => o.metadata?.loom === 'loss-curve')!;
    const spec = chart.data['application/vnd.vegalite.v5+json'] as { data: { values: { series: string }[] } };
    expect(spec.data.values.filter((x) => x.series === 'validation loss')).toHaveLength(5);
    const progress = ctx.progressCalls.filter((c) => c.valLoss !== null && c.valLoss !== undefined);
    expect(progress.map((c) => c.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(fs.existsSync(path.join(artifactsDir, 'runs', runId, 'full', 'checkpoint.bin'))).toBe(true);
  });

  it('a retry continues from the checkpoint and ends with the same model as an uninterrupted run', async () => {
    const first = ctxFor(FT, { cellId: 'resumed' });
    first.progress = (d) => { first.progressCalls.push(d); if (d.epoch === 2 && d.valLoss !== null) first.abort.abort(); };
    await expect(finetuneExecutor(first)).rejects.toThrow(/interrupted in epoch 3/);
    const retry = ctxFor(FT, { cellId: 'resumed', attempt: 2 });
    const done = await finetuneExecutor(retry);
    const epochs = retry.progressCalls.filter((c) => c.valLoss !== null && c.valLoss !== undefined).map((c) => c.epoch);
    expect(epochs).toEqual([3, 4, 5]);
    expect(retry.progressCalls[0]).toMatchObject({ resumedFrom: 2, attempt: 2 });
    const straight = await finetuneExecutor(ctxFor(FT, { cellId: 'straight' }));
    expect(done.values.sha256).toBe(straight.values.sha256);
    expect(done.values.epochs).toBe(5);
  });

  it('a first attempt ignores a leftover checkpoint, and a checkpoint for other settings is not resumed', async () => {
    const a = await finetuneExecutor(ctxFor({ ...FT, epochs: 2 }, { cellId: 'other' }));
    const b = ctxFor({ ...FT, epochs: 3 }, { cellId: 'other', attempt: 2 });
    await finetuneExecutor(b);
    expect(b.progressCalls[0]).toMatchObject({ resumedFrom: 0 });
    expect(a.values.epochs).toBe(2);
  });

  it('rejects malformed, hostile and oversized config with messages that name the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ epochs: 0 }, /epochs is at least 1/],
      [{ epochs: 501 }, /epochs is at most 500/],
      [{ epochs: 2.5 }, /epochs is a whole number/],
      [{ learningRate: -1 }, /learningRate must be positive/],
      [{ batchSize: 1e9 }, /batchSize is at most/],
      [{ model: { hidden: [1e6] } }, /at most 4096/],
      [{ model: { hidden: Array(9).fill(4) } }, /at most 8 hidden layers/],
      [{ model: { dropout: 1 } }, /dropout is at most 0.9/],
      [{ model: { text: { wideL2: 1e9 } } }, /model\.text\.wideL2 is at most 10000/],
      [{ model: { text: { wideLearningRate: 0 } } }, /wideLearningRate must be positive/],
      [{ model: { text: { minDf: 0 } } }, /model\.text\.minDf is at least 1/],
      [{ model: { text: { minDf: 2.5 } } }, /minDf is a whole number/],
      [{ model: { text: { minDf: '3' } } }, /minDf is a whole number/],
      [{ model: { text: { minDf: 3, pooling: 'mean' } } }, /minDf works through the idf weights: it needs pooling: tfidf/],
      [{ classWeight: { 0: -1, 1: 2 } }, /classWeight/],
      [{ classWeight: 'heavy' }, /classWeight/],
      [{ earlyStopping: { metric: 'accuracy' } }, /val_loss or val_auc/],
      [{ seed: 'x' }, /seed|number/i],
      [{ from: '../../etc' }, /from must be the id/],
      [{ epoch: 3 }, /epoch/],
      [{ seed: 2 ** 40 }, /seed is an integer/],
    ];
    for (const [cfg, msg] of bad) {
      const r = finetuneConfigSchema.safeParse(cfg);
      expect(r.success, JSON.stringify(cfg)).toBe(false);
      expect(r.error!.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')).toMatch(msg);
    }
    expect(finetuneConfigSchema.parse({})).toMatchObject({ epochs: 20, batchSize: 256, learningRate: 1e-3, seed: 42, model: { hidden: [128, 64] } });
    // The trainer's own defaults for direct callers are the kind's.
    expect(finetuneConfigSchema.parse({}).model.text).toMatchObject({ wideLearningRate: FTRL_DEFAULTS.alpha, wideL2: FTRL_DEFAULTS.l2 });
  });

  it('refuses missing or foreign upstream inputs with a LoomInputError', async () => {
    const f = upstream.features!;
    const cases: [Record<string, CellResult>, unknown, RegExp][] = [
      [{}, {}, /needs an upstream preprocess cell/],
      [upstream, { from: 'nope' }, /"nope" is not upstream/],
      [upstream, { from: 'shop' }, /did not produce a feature transform/],
      [{ a: f, b: f }, {}, /say which one with from/],
      [{ features: { ...f, values: { ...f.values, transform: '/etc/passwd' } } }, {}, /outside this installation's artifacts/],
      [{ features: { ...f, values: { ...f.values, transform: path.join(artifactsDir, 'missing.json') } } }, {}, /Cannot read the transform/],
      [{ features: { ...f, values: { ...f.values, table: 'loom_data.ds_000000000000000000000000' } } }, {}, /does not exist/],
      [{ features: { ...f, values: { ...f.values, denseDim: -3 } } }, {}, /no valid denseDim/],
    ];
    for (const [up, cfg, msg] of cases) {
      const err = await finetuneExecutor(ctxFor({ ...FT, ...(cfg as object) }, { up })).catch((e: unknown) => e);
      expect(err, String(msg)).toBeInstanceOf(LoomInputError);
      expect((err as Error).message).toMatch(msg);
    }
  });
});
