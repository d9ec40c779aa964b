import { LoomInputError } from '../../core/errors.js';
import type { JsonValue } from '../../core/mime.js';
import { quoteIdent, type Database, type SqlConn } from '../../db/client.js';
import type { DatasetColumn } from '../../db/schema/datasets.js';
import { SQL_TYPES } from './infer.js';

export const DATA_SCHEMA = 'loom_data';
/** Rejects kept per dataset; the count is always exact, the stored detail is capped. */
export const MAX_STORED_REJECTS = 10_000;

/** A dataset column with the header text it came from. */
export interface StoredColumn extends DatasetColumn {
  originalName: string;
  /** Postgres type when `type` cannot say it (feature tables' `real[]` and `integer[]`). */
  sqlType?: string;
}

export interface RejectRow {
  line: number;
  reason: string;
  raw: string;
}

/** What the loader knows once the COPY stream is drained. */
export interface LoadSummary {
  rowCount: number;
  rejectCount: number;
  rejects: RejectRow[];
  contentHash: string;
}

export interface DatasetWrite {
  runId: string;
  cellId: string;
  tableName: string;
  columns: StoredColumn[];
  source: string;
  /** COPY CSV text, consumed inside the transaction. */
  chunks?: AsyncIterable<string>;
  /** Instead of `chunks`: fills the created table itself (the ingest fast path and its fallback). */
  load?: (tx: SqlConn, table: string, columns: string[]) => Promise<void>;
  /** Called after the COPY; may throw (e.g. too many rejects) to roll everything back. */
  finish(): LoadSummary;
}

/**
 * Replaces the (run, cell) dataset in one transaction: drop the earlier attempt's table, create,
 * COPY, record rejects and upsert the catalogue row. A failed or killed attempt leaves nothing.
 */
export async function writeDataset(db: Database, w: DatasetWrite): Promise<LoadSummary> {
  if (w.columns.length === 0) throw new LoomInputError('The dataset has no columns; the source must have at least one column.');
  if (w.columns.length > 1600) throw new LoomInputError(`The dataset has ${w.columns.length} columns; Postgres allows at most 1600.`);
  const table = `${DATA_SCHEMA}.${quoteIdent(w.tableName)}`;
  const cols = w.columns.map((c) => quoteIdent(c.name));
  return db.transaction(async (tx) => {
    await tx.query(`DROP TABLE IF EXISTS ${table}`);
    await tx.query(`CREATE TABLE ${table} (${w.columns.map((c, i) => `${cols[i]} ${c.sqlType ?? SQL_TYPES[c.type]}`).join(', ')})`);
    await tx.query(`GRANT SELECT ON ${table} TO loom_reader`);
    if (w.load) await w.load(tx, table, cols);
    else if (w.chunks) await tx.copyFrom(table, cols, w.chunks);
    const summary = w.finish();
    await upsertCatalogue(tx, w, summary);
    return summary;
  });
}

async function upsertCatalogue(tx: SqlConn, w: DatasetWrite, s: LoadSummary): Promise<void> {
  await tx.query(
    `INSERT INTO datasets (id, name, table_name, run_id, cell_id, row_count, reject_count, columns, source, content_hash)
     VALUES ($1, $2, $1, $3, $2, $4, $5, $6::jsonb, $7, $8)
     ON CONFLICT (run_id, cell_id) DO UPDATE SET table_name = EXCLUDED.table_name, row_count = EXCLUDED.row_count,
       reject_count = EXCLUDED.reject_count, columns = EXCLUDED.columns, source = EXCLUDED.source,
       content_hash = EXCLUDED.content_hash, profile = NULL, updated_at = now()`,
    [w.tableName, w.cellId, w.runId, s.rowCount, s.rejectCount, JSON.stringify(w.columns), w.source, s.contentHash],
  );
  await tx.query('DELETE FROM dataset_rejects WHERE dataset_id = $1', [w.tableName]);
  // Reasons can quote file text; Postgres text cannot hold NUL.
  const stored = s.rejects.slice(0, MAX_STORED_REJECTS).map((r) => ({ ...r, reason: r.reason.replace(/\0/g, '\u2400') }));
  for (let i = 0; i < stored.length; i += 1000) {
    await tx.query(
      `INSERT INTO dataset_rejects (dataset_id, line, reason, raw)
       SELECT $1, (r->>'line')::int, r->>'reason', r->>'raw' FROM jsonb_array_elements($2::jsonb) AS r
       ON CONFLICT (dataset_id, line) DO NOTHING`,
      [w.tableName, JSON.stringify(stored.slice(i, i + 1000))],
    );
  }
}

export interface ColumnProfile {
  name: string;
  type: DatasetColumn['type'];
  nulls: number;
  distinct: number;
  min: string | null;
  max: string | null;
}

/** Per-column nulls, distinct count and min/max, computed by the database after the load. */
export async function profileDataset(db: Database, tableName: string, columns: readonly DatasetColumn[]): Promise<ColumnProfile[]> {
  if (columns.length === 0) return [];
  const parts = columns.flatMap((c, i) => {
    const q = quoteIdent(c.name);
    // Booleans have no min/max aggregate; text casts keep every driver's answer a string.
    const v = c.type === 'boolean' ? `${q}::int` : q;
    return [
      `(count(*) - count(${q}))::text AS n${i}`,
      `count(DISTINCT ${q})::text AS d${i}`,
      `min(${v})::text AS lo${i}`,
      `max(${v})::text AS hi${i}`,
    ];
  });
  const rows = await db.query<Record<string, string | null>>(`SELECT ${parts.join(', ')} FROM ${DATA_SCHEMA}.${quoteIdent(tableName)}`);
  const r = rows[0] ?? {};
  const profile = columns.map((c, i) => ({
    name: c.name,
    type: c.type,
    nulls: Number(r[`n${i}`] ?? 0),
    distinct: Number(r[`d${i}`] ?? 0),
    min: c.type === 'boolean' ? boolText(r[`lo${i}`]) : (r[`lo${i}`] ?? null),
    max: c.type === 'boolean' ? boolText(r[`hi${i}`]) : (r[`hi${i}`] ?? null),
  }));
  await db.query('UPDATE datasets SET profile = $2::jsonb WHERE id = $1', [tableName, JSON.stringify(profile as unknown as JsonValue)]);
  return profile;
}

function boolText(v: string | null | undefined): string | null {
  return v === undefined || v === null ? null : v === '1' ? 'true' : 'false';
}

/** The first rows as text, for the sample output. */
export async function sampleRows(db: Database, tableName: string, columns: readonly DatasetColumn[], limit = 10): Promise<(string | null)[][]> {
  if (columns.length === 0) return [];
  const select = columns.map((c, i) => `${quoteIdent(c.name)}::text AS v${i}`).join(', ');
  const rows = await db.query<Record<string, string | null>>(`SELECT ${select} FROM ${DATA_SCHEMA}.${quoteIdent(tableName)} LIMIT ${limit}`);
  return rows.map((r) => columns.map((_, i) => r[`v${i}`] ?? null));
}
