import crypto from 'node:crypto';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { LoomOrm } from '../db/client.js';
import { cellOutputs, runCells, runs } from '../db/schema/index.js';
import type { JsonValue } from '../core/mime.js';
import type { CellResult, PlannedCell } from '../core/run-plan.js';
import { LoomInputError } from '../core/errors.js';

/**
 * A cell's content address: its planned input hash (kind, resolved config, params it uses), the
 * kind's code version, and the output hashes of everything upstream. Equal keys mean equal inputs.
 */
export function cellCacheKey(cell: PlannedCell, upstream: Record<string, CellResult>, kindVersion: string): string {
  const ups = Object.keys(upstream)
    .sort()
    .map((id) => [id, upstream[id]!.outputHash]);
  return crypto.createHash('sha256').update(JSON.stringify([cell.inputHash, cell.kind, kindVersion, ups])).digest('hex');
}

export interface ReusableOutput {
  /** The run that computed the output (the origin, even when that run reused it too). */
  originRunId: string;
  /** The run whose cell row and outputs are copied. */
  sourceRunId: string;
  result: Record<string, JsonValue>;
}

/** The newest successful output of the same cell with the same key, if any. */
export async function findCached(orm: LoomOrm, cellId: string, key: string, excludeRunId: string): Promise<ReusableOutput | undefined> {
  const [row] = await orm
    .select({ runId: runCells.runId, result: runCells.result, cachedFrom: runCells.cachedFromRunId })
    .from(runCells)
    .where(and(eq(runCells.cacheKey, key), eq(runCells.cellId, cellId), eq(runCells.status, 'succeeded'), isNotNull(runCells.result), sql`${runCells.runId} <> ${excludeRunId}`))
    .orderBy(desc(runCells.finishedAt))
    .limit(1);
  if (!row?.result) return undefined;
  return { originRunId: row.cachedFrom ?? row.runId, sourceRunId: row.runId, result: row.result };
}

/** The output of `cellId` in an earlier run that rerun-from or retry-failed reuses. */
export async function findInRun(orm: LoomOrm, cellId: string, runId: string): Promise<ReusableOutput> {
  const [row] = await orm
    .select({ status: runCells.status, result: runCells.result, cachedFrom: runCells.cachedFromRunId })
    .from(runCells)
    .where(and(eq(runCells.runId, runId), eq(runCells.cellId, cellId)));
  if (!row || row.status !== 'succeeded' || !row.result) {
    throw new LoomInputError(`cell "${cellId}" cannot reuse run ${runId}: that cell did not succeed there; rerun from an earlier cell`);
  }
  return { originRunId: row.cachedFrom ?? runId, sourceRunId: runId, result: row.result };
}

/** Marks the cell succeeded with a reused output: outputs are copied rows, datasets and models stay referenced. */
export async function storeReused(orm: LoomOrm, runId: string, cellId: string, key: string, reused: ReusableOutput): Promise<void> {
  const now = new Date();
  await orm.transaction(async (tx) => {
    await tx.delete(cellOutputs).where(and(eq(cellOutputs.runId, runId), eq(cellOutputs.cellId, cellId)));
    const outputs = await tx.select().from(cellOutputs).where(and(eq(cellOutputs.runId, reused.sourceRunId), eq(cellOutputs.cellId, cellId)));
    if (outputs.length > 0) {
      await tx.insert(cellOutputs).values(outputs.map((o) => ({ runId, cellId, seq: o.seq, data: o.data, metadata: { ...o.metadata, cachedFrom: reused.originRunId } })));
    }
    await tx
      .update(runCells)
      .set({ status: 'succeeded', result: reused.result, cacheKey: key, cachedFromRunId: reused.originRunId, error: null, startedAt: now, finishedAt: now, updatedAt: now })
      .where(and(eq(runCells.runId, runId), eq(runCells.cellId, cellId)));
    await tx.update(runs).set({ status: 'running', startedAt: now, updatedAt: now }).where(and(eq(runs.id, runId), eq(runs.status, 'queued')));
  });
}

/** Splits a stored result back into downstream values and the output hash. */
export function toCellResult(result: Record<string, JsonValue>): CellResult {
  const { outputHash, ...values } = result;
  return { values, outputHash: typeof outputHash === 'string' ? outputHash : '' };
}
