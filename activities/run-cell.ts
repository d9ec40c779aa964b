import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { LoomGateFailed, LoomInputError } from '../core/errors.js';
import type { JsonValue } from '../core/mime.js';
import type { CellResult, CellResume, PlannedCell } from '../core/run-plan.js';
import { resolveCellRefs } from '../notebook/index.js';
import { childLogger } from '../runtime/logger.js';
import type { ActivityDeps } from './deps.js';
import { cellCacheKey, findCached, findInRun, storeReused, toCellResult } from './cell-cache.js';
import { markAttemptFailed, markAttemptStarted, markCellPending, markCellSucceeded, saveProgress } from './status-store.js';

export interface RunCellInput {
  runId: string;
  cell: PlannedCell;
  upstream: Record<string, CellResult>;
  /** Second phase of a cell that returned `pending`: what the workflow obtained. */
  resume?: CellResume;
  /** Attempts earlier phases used; this phase's attempts are numbered after them. */
  attemptOffset?: number;
}

/** Progress reaches Postgres at most this often; Temporal heartbeats are throttled by the SDK. */
const PROGRESS_WRITE_MS = 1_000;
/** Heartbeats while an executor is quiet, so cancellation and lost workers are noticed. */
const KEEPALIVE_MS = 5_000;

function summariseIssues(cellId: string, issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 10)
    .map((i) => `cell "${cellId}"${i.path.length ? ` field ${i.path.map(String).join('.')}` : ''}: ${i.message}`)
    .join('; ');
}

/**
 * The one activity every cell runs through: resolves `${cells…}` references, validates the config
 * against the kind's schema, records the attempt, runs the kind's executor, stores its outputs.
 * Bad input becomes a non-retryable failure whose message reaches the user unchanged.
 */
export function createRunCell(deps: ActivityDeps) {
  return async function runCell(input: RunCellInput): Promise<CellResult> {
    const ctx = Context.current();
    const { runId, cell } = input;
    const key = { runId, cellId: cell.id, attempt: (input.attemptOffset ?? 0) + ctx.info.attempt };
    const log = childLogger({ runId, cellId: cell.id, kind: cell.kind, attempt: key.attempt });
    const kindVersion = deps.kinds.get(cell.kind)?.version ?? '1';
    const cacheKey = cellCacheKey(cell, input.upstream, kindVersion);
    if (!input.resume) {
      const reused = cell.reuseFrom
        ? await findInRun(deps.db.orm, cell.id, cell.reuseFrom).catch((err: unknown) => {
            throw ApplicationFailure.create({ type: 'LoomInputError', message: (err as Error).message, nonRetryable: true });
          })
        : cell.cache
          ? await findCached(deps.db.orm, cell.id, cacheKey, runId)
          : undefined;
      if (reused) {
        await storeReused(deps.db.orm, runId, cell.id, cacheKey, reused);
        log.info({ from: reused.originRunId }, 'reused an earlier output');
        return toCellResult(reused.result);
      }
    }
    await markAttemptStarted(deps.db.orm, key, deps.workerIdentity);

    let lastWrite = 0;
    let pendingWrite: Promise<void> = Promise.resolve();
    const progress = (details: Record<string, JsonValue>) => {
      ctx.heartbeat(details);
      const now = Date.now();
      if (now - lastWrite >= PROGRESS_WRITE_MS) {
        lastWrite = now;
        pendingWrite = pendingWrite.then(() => saveProgress(deps.db.orm, runId, cell.id, details)).catch((e: unknown) => {
          log.warn({ err: e }, 'could not save progress');
        });
      }
    };
    const keepalive = setInterval(() => ctx.heartbeat(), KEEPALIVE_MS);

    try {
      const spec = deps.kinds.get(cell.kind);
      const executor = deps.executors.get(cell.kind);
      if (!spec || !executor) throw new LoomInputError(`cell "${cell.id}": kind "${cell.kind}" is not installed on worker ${deps.workerIdentity}; deploy a worker that registers it`);
      const resolved = resolveCellRefs(cell.config, input.upstream);
      const parsed = spec.schema.safeParse(resolved);
      if (!parsed.success) throw new LoomInputError(summariseIssues(cell.id, parsed.error.issues));
      const done = await executor({
        runId,
        cellId: cell.id,
        attempt: key.attempt,
        config: parsed.data,
        upstream: input.upstream,
        db: deps.db,
        artifactsDir: deps.artifactsDir,
        dataRoots: deps.dataRoots,
        progress,
        ...(input.resume ? { resume: input.resume } : {}),
        signal: ctx.cancellationSignal,
        log,
      });
      await pendingWrite;
      if (done.pending) {
        await markCellPending(deps.db.orm, key, done, done.pending.type === 'approval' ? 'awaiting_approval' : 'waiting');
        return { values: done.values, outputHash: done.outputHash, pending: done.pending, attempts: ctx.info.attempt };
      }
      await markCellSucceeded(deps.db.orm, key, done, cacheKey);
      return { values: done.values, outputHash: done.outputHash };
    } catch (err) {
      await pendingWrite;
      const error = err instanceof Error ? err : new Error(String(err));
      const userError = error instanceof LoomInputError || error instanceof LoomGateFailed;
      const nonRetryable = userError || (error instanceof ApplicationFailure && error.nonRetryable);
      const cancelled = ctx.cancellationSignal.aborted;
      const final = nonRetryable || ctx.info.attempt >= cell.retry.maximumAttempts || cancelled;
      const type = error instanceof ApplicationFailure ? (error.type ?? error.name) : error.name;
      try {
        await markAttemptFailed(deps.db.orm, key, { message: cancelled ? 'cancelled' : error.message, type, final, cancelled });
      } catch (writeErr) {
        log.error({ err: writeErr }, 'could not record the failed attempt');
      }
      if (userError) throw ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true });
      log.warn({ err: error }, 'cell attempt failed');
      throw error;
    } finally {
      clearInterval(keepalive);
    }
  };
}
