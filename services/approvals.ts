import { and, eq } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ApprovalDecision } from '../core/run-plan.js';
import { runCells } from '../db/schema/cells.js';
import type { ServiceDeps } from './deps.js';
import { BadUserInputError, ConflictError, NotFoundError } from './errors.js';
import { getRun } from './runs.js';
import { SIGNALS } from '../core/queues.js';

/** Name of the workflow's approval signal (`approvalSignal` in workflows/definitions.ts). */
export const APPROVAL_SIGNAL = SIGNALS.approval;
export const MAX_NOTE_CHARS = 2_000;

const quoted = (s: unknown) => JSON.stringify(String(s).slice(0, 80));

export interface DecideInput {
  runId: string;
  cellId: string;
  decision: ApprovalDecision['decision'];
  /** Who decides: the API token's name. */
  by: string;
  note?: string | null | undefined;
}

/**
 * Approves or rejects a cell that waits for approval (a deploy). Postgres is checked first so a
 * wrong id or a cell that is not waiting gets a clear answer; then the run's workflow is signalled
 * and decides (the first decision wins there).
 */
export async function decideApproval(deps: ServiceDeps, input: DecideInput): Promise<ApprovalDecision> {
  const note = input.note ?? undefined;
  if (note !== undefined && (typeof note !== 'string' || note.length > MAX_NOTE_CHARS)) {
    throw new BadUserInputError(`The note may be at most ${MAX_NOTE_CHARS} characters; shorten it.`);
  }
  if (typeof input.runId !== 'string' || input.runId.length > 200) throw new BadUserInputError('runId must be a run id such as run-01J….');
  const run = await getRun(deps, input.runId);
  if (!run) throw new NotFoundError(`No run with id ${quoted(input.runId)}; run ids look like run-01J….`);
  const [cell] = await deps.db.orm.select().from(runCells)
    .where(and(eq(runCells.runId, run.id), eq(runCells.cellId, String(input.cellId)))).limit(1);
  if (!cell) throw new NotFoundError(`Run ${run.id} has no cell ${quoted(input.cellId)}.`);
  if (cell.status !== 'awaiting_approval') {
    throw new ConflictError(`Cell "${cell.cellId}" of run ${run.id} is ${cell.status}, not awaiting approval; only a deploy cell that waits for approval can be approved or rejected.`);
  }
  const decision: ApprovalDecision = { cellId: cell.cellId, decision: input.decision, by: input.by, ...(note ? { note } : {}) };
  try {
    await deps.temporal.workflow.getHandle(run.id).signal<[ApprovalDecision]>(APPROVAL_SIGNAL, decision);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new ConflictError(`Run ${run.id} is no longer running in Temporal, so it cannot take a decision.`);
    }
    throw err;
  }
  return decision;
}
