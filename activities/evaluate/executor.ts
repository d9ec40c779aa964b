import crypto from 'node:crypto';
import { LoomGateFailed, LoomInputError } from '../../core/errors.js';
import { MIME, type MimeBundle } from '../../core/mime.js';
import { featureGroups, type FeatureBatch } from '../../features/index.js';
import type { EvaluateConfig } from '../../kinds/evaluate.js';
import { checkGates, evaluationReport, formatMetric, permutationImportance, rocAuc, seededRandom, type GateCheck, type Importance } from '../../metrics/index.js';
import { loadModel, type LoadedModel } from '../../models/index.js';
import { calibrationChart, confusionChart, importanceChart, prChart, rocChart } from '../../outputs/charts/evaluation.js';
import { htmlTable } from '../../outputs/html.js';
import { readFeatureSplit } from '../preprocess/feature-table.js';
import type { CellContext, CellExecution, CellExecutor } from '../types.js';
import { championOf, loadTransform, pickFeatures, pickModel } from './inputs.js';

/** Rows per inference call, so a large split never becomes one huge tensor. */
const PREDICT_ROWS = 4096;

async function predictAll(model: LoadedModel, b: FeatureBatch): Promise<Float32Array> {
  const out = new Float32Array(b.size);
  for (let s = 0; s < b.size; s += PREDICT_ROWS) {
    const e = Math.min(b.size, s + PREDICT_ROWS);
    const part: FeatureBatch = {
      size: e - s, denseDim: b.denseDim, maxTokens: b.maxTokens,
      dense: b.dense.subarray(s * b.denseDim, e * b.denseDim), tokens: b.tokens.subarray(s * b.maxTokens, e * b.maxTokens),
    };
    out.set(await model.predict(part), s);
  }
  return out;
}

