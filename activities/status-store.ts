import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { LoomOrm } from '../db/client.js';
import { cellAttempts, cellOutputs, runCells, runs } from '../db/schema/index.js';
import type { JsonValue, MimeBundle } from '../core/mime.js';
import type { CellStatus, RunStatus } from '../core/status.js';

/**
 * Every status write is an upsert keyed by (run, cell) or (run, cell, attempt): a retried
 * activity or a replayed workflow rewrites the same row instead of adding one.
 */
export interface AttemptKey {
  runId: string;
  cellId: string;
  attempt: number;
}

export async function markAttemptStarted(orm: LoomOrm, key: AttemptKey, worker: string): Promise<void> {
  const now = new Date();
  await orm.transaction(async (tx) => {
    await tx
      .insert(cellAttempts)
      .values({ ...key, status: 'running', workerIdentity: worker, startedAt: now })
      .onConflictDoUpdate({
        target: [cellAttempts.runId, cellAttempts.cellId, cellAttempts.attempt],
        set: { status: 'running', workerIdentity: worker, startedAt: now, error: null, errorType: null, finishedAt: null },
      });
    // Temporal retries only after an attempt ended; one still marked running lost its worker or timed out.
    await tx
      .update(cellAttempts)
      .set({ status: 'failed', error: `lost: the worker stopped reporting (killed or timed out); attempt ${key.attempt} replaced it`, errorType: 'AttemptLost', finishedAt: now })
      .where(and(eq(cellAttempts.runId, key.runId), eq(cellAttempts.cellId, key.cellId), eq(cellAttempts.status, 'running'), sql`${cellAttempts.attempt} < ${key.attempt}`));
    await tx
      .update(runCells)
      .set({ status: 'running', attempt: key.attempt, error: null, startedAt: sql`coalesce(${runCells.startedAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now })
      .where(and(eq(runCells.runId, key.runId), eq(runCells.cellId, key.cellId)));
    await tx
      .update(runs)
      .set({ status: 'running', startedAt: now, updatedAt: now })
      .where(and(eq(runs.id, key.runId), eq(runs.status, 'queued')));
  });
}

export async function markAttemptFailed(
  orm: LoomOrm,
  key: AttemptKey,
  failure: { message: string; type: string; final: boolean; cancelled: boolean },
): Promise<void> {
  const now = new Date();
  const status: CellStatus = failure.cancelled ? 'cancelled' : failure.final ? 'failed' : 'retrying';
  await orm.transaction(async (tx) => {
    await tx
      .update(cellAttempts)
      .set({ status: failure.cancelled ? 'cancelled' : 'failed', error: failure.message, errorType: failure.type, finishedAt: now })
      .where(and(eq(cellAttempts.runId, key.runId), eq(cellAttempts.cellId, key.cellId), eq(cellAttempts.attempt, key.attempt)));
    // The workflow may already have written the final word (cancelled, skipped): never overwrite it.
    await tx
      .update(runCells)
      .set({ status, error: failure.message, finishedAt: status === 'retrying' ? null : now, updatedAt: now })
      .where(and(eq(runCells.runId, key.runId), eq(runCells.cellId, key.cellId), notInArray(runCells.status, ['cancelled', 'skipped', 'succeeded'])));
  });
}

type Done = { outputs: MimeBundle[]; values: Record<string, JsonValue>; outputHash: string };

/** Stores outputs and the result in one transaction; outputs of earlier attempts are replaced. */
export async function markCellSucceeded(orm: LoomOrm, key: AttemptKey, done: Done, cacheKey?: string): Promise<void> {
  await storeCellEnd(orm, key, done, 'succeeded', cacheKey);
}

/** Phase one of a two-phase cell ended: outputs so far are stored; the cell now waits. */
export async function markCellPending(orm: LoomOrm, key: AttemptKey, done: Done, status: 'awaiting_approval' | 'waiting'): Promise<void> {
  await storeCellEnd(orm, key, done, status);
}

async function storeCellEnd(orm: LoomOrm, key: AttemptKey, done: Done, status: CellStatus, cacheKey?: string): Promise<void> {
  const now = new Date();
  const finished = status === 'succeeded' ? now : null;
  await orm.transaction(async (tx) => {
    await tx.delete(cellOutputs).where(and(eq(cellOutputs.runId, key.runId), eq(cellOutputs.cellId, key.cellId)));
    if (done.outputs.length > 0) {
      await tx.insert(cellOutputs).values(
        done.outputs.map((o, seq) => ({ runId: key.runId, cellId: key.cellId, seq, data: o.data, metadata: o.metadata ?? {} })),
      );
    }
    await tx
      .update(cellAttempts)
      .set({ status: 'succeeded', finishedAt: now })
      .where(and(eq(cellAttempts.runId, key.runId), eq(cellAttempts.cellId, key.cellId), eq(cellAttempts.attempt, key.attempt)));
    await tx
      .update(runCells)
      .set({ status, result: { ...done.values, outputHash: done.outputHash }, error: null, finishedAt: finished, updatedAt: now, cachedFromRunId: null, ...(cacheKey ? { cacheKey } : {}) })
      .where(and(eq(runCells.runId, key.runId), eq(runCells.cellId, key.cellId)));
  });
}

export async function saveProgress(orm: LoomOrm, runId: string, cellId: string, progress: JsonValue): Promise<void> {
  await orm
    .update(runCells)
    .set({ progress, updatedAt: new Date() })
    .where(and(eq(runCells.runId, runId), eq(runCells.cellId, cellId)));
}

/** Sets final statuses decided by the workflow (failed after retries, skipped, cancelled). */
export async function recordCellStatuses(
  orm: LoomOrm,
  runId: string,
  cells: { cellId: string; status: CellStatus; error?: string | undefined }[],
): Promise<void> {
  const now = new Date();
  await orm.transaction(async (tx) => {
    for (const c of cells) {
      await tx
        .update(runCells)
        .set({ status: c.status, error: c.error ?? null, finishedAt: now, updatedAt: now })
        .where(and(eq(runCells.runId, runId), eq(runCells.cellId, c.cellId)));
      if (c.status === 'cancelled' || c.status === 'failed') {
        // An attempt cut off by cancellation or a lost worker never wrote its own end.
        await tx
          .update(cellAttempts)
          .set({ status: c.status, error: c.error ?? null, finishedAt: now })
          .where(and(eq(cellAttempts.runId, runId), eq(cellAttempts.cellId, c.cellId), eq(cellAttempts.status, 'running')));
      }
    }
  });
}

export async function recordRunStatus(orm: LoomOrm, runId: string, status: RunStatus, error: string | undefined): Promise<void> {
  const now = new Date();
  await orm
    .update(runs)
    .set({ status, error: error ?? null, finishedAt: now, updatedAt: now, startedAt: sql`coalesce(${runs.startedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(runs.id, runId));
  // A run that ends leaves no cell looking alive.
  if (status !== 'running') {
    await orm
      .update(runCells)
      .set({ status: status === 'cancelled' ? 'cancelled' : 'skipped', finishedAt: now, updatedAt: now })
      .where(and(eq(runCells.runId, runId), inArray(runCells.status, ['pending', 'queued'])));
  }
}
