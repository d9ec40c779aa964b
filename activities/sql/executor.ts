import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { LoomInputError } from '../../core/errors.js';
import { quoteIdent, type Database, type SqlConn } from '../../db/client.js';
import type { ColumnType } from '../../kinds/ingest.js';
import type { SqlConfig } from '../../kinds/sql.js';
import { renderDatasetOutputs } from '../../outputs/dataset.js';
import { csvField } from '../ingest/csv-out.js';
import { datasetTableName, sanitizeColumnNames } from '../ingest/names.js';
import { DATA_SCHEMA, profileDataset, sampleRows, writeDataset, type StoredColumn } from '../ingest/store.js';
import type { CellContext, CellExecution, CellExecutor } from '../types.js';
import { queryError } from './errors.js';
import { createAliasViews, datasetAliases, querySchemaName } from './views.js';

const FETCH_ROWS = 5000;
const READ_KEYWORDS = new Set(['select', 'with', 'values', 'table']);

const PG_TYPES: Record<string, ColumnType> = {
  smallint: 'integer', integer: 'integer', bigint: 'bigint', real: 'double', 'double precision': 'double',
  numeric: 'double', boolean: 'boolean', date: 'date',
  'timestamp with time zone': 'timestamp', 'timestamp without time zone': 'timestamp',
};

/** The query without trailing semicolons, after checking it starts like a read. */
export function prepareQuery(query: string): string {
  const q = query.replace(/[\s;]+$/, '');
  const start = q.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/, '');
  const word = (/^[a-z]+/i.exec(start)?.[0] ?? '').toLowerCase();
  if (!READ_KEYWORDS.has(word)) {
    throw new LoomInputError(`sql cells run one read-only query (SELECT, WITH … SELECT, VALUES or TABLE)${word ? `; ${word.toUpperCase()} is not allowed` : ''}. The cell stores the query's result as a new dataset.`);
  }
  return q;
}

/**
 * Session settings for running user text: the reader role, the timeout and only the alias views in
 * scope. Embedded PGlite cannot interrupt a running query, so there the timeout is not enforced.
 */
async function enterReader(tx: SqlConn, schema: string, timeoutMs: number): Promise<void> {
  await tx.query('SET LOCAL ROLE loom_reader');
  await tx.query(`SELECT set_config('statement_timeout', $1, true), set_config('search_path', $2, true)`, [`${timeoutMs}ms`, quoteIdent(schema)]);
}

/** Runs one read-only query over datasets and stores its result as a new dataset. */
export const sqlExecutor: CellExecutor<SqlConfig> = async (ctx: CellContext<SqlConfig>): Promise<CellExecution> => {
  const cfg = ctx.config;
  const q = prepareQuery(cfg.query);
  const aliases = datasetAliases(ctx.upstream, cfg.datasets);
  const schema = querySchemaName(ctx.runId, ctx.cellId);
  await createAliasViews(ctx.db, schema, aliases);
  const fail = (err: unknown, prefix: string): never => {
    throw queryError(err, q, prefix.length, cfg.timeout, [...aliases.keys()]) ?? err;
  };

  // Describe: a temporary table WITH NO DATA gives the result's names and types without running it.
  // The `$1` makes the statement a bound one, which Postgres refuses to split into several.
  const describePrefix = 'CREATE TEMP TABLE loom_describe ON COMMIT DROP AS SELECT * FROM (\n';
  const attrs = await ctx.db.transaction(async (tx) => {
    await enterReader(tx, schema, cfg.timeout);
    await tx.query(`${describePrefix}${q}\n) AS loom_result WHERE $1::boolean WITH NO DATA`, [true]).catch((e) => fail(e, describePrefix));
    return tx.query<{ name: string; type: string }>(
      `SELECT attname::text AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
       WHERE attrelid = 'pg_temp.loom_describe'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`);
  });
  if (attrs.length === 0) throw new LoomInputError('The query returns no columns; select at least one.');
  const names = sanitizeColumnNames(attrs.map((a) => a.name));
  const columns: StoredColumn[] = attrs.map((a, i) => ({ name: names[i]!, originalName: a.name, type: PG_TYPES[a.type] ?? 'text', nullable: true }));

  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'loom-sql-'));
  const spool = path.join(dir, 'result.csv');
  try {
    const hash = crypto.createHash('sha256').update(JSON.stringify(columns.map((c) => [c.name, c.type])));
    const rowCount = await spoolResult(ctx, q, attrs.map((a) => a.name), columns, schema, spool, hash, fail);
    const tableName = datasetTableName(ctx.runId, ctx.cellId);
    const summary = await writeDataset(ctx.db, {
      runId: ctx.runId, cellId: ctx.cellId, tableName, columns, source: cfg.query,
      chunks: fs.createReadStream(spool, { encoding: 'utf8', highWaterMark: 256 * 1024 }),
      finish: () => ({ rowCount, rejectCount: 0, rejects: [], contentHash: hash.digest('hex') }),
    });
    ctx.progress({ rowsLoaded: rowCount });
    const profile = await profileDataset(ctx.db, tableName, columns);
    const sample = await sampleRows(ctx.db, tableName, columns);
    const table = `${DATA_SCHEMA}.${tableName}`;
    return {
      values: { dataset: tableName, rows: summary.rowCount, table },
      outputs: renderDatasetOutputs({ datasetId: tableName, table, rows: summary.rowCount, rejectCount: 0, columns, sample, profile, rejects: [] }),
      outputHash: summary.contentHash,
    };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
};

/** Streams the result through a cursor in a READ ONLY transaction into a CSV spool file. */
async function spoolResult(
  ctx: CellContext<SqlConfig>, q: string, resultNames: string[], columns: StoredColumn[], schema: string,
  spool: string, hash: crypto.Hash, fail: (e: unknown, prefix: string) => never,
): Promise<number> {
  const db: Database = ctx.db;
  const out = fs.createWriteStream(spool, { encoding: 'utf8' });
  const quoted = columns.map((c) => c.type === 'text' || c.type === 'timestamp' || c.type === 'date');
  const select = resultNames.map((n, i) => `${quoteIdent(n)}::text AS v${i}`).join(', ');
  const prefix = `DECLARE loom_cursor NO SCROLL CURSOR FOR SELECT ${select} FROM (\n`;
  let rowCount = 0;
  try {
    await db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      await enterReader(tx, schema, ctx.config.timeout);
      await tx.query(`${prefix}${q}\n) AS loom_result WHERE $1::boolean`, [true]).catch((e) => fail(e, prefix));
      for (;;) {
        if (ctx.signal.aborted) throw new Error('The sql cell was cancelled');
        const rows = await tx.query<Record<string, string | null>>(`FETCH ${FETCH_ROWS} FROM loom_cursor`).catch((e) => fail(e, prefix));
        if (rows.length === 0) break;
        let text = '';
        for (const r of rows) {
          for (let i = 0; i < columns.length; i++) text += (i > 0 ? ',' : '') + csvField(r[`v${i}`] ?? null, quoted[i]!);
          text += '\n';
        }
        rowCount += rows.length;
        hash.update(text);
        if (!out.write(text)) await once(out, 'drain');
        ctx.progress({ rowsRead: rowCount });
      }
      await tx.query('CLOSE loom_cursor');
    });
  } finally {
    out.end();
    await once(out, 'close');
  }
  return rowCount;
}
