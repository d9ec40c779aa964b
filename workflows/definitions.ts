import { defineQuery } from '@temporalio/workflow';
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
