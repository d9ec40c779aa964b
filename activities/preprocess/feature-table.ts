import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { LoomInputError } from '../../core/errors.js';
import { quoteIdent, type Database } from '../../db/client.js';
import { encodeDense, encodeTokens, featureShape, type FeatureBatch, type FeatureShape, type FeatureTransform } from '../../features/index.js';
import { csvField } from '../ingest/csv-out.js';
import { DATA_SCHEMA, writeDataset, type StoredColumn } from '../ingest/store.js';
import type { SplitName, SplitQuery } from './split.js';

const FETCH_ROWS = 2000;

/** Columns of every feature table. */
export const FEATURE_COLUMNS: StoredColumn[] = [
  { name: 'row_id', originalName: 'row_id', type: 'bigint', nullable: false },
  { name: 'split', originalName: 'split', type: 'text', nullable: false },
  { name: 'label', originalName: 'label', type: 'double', sqlType: 'real', nullable: false },
  { name: 'dense', originalName: 'dense', type: 'text', sqlType: 'real[]', nullable: false },
  { name: 'tokens', originalName: 'tokens', type: 'text', sqlType: 'integer[]', nullable: false },
  { name: 'entity_id', originalName: 'entity_id', type: 'text', nullable: true },
];

/** Float32 written with the 9 significant digits that round-trip it; most features are 0 or 1. */
function f32(v: number): string {
  return v === 0 ? '0' : v === 1 ? '1' : String(Number(v.toPrecision(9)));
}

export interface FeatureTableWrite {
  runId: string;
  cellId: string;
  tableName: string;
  source: string;
  query: SplitQuery;
  /** Feature column names in c0…cN order. */
  columns: readonly string[];
  transform: FeatureTransform;
  signal: AbortSignal;
  progress(rows: number): void;
}

/**
 * Second pass: transforms every row in batches through a cursor into a spool file, then loads it
 * with COPY in one transaction (replacing an earlier attempt's table), like every dataset.
 */
export async function writeFeatureTable(db: Database, w: FeatureTableWrite): Promise<{ rows: number; contentHash: string }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loom-features-'));
  const spool = path.join(dir, 'features.csv');
  const hash = crypto.createHash('sha256').update(JSON.stringify(w.transform));
  const shape = featureShape(w.transform);
  const dense = new Float32Array(shape.denseDim);
  let rows = 0;
  try {
    const out = fs.createWriteStream(spool, { encoding: 'utf8' });
    try {
      const select = `SELECT loom_row_id::text AS row_id, loom_split AS split, loom_label AS label, loom_entity AS entity, ${w.columns.map((_, i) => `c${i}`).join(', ') || 'NULL AS c_none'} FROM (${w.query.sql}) AS q ORDER BY loom_row_id`;
      await db.transaction(async (tx) => {
        await tx.query('SET TRANSACTION READ ONLY');
        await tx.query(`DECLARE loom_features NO SCROLL CURSOR FOR ${select}`, w.query.params);
        for (;;) {
          if (w.signal.aborted) throw new Error('preprocess was cancelled');
          const batch = await tx.query<Record<string, unknown>>(`FETCH ${FETCH_ROWS} FROM loom_features`);
          if (batch.length === 0) break;
          let text = '';
          for (const r of batch) {
            const row: Record<string, unknown> = {};
            w.columns.forEach((c, i) => { row[c] = r[`c${i}`]; });
            dense.fill(0);
            encodeDense(w.transform, row, dense, 0);
            const tokens = encodeTokens(w.transform, row);
            const entity = r.entity === null || r.entity === undefined ? null : String(r.entity);
            // One row per spool line keeps the line-aligned COPY chunks whole.
            if (entity !== null && /[\r\n]/.test(entity)) throw new LoomInputError(`id: the value on row ${String(r.row_id)} contains a line break; entity ids must be single-line text.`);
            text += `${String(r.row_id)},${String(r.split)},${Number(r.label)},"{${Array.from(dense, f32).join(',')}}","{${tokens.join(',')}}",${csvField(entity, true)}\n`;
          }
          rows += batch.length;
          hash.update(text);
          if (!out.write(text)) await once(out, 'drain');
          w.progress(rows);
        }
        await tx.query('CLOSE loom_features');
      });
    } finally {
      out.end();
      await once(out, 'close');
    }
    const contentHash = hash.digest('hex');
    await writeDataset(db, {
      runId: w.runId, cellId: w.cellId, tableName: w.tableName, columns: FEATURE_COLUMNS, source: w.source,
      chunks: lineAlignedChunks(spool),
      finish: () => ({ rowCount: rows, rejectCount: 0, rejects: [], contentHash }),
    });
    return { rows, contentHash };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * The spool file in chunks that end at line ends: the embedded database loads COPY input in
 * several statements, and each must hold whole rows.
 */
async function* lineAlignedChunks(file: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    const text = rest + (chunk as string);
    const cut = text.lastIndexOf('\n') + 1;
    rest = text.slice(cut);
    if (cut > 0) yield text.slice(0, cut);
  }
  if (rest) yield rest;
}

const TABLE_RE = /^(?:loom_data\.)?(ds_[0-9a-f]{24})$/;

function parseList(s: string | null | undefined): number[] {
  return s ? s.split(',').map(Number) : [];
}

/**
 * One split of a feature table as a batch, in row order: dense features, token ids padded with 0
 * to `shape.maxTokens` (extra ids dropped), labels. `table` is the dataset id or `loom_data.<id>`.
 */
export async function readFeatureSplit(db: Database, table: string, split: SplitName, shape: FeatureShape): Promise<FeatureBatch> {
  const m = TABLE_RE.exec(table);
  if (!m) throw new LoomInputError(`${JSON.stringify(table.slice(0, 100))} is not a feature table; use \${cells.<preprocess cell>.table}.`);
  let rows: { d: string | null; t: string | null; label: number | string }[];
  try {
    rows = await db.query(`SELECT array_to_string(dense, ',') AS d, array_to_string(tokens, ',') AS t, label FROM ${DATA_SCHEMA}.${quoteIdent(m[1]!)} WHERE split = $1 ORDER BY row_id`, [split]);
  } catch (err) {
    if (/does not exist/.test((err as Error).message)) throw new LoomInputError(`Feature table ${m[1]} does not exist; rerun the preprocess cell that made it.`);
    throw err;
  }
  const n = rows.length;
  const dense = new Float32Array(n * shape.denseDim);
  const tokens = new Int32Array(n * shape.maxTokens);
  const labels = new Float32Array(n);
  rows.forEach((r, i) => {
    const d = parseList(r.d);
    if (d.length !== shape.denseDim) throw new LoomInputError(`Feature table ${m[1]} has ${d.length} dense features per row, the model expects ${shape.denseDim}; evaluate the model on the features it was trained on.`);
    dense.set(d, i * shape.denseDim);
    if (shape.maxTokens > 0) tokens.set(parseList(r.t).slice(0, shape.maxTokens), i * shape.maxTokens);
    labels[i] = Number(r.label);
  });
  return { size: n, dense, denseDim: shape.denseDim, tokens, maxTokens: shape.maxTokens, labels };
}
