/**
 * Runs Loom's ingest and preprocess executors on a real dataset (in-memory PGlite) and writes the
 * split assignment (1-based file row → split), so scikit-learn baselines use the very same split.
 *
 *   npx tsx tests/reference/export-split.ts womens   # → tests/reference/womens-split.json
 *
 * With `--features DIR` it also writes Loom's hashed n-gram ids and labels of every split
 * (`<split>.tokens` int32 rows × maxTokens, `<split>.labels` float32, `meta.json`), and with
 * `--model FILE.onnx` that model's test-split probabilities (`test.loom-probs` float32), for
 * `tests/reference/text_features.py`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../db/client.js';
import { preprocessConfigSchema } from '../../kinds/preprocess.js';
import { preprocessExecutor } from '../../activities/preprocess/executor.js';
import { insertTestRun, makeCellContext, REPO_ROOT, SHARED_DATA } from '../helpers/runs.js';
import { ingestCsv } from '../models/preprocess-fixture.js';
import { loadFeatureSource } from '../../activities/finetune/source.js';
import { readFeatureSplit } from '../../activities/preprocess/feature-table.js';
import { loadModel } from '../../models/index.js';
import type { Database } from '../../db/client.js';
import type { CellExecution } from '../../activities/types.js';

const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

const bytesOf = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Loom's feature batches of every split (and a model's test probabilities) as raw files. */
async function writeFeatures(db: Database, done: CellExecution, artifactsDir: string, dir: string, modelFile: string | undefined): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const src = await loadFeatureSource({ features: { values: done.values, outputHash: done.outputHash } }, 'features', artifactsDir);
  const meta: Record<string, unknown> = { textBuckets: src.shape.textBuckets, maxTokens: src.shape.maxTokens };
  for (const split of ['train', 'validation', 'test'] as const) {
    const b = await readFeatureSplit(db, src.table, split, src.shape);
    fs.writeFileSync(path.join(dir, `${split}.tokens`), bytesOf(b.tokens));
    fs.writeFileSync(path.join(dir, `${split}.labels`), bytesOf(b.labels!));
    meta[split] = b.size;
    if (split === 'test' && modelFile) {
      const model = await loadModel(modelFile);
      fs.writeFileSync(path.join(dir, 'test.loom-probs'), bytesOf(await model.predict(b)));
      await model.release();
    }
  }
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
}

const DATASETS = {
  womens: {
    file: 'womens_clothing_reviews.csv', ingest: {},
    preprocess: {
      label: { column: 'recommended_ind', positive: 1 },
      features: { numeric: ['age', 'positive_feedback_count'], categorical: ['division_name', 'department_name', 'class_name'], text: ['title', 'review_text'] },
      split: { validation: 0.2, test: 0.2, stratify: true, seed: 42 },
      text: { buckets: 1048576 },
    },
  },
  amazon: {
    file: 'amazon_cells_labelled.txt', ingest: { delimiter: '\t', header: false, schema: [{ name: 'sentence', type: 'text' }, { name: 'label', type: 'integer' }] },
    preprocess: { label: { column: 'label' }, features: { text: ['sentence'] }, text: { buckets: 65536, maxTokens: 128 } },
  },
} as const;

async function main(): Promise<void> {
  const name = process.argv[2] as keyof typeof DATASETS;
  const d = DATASETS[name];
  if (!d) throw new Error(`usage: export-split.ts ${Object.keys(DATASETS).join('|')}`);
  const db = await openDatabase({});
  try {
    const { runId } = await insertTestRun(db);
    const t0 = Date.now();
    const upstream = await ingestCsv(db, runId, 'raw', path.join(SHARED_DATA, d.file), d.ingest);
    const t1 = Date.now();
    const ctx = makeCellContext(db, { runId, cellId: 'features', upstream, config: preprocessConfigSchema.parse(d.preprocess) });
    const done = await preprocessExecutor(ctx);
    const t2 = Date.now();
    const featuresDir = option('--features');
    if (featuresDir) await writeFeatures(db, done, ctx.artifactsDir, featuresDir, option('--model'));
    const rows = await db.query<{ row_id: number; split: string }>(`SELECT row_id::int AS row_id, split FROM ${String(done.values.table)} ORDER BY row_id`);
    const out = {
      dataset: d.file,
      note: 'row_id is the 1-based position among the rows ingest loaded (rejected lines excluded), in file order',
      ingestedRows: upstream.raw!.values.rows,
      rejects: Number(upstream.raw!.values.rows) === rows.length ? 0 : null,
      validation: rows.filter((r) => r.split === 'validation').map((r) => r.row_id),
      test: rows.filter((r) => r.split === 'test').map((r) => r.row_id),
      timings: { ingestMs: t1 - t0, preprocessMs: t2 - t1 },
      denseDim: done.values.denseDim,
    };
    const file = path.join(REPO_ROOT, 'tests/reference', `${name}-split.json`);
    fs.writeFileSync(file, JSON.stringify(out) + '\n');
    console.log(`${name}: ${rows.length} rows (validation ${out.validation.length}, test ${out.test.length}); ingest ${out.timings.ingestMs} ms, preprocess ${out.timings.preprocessMs} ms → ${file}`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
