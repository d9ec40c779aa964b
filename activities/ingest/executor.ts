import crypto from 'node:crypto';
import { LoomInputError } from '../../core/errors.js';
import type { SqlConn } from '../../db/client.js';
import type { ColumnType, IngestConfig } from '../../kinds/ingest.js';
import { renderDatasetOutputs } from '../../outputs/dataset.js';
import { getPiiSalt } from '../pii.js';
import type { CellContext, CellExecution, CellExecutor } from '../types.js';
import { carefulChunks, type CarefulLoad, type LoadTally } from './careful-load.js';
import { guardedCopy } from './copy-guard.js';
import { copyCleanCsv, finishContentHash } from './fast-load.js';
import { inferType } from './infer.js';
import { datasetTableName, sanitizeColumnNames } from './names.js';
import type { SourceRecord } from './records.js';
import { openSource, resolveLocalPath } from './source.js';
import { DATA_SCHEMA, profileDataset, sampleRows, writeDataset, type StoredColumn } from './store.js';
import { openCsvTable, openJsonlTable, type TableReader } from './table-reader.js';

const REASONS_IN_ERROR = 5;
const FAST_SAVEPOINT = 'loom_ingest_fast';
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Finds a column by its header text or its sanitised name. */
function columnIndex(name: string, headers: readonly string[], names: readonly string[]): number {
  const i = headers.indexOf(name);
  return i >= 0 ? i : names.indexOf(name);
}

function planColumns(reader: TableReader, cfg: IngestConfig): StoredColumn[] {
  const names = sanitizeColumnNames(reader.headers);
  const declared = new Map<number, ColumnType>();
  const entries = cfg.schema ? (Array.isArray(cfg.schema) ? cfg.schema.map((c) => [c.name, c.type] as const) : Object.entries(cfg.schema)) : [];
  for (const [name, type] of entries) {
    const i = columnIndex(name, reader.headers, names);
    if (i < 0) throw new LoomInputError(`schema names column ${JSON.stringify(name)}, which the file does not have. Columns: ${names.join(', ')}.`);
    declared.set(i, type);
  }
  const pii = new Set<number>();
  for (const name of cfg.pii) {
    const i = columnIndex(name, reader.headers, names);
    if (i < 0) throw new LoomInputError(`pii names column ${JSON.stringify(name)}, which the file does not have. Columns: ${names.join(', ')}.`);
    pii.add(i);
  }
  const good = reader.sample.filter((r): r is Extract<SourceRecord, { fields: string[] }> => r.error === undefined && r.fields.length === names.length);
  return names.map((name, i) => {
    const values = good.map((r) => r.fields[i]!);
    // Hashes are hex text whatever the column held before.
    const type: ColumnType = pii.has(i) ? 'text' : declared.get(i) ?? inferType(values);
    const col: StoredColumn = { name, originalName: reader.headers[i] ?? name, type, nullable: values.length === 0 || values.some((v) => v === '') };
    if (pii.has(i)) col.pii = true;
    return col;
  });
}

/** The local file the fast path may read, or why it may not (it then never starts). */
async function fastPathFile(ctx: CellContext<IngestConfig>, spec: string, reader: TableReader, ncols: number): Promise<string | undefined> {
  const cfg = ctx.config;
  // COPY is given the file's own bytes, so it must read them with its defaults (comma, double quote).
  // A URL is read once only: it takes the careful path, which needs no second reading.
  if (!('csv' in cfg.source) || cfg.delimiter !== ',' || URL_RE.test(spec)) return undefined;
  if (reader.sample.some((r) => r.error !== undefined || r.fields.length !== ncols)) return undefined;
  return resolveLocalPath(spec, ctx.dataRoots);
}

