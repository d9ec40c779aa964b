import crypto from 'node:crypto';
import { LoomInputError } from '../../core/errors.js';
import type { ColumnType, IngestConfig } from '../../kinds/ingest.js';
import { renderDatasetOutputs } from '../../outputs/dataset.js';
import { getPiiSalt, piiHash } from '../pii.js';
import type { CellContext, CellExecution, CellExecutor } from '../types.js';
import { csvField } from './csv-out.js';
import { describeMismatch, fits, inferType } from './infer.js';
import { datasetTableName, sanitizeColumnNames } from './names.js';
import { truncateRaw, type SourceRecord } from './records.js';
import { openSource } from './source.js';
import { DATA_SCHEMA, MAX_STORED_REJECTS, profileDataset, sampleRows, writeDataset, type RejectRow, type StoredColumn } from './store.js';
import { openCsvTable, openJsonlTable, type TableReader } from './table-reader.js';

const COPY_CHUNK_CHARS = 256 * 1024;
const PROGRESS_EVERY = 10_000;
const REASONS_IN_ERROR = 5;

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

/** Loads a CSV or JSON Lines source into a typed table in `loom_data`. */
export const ingestExecutor: CellExecutor<IngestConfig> = async (ctx: CellContext<IngestConfig>): Promise<CellExecution> => {
  const cfg = ctx.config;
  const spec = 'csv' in cfg.source ? cfg.source.csv : cfg.source.jsonl;
  const text = await openSource(spec, ctx.dataRoots, ctx.signal);
  try {
    const reader = 'csv' in cfg.source ? await openCsvTable(text, cfg) : await openJsonlTable(text);
    const columns = planColumns(reader, cfg);
    const salt = columns.some((c) => c.pii) ? await getPiiSalt(ctx.db) : undefined;
    const tableName = datasetTableName(ctx.runId, ctx.cellId);
    const ncols = columns.length;
    const types = columns.map((c) => c.type);
    const quoted = columns.map((c) => c.type === 'text');
    const piiCols = columns.map((c) => c.pii === true);

    let rowCount = 0;
    let rejectCount = 0;
    let fatal: RejectRow | undefined;
    const rejects: RejectRow[] = [];
    const hash = crypto.createHash('sha256').update(JSON.stringify(columns.map((c) => [c.name, c.type])));
    const reject = (line: number, reason: string, raw: string) => {
      rejectCount++;
      if (rejects.length < MAX_STORED_REJECTS) rejects.push({ line, reason, raw: truncateRaw(raw) });
    };

    /** Encodes one record as a COPY line, or returns why it is rejected. */
    const encode = (fields: string[]): { line: string } | { reason: string } => {
      if (fields.length !== ncols) return { reason: `has ${fields.length} fields, expected ${ncols}` };
      let out = '';
      for (let i = 0; i < ncols; i++) {
        let v = fields[i]!;
        if (i > 0) out += ',';
        if (v === '') continue;
        if (v.includes('\0')) return { reason: `column "${columns[i]!.name}" contains a NUL byte` };
        if (v.includes('\uFFFD')) return { reason: `column "${columns[i]!.name}" is not valid UTF-8` };
        const t = types[i]!;
        if (t !== 'text') {
          v = v.trim();
          if (!fits(t, v)) return { reason: describeMismatch(columns[i]!.name, v, t) };
        }
        if (piiCols[i]) v = piiHash(salt!, v);
        out += csvField(v, quoted[i]!);
      }
      return { line: out };
    };

    async function* chunks(): AsyncGenerator<string> {
      let buf = '';
      const handle = (r: SourceRecord) => {
        if (r.error !== undefined) {
          reject(r.line, r.error, r.raw);
          if (r.fatal) fatal = { line: r.line, reason: r.error, raw: r.raw };
          return;
        }
        const e = encode(r.fields);
        if ('reason' in e) {
          reject(r.line, e.reason, r.fields.join(cfg.delimiter));
          return;
        }
        buf += e.line + '\n';
        rowCount++;
        if (rowCount % PROGRESS_EVERY === 0) ctx.progress({ rowsLoaded: rowCount, rejects: rejectCount });
      };
      for (const r of reader.sample) handle(r);
      reader.sample.length = 0;
      for (;;) {
        if (ctx.signal.aborted) throw new Error('Ingest was cancelled');
        if (buf.length >= COPY_CHUNK_CHARS) {
          hash.update(buf);
          yield buf;
          buf = '';
        }
        const next = await reader.rest.next();
        if (next.done) break;
        handle(next.value);
      }
      if (buf.length > 0) {
        hash.update(buf);
        yield buf;
      }
    }

    const summary = await writeDataset(ctx.db, {
      runId: ctx.runId, cellId: ctx.cellId, tableName, columns, source: spec, chunks: chunks(),
      finish: () => {
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
        return { rowCount, rejectCount, rejects, contentHash: hash.digest('hex') };
      },
    });
    ctx.progress({ rowsLoaded: rowCount, rejects: rejectCount });
    ctx.log.info({ table: tableName, rows: rowCount, rejects: rejectCount }, 'ingest loaded dataset');

    const profile = await profileDataset(ctx.db, tableName, columns);
    const sample = await sampleRows(ctx.db, tableName, columns);
    const table = `${DATA_SCHEMA}.${tableName}`;
    return {
      values: { dataset: tableName, rows: summary.rowCount, table },
      outputs: renderDatasetOutputs({ datasetId: tableName, table, rows: summary.rowCount, rejectCount: summary.rejectCount, columns, sample, profile, rejects: summary.rejects }),
      outputHash: summary.contentHash,
    };
  } finally {
    text.destroy();
  }
};