/** A seeded sample of at most `n` rows (all rows when fewer). */
function sampleRows(b: FeatureBatch, n: number, seed: number): FeatureBatch {
  if (b.size <= n) return b;
  const rand = seededRandom(seed);
  const idx = Array.from({ length: b.size }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (b.size - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const pick = idx.slice(0, n).sort((x, y) => x - y);
  const dense = new Float32Array(n * b.denseDim), tokens = new Int32Array(n * b.maxTokens), labels = new Float32Array(n);
  pick.forEach((r, i) => {
    dense.set(b.dense.subarray(r * b.denseDim, (r + 1) * b.denseDim), i * b.denseDim);
    tokens.set(b.tokens.subarray(r * b.maxTokens, (r + 1) * b.maxTokens), i * b.maxTokens);
    labels[i] = b.labels![r]!;
  });
  return { size: n, dense, denseDim: b.denseDim, tokens, maxTokens: b.maxTokens, labels };
}

/** Scores a model on the test split, picks the threshold on validation, applies the gates. */
export const evaluateExecutor: CellExecutor<EvaluateConfig> = async (ctx: CellContext<EvaluateConfig>): Promise<CellExecution> => {
  const cfg = ctx.config;
  const modelRef = pickModel(ctx.upstream, cfg.model);
  const features = pickFeatures(ctx.upstream, cfg.features);
  const model = await loadModel(modelRef.path);
  try {
    const val = await readFeatureSplit(ctx.db, features.table, 'validation', model.shape);
    const test = await readFeatureSplit(ctx.db, features.table, 'test', model.shape);
    if (val.size === 0) throw new LoomInputError(`The validation split of ${features.table} is empty; the threshold is chosen on it. Give preprocess a validation share above 0.`);
    if (test.size === 0) throw new LoomInputError(`The test split of ${features.table} is empty; give preprocess a test share above 0.`);
    ctx.progress({ phase: 'predict', rows: val.size + test.size });
    const pVal = await predictAll(model, val);
    const pTest = await predictAll(model, test);
    const report = evaluationReport({ y: val.labels!, p: pVal }, { y: test.labels!, p: pTest }, {
      threshold: cfg.threshold.strategy === 'precision' ? { strategy: 'precision', target: cfg.threshold.target! } : { strategy: 'max_f1' },
      calibrationBins: cfg.calibration.bins, calibrationStrategy: cfg.calibration.strategy,
    });
    const m = report.metrics;
    if (!Number.isFinite(m.auc)) throw new LoomInputError(`The test split of ${features.table} holds only one class, so AUC is undefined; use a larger or stratified split.`);

    const checks: GateCheck[] = checkGates(cfg.require, m);
    const notes: string[] = [];
    if (cfg.threshold.strategy === 'precision' && !report.choice.reached) notes.push(`no validation threshold reaches precision ${cfg.threshold.target}; the most precise one (${formatMetric(report.choice.precision)}) is used`);
    if (cfg.beats === 'champion') {
      const champ = await championOf(ctx.db, cfg.modelName!);
      if (!champ) notes.push(`model "${cfg.modelName}" has no champion yet, so beats: champion passes`);
      else if (champ.auc === null) notes.push(`champion v${champ.version} of "${cfg.modelName}" has no stored AUC, so beats: champion passes`);
      else checks.push({ metric: 'auc', op: '>', value: champ.auc, actual: m.auc, passed: m.auc > champ.auc, text: m.auc > champ.auc ? `auc ${formatMetric(m.auc)} beats champion v${champ.version} (${formatMetric(champ.auc)})` : `auc ${formatMetric(m.auc)} does not beat champion v${champ.version} (${formatMetric(champ.auc)})` });
    }
    const failed = checks.filter((c) => !c.passed);
    const passed = failed.length === 0;

    let importance: Importance[] = [];
    const transform = await loadTransform(model.transform, features.transformPath);
    if (cfg.importance !== false && transform) {
      ctx.progress({ phase: 'importance' });
      const imp = cfg.importance;
      const sample = sampleRows(test, imp.maxRows, imp.seed);
      importance = (await permutationImportance(sample, featureGroups(transform), (b) => predictAll(model, b), rocAuc, { repeats: imp.repeats, seed: imp.seed })).slice(0, imp.maxFeatures);
    }

    const outputs = renderOutputs(report, checks, notes, importance, passed);
    if (!passed) throw new LoomGateFailed(`gate failed: ${failed.map((c) => c.text).join('; ')}`);
    const sha = crypto.createHash('sha256').update(JSON.stringify({ model: modelRef.path, m })).digest('hex');
    return {
      values: { auc: m.auc, pr_auc: m.pr_auc, log_loss: m.log_loss, brier: m.brier, accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, threshold: m.threshold, passed, model: modelRef.path },
      outputs,
      outputHash: sha,
    };
  } finally {
    await model.release();
  }
};

function renderOutputs(r: ReturnType<typeof evaluationReport>, checks: GateCheck[], notes: string[], importance: Importance[], passed: boolean): MimeBundle[] {
  const m = r.metrics;
  const rows = Object.entries(m).map(([k, v]) => [k, formatMetric(v)]);
  const gateMd = (checks.length === 0 ? 'No gates.' : checks.map((c) => `${c.passed ? '✓' : '✗'} ${c.text}`).join('  \n'))
    + (notes.length ? `  \n${notes.map((n) => `note: ${n}`).join('  \n')}` : '');
  const out: MimeBundle[] = [
    {
      data: {
        [MIME.html]: htmlTable(['metric (test split)', 'value'], rows),
        [MIME.json]: { ...m, rows: r.rows, confusion: { ...r.confusion } },
        [MIME.markdown]: `Test split: ${r.rows.test} rows (${r.rows.testPositives} positive); threshold ${formatMetric(m.threshold)} chosen on ${r.rows.validation} validation rows. `
          + `AUC **${formatMetric(m.auc)}**, PR AUC ${formatMetric(m.pr_auc)}, log loss ${formatMetric(m.log_loss)}, F1 ${formatMetric(m.f1)}.`,
      },
      metadata: { loom: 'metrics' },
    },
    { data: { [MIME.markdown]: `**${passed ? 'Gates passed' : 'Gates failed'}**  \n${gateMd}`, [MIME.json]: { passed, checks: checks.map((c) => ({ metric: c.metric, op: c.op, required: c.value, actual: c.actual, passed: c.passed, text: c.text })), notes } }, metadata: { loom: 'gates' } },
    rocChart(r.roc.fpr, r.roc.tpr, m.auc),
    prChart(r.pr.recall, r.pr.precision, m.pr_auc, r.rows.testPositives / r.rows.test),
    calibrationChart(r.calibration.probPred, r.calibration.probTrue, r.calibration.counts),
    confusionChart(r.confusion, m.threshold),
  ];
  if (importance.length > 0) out.push(importanceChart(importance, 'AUC'));
  return out;
}
