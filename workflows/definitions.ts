import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ApprovalDecision } from '../core/run-plan.js';
import { SIGNALS } from '../core/queues.js';
import type { CellStatus, RunStatus } from '../core/status.js';

/** A cell as the running workflow sees it. */
export interface CellState {
  id: string;
  kind: string;
  queue: string;
  status: CellStatus;
  error?: string;
}

/** Answer of the `state` query: the live view of a run, straight from Temporal. */
export interface RunState {
  runId: string;
  status: RunStatus;
  cells: CellState[];
}

export const stateQuery = defineQuery<RunState>('state');

/** Approve or reject a cell that awaits approval (e.g. a deployment); the first decision wins. */
export const approvalSignal = defineSignal<[ApprovalDecision]>(SIGNALS.approval);
