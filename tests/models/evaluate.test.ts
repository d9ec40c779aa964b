import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateExecutor } from '../../activities/evaluate/executor.js';
import { preprocessExecutor } from '../../activities/preprocess/executor.js';
import { readFeatureSplit } from '../../activities/preprocess/feature-table.js';
import { LoomGateFailed, LoomInputError } from '../../core/errors.js';
import type { CellResult } from '../../core/run-plan.js';
import { featureShape, parseTransform } from '../../features/index.js';
import { evaluateConfigSchema, parseComparator } from '../../kinds/evaluate.js';
import { preprocessConfigSchema } from '../../kinds/preprocess.js';
import { checkGate } from '../../metrics/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';
import { ingestCsv, writeShopCsv } from './preprocess-fixture.js';
import { fitLogistic, logisticOnnx } from './tiny-onnx.js';

describe('evaluate cell on a trained logistic-regression ONNX model', () => {
  let t: TestDatabase;
  let runId: string;
  let upstream: Record<string, CellResult>;
  let modelPath: string;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    runId = (await insertTestRun(t.db)).runId;
    upstream = await ingestCsv(t.db, runId, 'shop', writeShopCsv(600));
    const config = preprocessConfigSchema.parse({ label: { column: 'recommended' }, features: { numeric: ['age'], categorical: ['dept'], boolean: ['member'] } });
    const pre = await preprocessExecutor(makeCellContext(t.db, { runId, cellId: 'features', config, upstream }));
    upstream.features = { values: pre.values, outputHash: pre.outputHash };
    const transform = parseTransform(fs.readFileSync(String(pre.values.transform), 'utf8'));
    const train = await readFeatureSplit(t.db, String(pre.values.table), 'train', featureShape(transform));
    const { w, bias } = fitLogistic(train);
    modelPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loom-model-')), 'model.onnx');
    fs.writeFileSync(modelPath, logisticOnnx(transform, w, bias));
    upstream.intent = { values: { model: modelPath, sha256: 'x', epochs: 1, bestEpoch: 1, valLoss: 0, valAuc: 0 }, outputHash: 'm' };
  });
  afterAll(async () => { await t.drop(); });

  const run = (config: unknown) => evaluateExecutor(makeCellContext(t.db, { runId, cellId: 'eval', config: evaluateConfigSchema.parse(config), upstream }));

  it('finds the model and features upstream, computes every metric, charts and importance', async () => {
    const done = await run({ require: { auc: '>= 0.6' } });
    const v = done.values;
    expect(v.passed).toBe(true);
    expect(v.model).toBe(modelPath);
    // The label follows row number mod 10, which age and department partly reveal; membership is noise.
    expect(Number(v.auc)).toBeGreaterThan(0.6);
    for (const k of ['pr_auc', 'log_loss', 'brier', 'accuracy', 'precision', 'recall', 'f1', 'threshold']) expect(Number.isFinite(Number(v[k]))).toBe(true);
    const kinds = done.outputs.map((o) => o.metadata?.loom);
    expect(kinds).toEqual(['metrics', 'gates', 'roc', 'pr', 'calibration', 'confusion', 'importance']);
    const imp = done.outputs.at(-1)!.data['application/vnd.vegalite.v5+json'] as { data: { values: { feature: string; drop: number }[] } };
    expect(['age', 'dept']).toContain(imp.data.values[0]!.feature);
    expect(imp.data.values[0]!.drop).toBeGreaterThan(0.05);
    expect(Math.abs(imp.data.values.find((x) => x.feature === 'member')!.drop)).toBeLessThan(imp.data.values[0]!.drop);
    const again = await run({ require: { auc: '>= 0.6' } });
    expect(again.values).toEqual(v);
  });

  it('fails the gate with the metric, the value and the requirement', async () => {
    const err = await run({ require: { auc: '>= 0.99', log_loss: '<= 5' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoomGateFailed);
    expect((err as Error).message).toMatch(/^gate failed: auc 0\.\d+ < 0\.99 required$/);
  });

  it('beats: champion passes without a champion and compares AUC with one', async () => {
    const none = await run({ beats: 'champion', modelName: 'purchase-intent' });
    expect(JSON.stringify(none.outputs[1]!.data)).toMatch(/has no champion yet, so beats: champion passes/);
    await t.db.query(`INSERT INTO models (id, name) VALUES ('m1', 'purchase-intent')`);
    await t.db.query(`INSERT INTO model_versions (id, model_id, version, artifact_path, artifact_sha256, metrics, feature_spec, run_id, cell_id)
      VALUES ('mv1', 'm1', 1, '/x.onnx', 'abc', '{"auc": 0.999}'::jsonb, '{}'::jsonb, $1, 'deploy')`, [runId]);
    await t.db.query(`INSERT INTO model_aliases (model_id, alias, version_id) VALUES ('m1', 'champion', 'mv1')`);
    const err = await run({ beats: 'champion', modelName: 'purchase-intent' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoomGateFailed);
    expect((err as Error).message).toMatch(/gate failed: auc 0\.\d+ does not beat champion v1 \(0\.999\)/);
    await t.db.query(`UPDATE model_versions SET metrics = '{"auc": 0.5}'::jsonb WHERE id = 'mv1'`);
    expect((await run({ beats: 'champion', modelName: 'purchase-intent' })).values.passed).toBe(true);
  });

  it('refuses a missing model file, a model for other features and unknown upstream cells', async () => {
    const missing = await run({ model: '/nonexistent/model.onnx' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LoomInputError);
    expect((missing as Error).message).toMatch(/Cannot read model file/);
    const other = parseTransform(fs.readFileSync(String(upstream.features!.values.transform), 'utf8'));
    const narrow = { ...other, numeric: [], denseNames: other.denseNames.slice(2) };
    const wrong = path.join(path.dirname(modelPath), 'wrong.onnx');
    fs.writeFileSync(wrong, logisticOnnx(narrow, new Float32Array(narrow.denseNames.length), 0));
    const mismatch = await run({ model: wrong, importance: false }).catch((e: unknown) => e);
    expect((mismatch as Error).message).toMatch(/dense features per row, the model expects/);
    const badFeatures = await run({ features: 'nope' }).catch((e: unknown) => e);
    expect((badFeatures as Error).message).toMatch(/features: "nope" is neither an upstream cell nor a feature table/);
  });
});

describe('evaluate config and gates', () => {
  it('parses comparator strings strictly', () => {
    expect(parseComparator('>= 0.85')).toEqual({ op: '>=', value: 0.85 });
    expect(parseComparator('<.4')).toEqual({ op: '<', value: 0.4 });
    for (const bad of ['=> 0.85', '>= ', '0.85', '>= 0.8 or 1', '>= NaN', '>= 1e999', '== 1']) expect(parseComparator(bad)).toBeNull();
  });
  it('words a failed or passed gate for a person', () => {
    expect(checkGate({ metric: 'auc', op: '>=', value: 0.85 }, 0.81).text).toBe('auc 0.81 < 0.85 required');
    expect(checkGate({ metric: 'log_loss', op: '<=', value: 0.4 }, 0.55).text).toBe('log_loss 0.55 > 0.4 required');
    expect(checkGate({ metric: 'auc', op: '>=', value: 0.85 }, NaN).passed).toBe(false);
    expect(checkGate({ metric: 'f1', op: '>', value: 0.5 }, 0.7).passed).toBe(true);
  });
  it.each([
    [{ require: { auc_x: '>= 0.8' } }, 'require.auc_x', /unknown metric "auc_x"; gates can use auc, pr_auc/],
    [{ require: { auc: 'at least 0.8' } }, 'require.auc', /comparison such as ">= 0.85"/],
    [{ require: { auc: 0.8 } }, 'require.auc', /comparison/],
    [{ beats: 'champion' }, 'modelName', /needs modelName/],
    [{ beats: 'everyone', modelName: 'm' }, 'beats', /only be "champion"/],
    [{ threshold: { strategy: 'precision' } }, 'threshold', /needs a target/],
    [{ threshold: { strategy: 'magic' } }, 'threshold.strategy', /max_f1 or precision/],
    [{ importance: { repeats: 1000 } }, 'importance.repeats', /.+/],
    [{ model: 'x'.repeat(5000) }, 'model', /.+/],
    [{ surprise: true }, '', /surprise/],
  ])('refuses bad config %# at %s', (config, where, pattern) => {
    const r = evaluateConfigSchema.safeParse(config);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    if (where) expect(issue.path.join('.')).toBe(where);
    expect(r.error!.issues.map((i) => i.message).join('; ')).toMatch(pattern);
  });
});
