import type { ColumnType } from '../../kinds/ingest.js';
import { piiHash } from '../pii.js';
import { csvField, COPY_CHUNK_CHARS } from './csv-out.js';
import { describeMismatch, fits } from './infer.js';
import { truncateRaw, type SourceRecord } from './records.js';
import { MAX_STORED_REJECTS, type RejectRow, type StoredColumn } from './store.js';
import type { TableReader } from './table-reader.js';

const PROGRESS_EVERY = 10_000;

/** What the careful path counted while streaming. */
export interface LoadTally {
  rowCount: number;
  rejectCount: number;
  rejects: RejectRow[];
  /** A record the reader cannot get past (the load fails at the end). */
  fatal?: RejectRow;
}

export interface CarefulLoad {
  columns: readonly StoredColumn[];
  salt: Buffer | undefined;
  delimiter: string;
  signal: AbortSignal;
  progress(rowsLoaded: number, rejects: number): void;
}

/**
 * The careful path: reads every record in JavaScript, checks each value against its column type,
 * quarantines what does not fit with its line and reason, pseudonymises PII, and yields COPY CSV.
 */
export async function* carefulChunks(reader: TableReader, load: CarefulLoad, tally: LoadTally): AsyncGenerator<string> {
  const { columns, salt } = load;
  const ncols = columns.length;
  const types: ColumnType[] = columns.map((c) => c.type);
  const quoted = columns.map((c) => c.type === 'text');
  const piiCols = columns.map((c) => c.pii === true);
  const reject = (line: number, reason: string, raw: string) => {
    tally.rejectCount++;
    if (tally.rejects.length < MAX_STORED_REJECTS) tally.rejects.push({ line, reason, raw: truncateRaw(raw) });
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

  let buf = '';
  const handle = (r: SourceRecord) => {
    if (r.error !== undefined) {
      reject(r.line, r.error, r.raw);
      if (r.fatal) tally.fatal = { line: r.line, reason: r.error, raw: r.raw };
      return;
    }
    const e = encode(r.fields);
    if ('reason' in e) {
      reject(r.line, e.reason, r.fields.join(load.delimiter));
      return;
    }
    buf += e.line + '\n';
    tally.rowCount++;
    if (tally.rowCount % PROGRESS_EVERY === 0) load.progress(tally.rowCount, tally.rejectCount);
  };
  for (const r of reader.sample) handle(r);
  reader.sample.length = 0;
  for (;;) {
    if (load.signal.aborted) throw new Error('Ingest was cancelled');
    if (buf.length >= COPY_CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
    const next = await reader.rest.next();
    if (next.done) break;
    handle(next.value);
  }
  if (buf.length > 0) yield buf;
}
