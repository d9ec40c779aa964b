import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LoomInputError } from '../../core/errors.js';
import { buildTransform, featureShape, type FeatureTransform } from '../../features/index.js';
import type { PreprocessConfig } from '../../kinds/preprocess.js';
import { renderPreprocessOutputs } from '../../outputs/charts/preprocess.js';
import { datasetTableName } from '../ingest/names.js';
import { DATA_SCHEMA } from '../ingest/store.js';
import type { CellContext, CellExecution, CellExecutor } from '../types.js';
import { writeFeatureTable } from './feature-table.js';
import { fitStatsSql } from './fit-stats.js';
import { loadSource, pickSourceCell, resolveColumn } from './source.js';
import { resolveFeatureSpec } from './spec.js';
import { resolvePositive, splitCounts, splitQuery } from './split.js';

const SAFE_SEGMENT = /^[A-Za-z0-9_.-]{1,200}$/;

/** Where a cell's fitted transform is stored. */
export function transformPath(artifactsDir: string, runId: string, cellId: string): string {
  if (!SAFE_SEGMENT.test(runId) || !SAFE_SEGMENT.test(cellId) || runId.startsWith('.') || cellId.startsWith('.')) {
    throw new LoomInputError(`run "${runId.slice(0, 80)}" / cell "${cellId.slice(0, 80)}" cannot name a file; ids are letters, digits, _ . -`);
  }
  return path.join(artifactsDir, 'transforms', runId, `${cellId}.json`);
}

/** Splits a dataset, fits the feature transform on its train split and writes the feature table. */
export const preprocessExecutor: CellExecutor<PreprocessConfig> = async (ctx: CellContext<PreprocessConfig>): Promise<CellExecution> => {
  const cfg = ctx.config;
  const src = await loadSource(ctx.db, pickSourceCell(ctx.upstream, cfg.from));
  const label = resolveColumn(src, cfg.label.column, 'label.column').name;
  const id = cfg.id === undefined ? undefined : resolveColumn(src, cfg.id, 'id').name;
  if (id === label) throw new LoomInputError('id: the id column cannot also be the label.');
  const positive = await resolvePositive(ctx.db, src.tableName, label, cfg.label.positive);
  const spec = await resolveFeatureSpec(ctx.db, src, cfg, label, id);
  const columns = [...new Set([...spec.numeric, ...spec.categorical.map((c) => c.column), ...spec.boolean, ...spec.text])];
  const query = splitQuery(src.tableName, label, positive, id, columns, cfg.split);

  const counts = await splitCounts(ctx.db, query);
  const train = counts.find((c) => c.split === 'train')!;
  if (train.rows === 0) throw new LoomInputError(`The train split is empty (${counts.map((c) => `${c.split} ${c.rows}`).join(', ')}); use a larger dataset or smaller validation/test shares.`);
  if (train.positives === 0 || train.positives === train.rows) {
    throw new LoomInputError(`The train split has only ${train.positives === 0 ? 'negative' : 'positive'} rows (${train.rows}); a classifier needs both outcomes. Use more data or turn on split.stratify.`);
  }
  ctx.progress({ phase: 'fit', rows: counts.reduce((a, c) => a + c.rows, 0) });

  const stats = await fitStatsSql(ctx.db, query, spec, (name) => columns.indexOf(name));
  const transform: FeatureTransform = { ...buildTransform(spec, stats), label: { column: label, positive }, ...(id ? { id } : {}) };
  const file = transformPath(ctx.artifactsDir, ctx.runId, ctx.cellId);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  // Written to a temporary name first, so a reader never sees half a file.
  await fs.promises.writeFile(`${file}.tmp`, JSON.stringify(transform));
  await fs.promises.rename(`${file}.tmp`, file);

  const tableName = datasetTableName(ctx.runId, ctx.cellId);
  const written = await writeFeatureTable(ctx.db, {
    runId: ctx.runId, cellId: ctx.cellId, tableName, source: `preprocess of ${src.datasetId}`, query, columns, transform,
    signal: ctx.signal, progress: (rows) => ctx.progress({ phase: 'transform', rowsWritten: rows }),
  });
  const shape = featureShape(transform);
  const table = `${DATA_SCHEMA}.${tableName}`;
  ctx.log.info({ table, rows: written.rows, denseDim: shape.denseDim }, 'preprocess wrote feature table');
  return {
    values: { dataset: tableName, table, transform: file, rows: written.rows, denseDim: shape.denseDim, maxTokens: shape.maxTokens, textBuckets: shape.textBuckets },
    outputs: renderPreprocessOutputs({
      table, sourceCell: src.cellId, rows: written.rows, droppedNoLabel: Math.max(0, src.rowCount - written.rows), label, positive,
      splits: counts,
      features: { numeric: spec.numeric, categorical: spec.categorical.map((c) => c.column), boolean: spec.boolean, text: spec.text },
      denseDim: shape.denseDim, maxTokens: shape.maxTokens, textBuckets: shape.textBuckets,
    }),
    outputHash: crypto.createHash('sha256').update(written.contentHash).digest('hex'),
  };
};
