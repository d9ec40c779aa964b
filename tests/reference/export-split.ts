/**
 * Runs Loom's ingest and preprocess executors on a real dataset (in-memory PGlite) and writes the
 * split assignment (1-based file row → split), so scikit-learn baselines use the very same split.
 *
 *   npx tsx tests/reference/export-split.ts womens   # → tests/reference/womens-split.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../db/client.js';
import { preprocessConfigSchema } from '../../kinds/preprocess.js';
import { preprocessExecutor } from '../../activities/preprocess/executor.js';
import { insertTestRun, makeCellContext, REPO_ROOT, SHARED_DATA } from '../helpers/runs.js';
import { ingestCsv } from '../models/preprocess-fixture.js';

const DATASETS = {
  womens: {
    file: 'womens_clothing_reviews.csv', ingest: {},
    preprocess: {
      label: { column: 'recommended_ind', positive: 1 },
      features: { numeric: ['age', 'positive_feedback_count'], categorical: ['division_name', 'department_name', 'class_name'], text: ['title', 'review_text'] },
      split: { validation: 0.2, test: 0.2, stratify: true, seed: 42 },
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
