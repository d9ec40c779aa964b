import crypto from 'node:crypto';
import fs from 'node:fs';
import type { SqlConn } from '../../db/client.js';
import { CleanCsvScanner } from './clean-csv.js';
import { guardedCopy } from './copy-guard.js';
import { pseudonymizer } from './pseudonym.js';
import type { StoredColumn } from './store.js';

const READ_CHUNK_BYTES = 1024 * 1024;
const PROGRESS_EVERY = 10_000;

/**
 * The content hash both load paths give a dataset: the source's bytes exactly as read, then its
 * columns (names, types, pseudonymised or not). The same file and plan give the same hash whichever
 * path loaded it.
 */
export function finishContentHash(bytes: crypto.Hash, columns: readonly StoredColumn[]): string {
  return bytes.update(JSON.stringify(columns.map((c) => [c.name, c.type, c.pii === true]))).digest('hex');
}

export interface CleanCsvLoad {
  /** Absolute path of a local file already checked against the data roots. */
  file: string;
  columns: readonly StoredColumn[];
  header: boolean;
  salt: Buffer | undefined;
  signal: AbortSignal;
  /** A connection outside the transaction, to notice a COPY that failed at its very end. */
  watch: SqlConn | undefined;
  /** Called at every 10,000th row handed to the database. */
  progress(rowsLoaded: number): void;
}

/**
 * The fast path: streams the file's own bytes (PII fields replaced by pseudonyms) into
 * `COPY … (FORMAT csv)` while `CleanCsvScanner` proves every record clean. Throws `NotCleanError`
 * at the first doubtful record, and Postgres's own error for a value it refuses; either way the
 * caller rolls back to its savepoint and loads with the careful path.
 */
export async function copyCleanCsv(tx: SqlConn, table: string, cols: string[], load: CleanCsvLoad): Promise<{ rowCount: number; contentHash: string }> {
  const scanner = new CleanCsvScanner({
    types: load.columns.map((c) => c.type),
    pii: load.columns.map((c) => c.pii === true),
    header: load.header,
    ...(load.salt ? { pseudonym: pseudonymizer(load.salt) } : {}),
  });
  const hash = crypto.createHash('sha256');
  let nextProgress = PROGRESS_EVERY;
  const report = () => {
    for (; nextProgress <= scanner.rows; nextProgress += PROGRESS_EVERY) load.progress(nextProgress);
  };
  async function* bytes(): AsyncGenerator<Uint8Array<ArrayBuffer>> {
    const input = fs.createReadStream(load.file, { highWaterMark: READ_CHUNK_BYTES, signal: load.signal });
    try {
      for await (const chunk of input as AsyncIterable<Buffer<ArrayBuffer>>) {
        if (load.signal.aborted) throw new Error('Ingest was cancelled');
        hash.update(chunk);
        const out = scanner.push(chunk);
        report();
        if (out.length > 0) yield out.length === 1 ? out[0]! : Buffer.concat(out);
      }
      const out = scanner.end();
      report();
      if (out.length > 0) yield Buffer.concat(out);
    } finally {
      input.destroy();
    }
  }
  await guardedCopy(tx, table, cols, bytes(), load.watch);
  return { rowCount: scanner.rows, contentHash: finishContentHash(hash, load.columns) };
}
