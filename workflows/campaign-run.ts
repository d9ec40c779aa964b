import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { ApprovalDecision, CellPending, CellResult, CellResume, PlannedCell, RunPlan } from '../core/run-plan.js';
import type { RunStatus } from '../core/status.js';
import type { createActivities } from '../activities/index.js';
import { ancestorsOf, downstreamOf, readyCells } from './cell-graph.js';
import { approvalSignal, stateQuery, type CellState, type RunState } from './definitions.js';

type Activities = ReturnType<typeof createActivities>;

/** Bookkeeping writes are short, local to the workflow's worker, and retried until Postgres answers. */
const bookkeeping = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '500ms', maximumInterval: '10s', backoffCoefficient: 2 },
});

function cellActivities(cell: PlannedCell): Activities {
  return proxyActivities<Activities>({
    taskQueue: cell.queue,
    startToCloseTimeout: cell.timeouts.startToCloseMs,
    heartbeatTimeout: cell.timeouts.heartbeatMs,
    scheduleToStartTimeout: cell.timeouts.scheduleToStartMs,
    retry: {
      maximumAttempts: cell.retry.maximumAttempts,
      initialInterval: cell.retry.initialIntervalMs,
      backoffCoefficient: cell.retry.backoffCoefficient,
      maximumInterval: cell.retry.maximumIntervalMs,
      nonRetryableErrorTypes: cell.retry.nonRetryableErrorTypes,
    },
  });
}

/** The user-facing message of a failed activity: the application failure's own words. */
function failureMessage(err: unknown): string {
  if ((err instanceof ActivityFailure || err instanceof ChildWorkflowFailure) && err.cause) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure) return cause.message;
    return `${cause.name}: ${cause.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  results: Record<string, CellResult>;
}

/**
 * Runs a campaign notebook: walks the cell graph in dependency order, independent branches in
 * parallel, each cell one `runCell` activity on its queue. A failed cell skips its downstream
 * cells; independent branches still finish. The run fails if any cell failed.
 */
export async function campaignRun(plan: RunPlan): Promise<RunOutcome> {
  const cells = new Map<string, CellState>(
    plan.cells.map((c) => [c.id, { id: c.id, kind: c.kind, queue: c.queue, status: 'pending' }]),
  );
  let runStatus: RunStatus = 'running';
  setHandler(stateQuery, (): RunState => ({ runId: plan.runId, status: runStatus, cells: [...cells.values()] }));
  const decisions = new Map<string, ApprovalDecision>();
  setHandler(approvalSignal, (d) => {
    if (cells.has(d.cellId) && !decisions.has(d.cellId)) decisions.set(d.cellId, d);
  });

  /** Fulfils what a cell's first phase asked for; the cell's second phase gets the outcome. */
  const fulfil = async (cell: PlannedCell, pending: CellPending): Promise<CellResume> => {
    const state = cells.get(cell.id)!;
    if (pending.type === 'approval') {
      state.status = 'awaiting_approval';
      const decided = await condition(() => decisions.has(cell.id), pending.timeoutMs);
      state.status = 'running';
      if (!decided) return { type: 'approval', decision: 'timed_out' };
      const d = decisions.get(cell.id)!;
      return { type: 'approval', decision: d.decision, by: d.by, ...(d.note ? { note: d.note } : {}) };
    }
    state.status = 'waiting';
    try {
      const result: unknown = await executeChild(pending.workflowType, {
        workflowId: pending.workflowId,
        args: pending.args,
        ...(pending.taskQueue ? { taskQueue: pending.taskQueue } : {}),
      });
      return { type: 'child', ok: true, result: (result ?? null) as Extract<CellResume, { ok: true }>['result'] };
    } catch (err) {
      if (isCancellation(err)) throw err;
      return { type: 'child', ok: false, error: failureMessage(err) };
    } finally {
      state.status = 'running';
    }
  };

  const results: Record<string, CellResult> = {};
  const started = new Set<string>();
  const succeeded = new Set<string>();
  const failures: string[] = [];
  const inFlight = new Map<string, Promise<void>>();

  const runOne = async (cell: PlannedCell): Promise<void> => {
    const state = cells.get(cell.id)!;
    state.status = 'running';
    const upstream: Record<string, CellResult> = {};
    for (const id of ancestorsOf(plan.cells, cell.id)) {
      const r = results[id];
      if (r) upstream[id] = r;
    }
    try {
      const acts = cellActivities(cell);
      let result = await acts.runCell({ runId: plan.runId, cell, upstream });
      let attemptOffset = 0;
      while (result.pending) {
        const resume = await fulfil(cell, result.pending);
        attemptOffset += result.attempts ?? 1;
        result = await acts.runCell({ runId: plan.runId, cell, upstream, resume, attemptOffset });
      }
      results[cell.id] = { values: result.values, outputHash: result.outputHash };
      state.status = 'succeeded';
      succeeded.add(cell.id);
    } catch (err) {
      if (isCancellation(err)) throw err;
      state.status = 'failed';
      state.error = failureMessage(err);
      failures.push(`cell "${cell.id}" failed: ${state.error}`);
      const skipped = downstreamOf(plan.cells, cell.id).filter((id) => !started.has(id));
      for (const id of skipped) {
        started.add(id);
        cells.get(id)!.status = 'skipped';
      }
      await bookkeeping.recordCells({
        runId: plan.runId,
        cells: [
          { cellId: cell.id, status: 'failed', error: state.error },
          ...skipped.map((id) => ({ cellId: id, status: 'skipped' as const, error: `not run: "${cell.id}" failed` })),
        ],
      });
    }
  };

  try {
    for (;;) {
      for (const cell of readyCells(plan.cells, started, succeeded)) {
        started.add(cell.id);
        inFlight.set(cell.id, runOne(cell).finally(() => inFlight.delete(cell.id)));
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled activities settle promptly; waiting keeps their rejections handled.
    await Promise.allSettled([...inFlight.values()]);
    runStatus = 'cancelled';
    const open = [...cells.values()].filter((c) => c.status === 'pending' || c.status === 'running' || c.status === 'awaiting_approval' || c.status === 'waiting');
    for (const c of open) c.status = 'cancelled';
    await CancellationScope.nonCancellable(async () => {
      await bookkeeping.recordCells({ runId: plan.runId, cells: open.map((c) => ({ cellId: c.id, status: 'cancelled' as const, error: 'run cancelled' })) });
      await bookkeeping.recordRun({ runId: plan.runId, status: 'cancelled', error: 'cancelled by request' });
    });
    throw err;
  }

  runStatus = failures.length > 0 ? 'failed' : 'succeeded';
  const error = failures.length > 0 ? failures.join('; ') : undefined;
  await bookkeeping.recordRun({ runId: plan.runId, status: runStatus, error });
  if (error) throw ApplicationFailure.create({ type: 'LoomRunFailed', message: error, nonRetryable: true });
  return { runId: plan.runId, status: runStatus, results };
}
