import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { runCells } from '../db/schema/cells.js';
import { runs, type Run } from '../db/schema/runs.js';
import { TERMINAL_RUN_STATUSES } from '../core/status.js';

/** Polling Postgres (not LISTEN) works across processes and on PGlite alike. */
export const RUN_POLL_INTERVAL_MS = 500;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** What a subscriber sees change: the run's status and each cell's status, attempt and progress. */
async function snapshot(db: Database, runId: string): Promise<{ run: Run; signature: string } | undefined> {
  const [run] = await db.orm.select().from(runs).where(eq(runs.id, runId)).limit(1);
  if (!run) return undefined;
  const cells = await db.orm
    .select({ id: runCells.cellId, status: runCells.status, attempt: runCells.attempt, progress: runCells.progress, error: runCells.error })
    .from(runCells)
    .where(eq(runCells.runId, runId))
    .orderBy(asc(runCells.position));
  return { run, signature: JSON.stringify([run.status, run.error, run.updatedAt.getTime(), cells]) };
}

/**
 * Yields the run now and again whenever it changes; ends after yielding a terminal status, when
 * the run disappears, or when `signal` aborts (client gone). `return()` stops polling at once.
 */
export function watchRun(db: Database, runId: string, options: { intervalMs?: number; signal?: AbortSignal } = {}): AsyncIterableIterator<Run> {
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  const interval = options.intervalMs ?? RUN_POLL_INTERVAL_MS;

  async function* poll(): AsyncGenerator<Run> {
    let last: string | undefined;
    while (!stop.signal.aborted) {
      const snap = await snapshot(db, runId);
      if (!snap || stop.signal.aborted) return;
      if (snap.signature !== last) {
        last = snap.signature;
        yield snap.run;
      }
      if (TERMINAL_RUN_STATUSES.includes(snap.run.status)) return;
      await sleep(interval, stop.signal);
    }
  }

  const gen = poll();
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => gen.next(),
    return: (value?: unknown) => {
      stop.abort();
      return gen.return(value);
    },
    throw: (err?: unknown) => {
      stop.abort();
      return gen.throw(err);
    },
  };
}
