import type { SqlConn } from '../../db/client.js';

const WATCH_MS = 100;

/**
 * `tx.copyFrom` that cannot hang. When Postgres refuses the data after the last chunk was sent,
 * postgres.js reports the error to nobody and the COPY never settles. So once every chunk is sent,
 * another connection (`watch`, the pool) looks at the transaction's backend in pg_stat_activity
 * until the COPY settles: an aborted transaction means the COPY failed. A query on `tx` itself
 * cannot serve: it would be sent in the middle of the COPY.
 */
export async function guardedCopy(tx: SqlConn, table: string, cols: string[], chunks: AsyncIterable<string | Uint8Array<ArrayBuffer>>, watch: SqlConn | undefined): Promise<void> {
  if (!watch) return tx.copyFrom(table, cols, chunks);
  const [me] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  let settled = false;
  let allSent!: () => void;
  const sentAll = new Promise<void>((resolve) => { allSent = resolve; });
  async function* sent(): AsyncGenerator<string | Uint8Array<ArrayBuffer>> {
    yield* chunks;
    allSent();
  }
  const copy = tx.copyFrom(table, cols, sent()).finally(() => { settled = true; });
  const failed = sentAll.then(async () => {
    while (!settled) {
      await new Promise((r) => setTimeout(r, WATCH_MS));
      if (settled) break;
      const [row] = await watch.query<{ state: string | null }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [me?.pid]);
      if (row?.state === 'idle in transaction (aborted)') {
        throw new Error(`COPY into ${table} failed: Postgres refused the data at the end of the file and aborted the transaction`);
      }
    }
    return new Promise<never>(() => {});
  });
  // Handled here so that a watcher error after the COPY's own error is not reported twice.
  failed.catch(() => {});
  await Promise.race([copy, failed]);
}