/** Loads a CSV or JSON Lines source into a typed table in `loom_data`. */
export const ingestExecutor: CellExecutor<IngestConfig> = async (ctx: CellContext<IngestConfig>): Promise<CellExecution> => {
  const cfg = ctx.config;
  const spec = 'csv' in cfg.source ? cfg.source.csv : cfg.source.jsonl;
  const open = async () => {
    const bytes = crypto.createHash('sha256');
    const text = await openSource(spec, ctx.dataRoots, ctx.signal, (chunk) => bytes.update(chunk));
    return { bytes, text };
  };
  let source = await open();
  try {
    let reader = 'csv' in cfg.source ? await openCsvTable(source.text, cfg) : await openJsonlTable(source.text);
    const columns = planColumns(reader, cfg);
    const salt = columns.some((c) => c.pii) ? await getPiiSalt(ctx.db) : undefined;
    const tableName = datasetTableName(ctx.runId, ctx.cellId);
    const fastFile = await fastPathFile(ctx, spec, reader, columns.length);
    if (fastFile) source.text.destroy();

    const tally: LoadTally = { rowCount: 0, rejectCount: 0, rejects: [] };
    let contentHash = '';
    let path: 'copy' | 'careful' = 'careful';
    const careful: CarefulLoad = {
      columns, salt, delimiter: cfg.delimiter, signal: ctx.signal,
      progress: (rowsLoaded, rejects) => ctx.progress({ rowsLoaded, rejects }),
    };
    const watch = ctx.db.driver === 'postgres' ? ctx.db : undefined;
    const load = async (tx: SqlConn, table: string, cols: string[]) => {
      if (fastFile) {
        await tx.query(`SAVEPOINT ${FAST_SAVEPOINT}`);
        try {
          const done = await copyCleanCsv(tx, table, cols, {
            file: fastFile, columns, header: cfg.header, salt, signal: ctx.signal, watch,
            progress: (rowsLoaded) => ctx.progress({ rowsLoaded, rejects: 0 }),
          });
          tally.rowCount = done.rowCount;
          contentHash = done.contentHash;
          path = 'copy';
          return;
        } catch (e) {
          if (ctx.signal.aborted) throw e;
          await tx.query(`ROLLBACK TO SAVEPOINT ${FAST_SAVEPOINT}`);
          ctx.log.info({ reason: (e as Error).message.slice(0, 300) }, 'ingest: file is not clean enough for COPY; loading it record by record');
          source = await open();
          reader = await openCsvTable(source.text, cfg);
        }
      }
      await guardedCopy(tx, table, cols, carefulChunks(reader, careful, tally), watch);
      contentHash = finishContentHash(source.bytes, columns);
    };

    const summary = await writeDataset(ctx.db, {
      runId: ctx.runId, cellId: ctx.cellId, tableName, columns, source: spec, load,
      finish: () => {
        const { rowCount, rejectCount, rejects, fatal } = tally;
        if (fatal) {
          throw new LoomInputError(`line ${fatal.line}: ${fatal.reason}; the file cannot be read past it. Fix or remove that record (${rowCount} rows read before it).`);
        }
        const total = rowCount + rejectCount;
        if (total > 0 && rejectCount / total > cfg.maxErrorRatio) {
          const reasons = rejects.slice(0, REASONS_IN_ERROR).map((r) => `line ${r.line}, ${r.reason}`).join('; ');
          throw new LoomInputError(
            `${rejectCount} of ${total} records were rejected (${((rejectCount / total) * 100).toFixed(1)}%, more than maxErrorRatio ${cfg.maxErrorRatio}). First problems: ${reasons}. Fix the file or raise maxErrorRatio.`,
            { rejectCount, total },
          );
        }
        return { rowCount, rejectCount, rejects, contentHash };
      },
    });
    ctx.progress({ rowsLoaded: summary.rowCount, rejects: summary.rejectCount });
    ctx.log.info({ table: tableName, rows: summary.rowCount, rejects: summary.rejectCount, path }, 'ingest loaded dataset');

    const profile = await profileDataset(ctx.db, tableName, columns);
    const sample = await sampleRows(ctx.db, tableName, columns);
    const table = `${DATA_SCHEMA}.${tableName}`;
    return {
      values: { dataset: tableName, rows: summary.rowCount, table },
      outputs: renderDatasetOutputs({ datasetId: tableName, table, rows: summary.rowCount, rejectCount: summary.rejectCount, columns, sample, profile, rejects: summary.rejects }),
      outputHash: summary.contentHash,
    };
  } finally {
    source.text.destroy();
  }
};
