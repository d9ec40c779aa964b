import type { JsonValue } from './mime.js';
import type { TaskQueueName } from './queues.js';

/** Temporal retry policy, in the notebook's spelling (durations in milliseconds). */
export interface CellRetryPolicy {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** Application failure types that are never retried (bad input). */
  nonRetryableErrorTypes: string[];
}

export interface CellTimeouts {
  /** One attempt's limit. */
  startToCloseMs: number;
  /** Time without a heartbeat after which an attempt counts as lost (worker died). */
  heartbeatMs?: number;
  /** Time a cell may wait in its queue before an attempt starts. */
  scheduleToStartMs?: number;
}

/** One cell as the workflow executes it: everything resolved except `${cells.…}` references. */
export interface PlannedCell {
  id: string;
  kind: string;
  needs: string[];
  queue: TaskQueueName;
  retry: CellRetryPolicy;
  timeouts: CellTimeouts;
  /** Kind config after `${params.x}` substitution; `${cells.<id>.<output>}` resolves at cell start. */
  config: JsonValue;
  /** Hash of kind, config, and params used; upstream output hashes are folded in at run time. */
  inputHash: string;
  /** Reuse a successful earlier output with the same cache key (default: the kind's `cacheable`). */
  cache?: boolean;
  /** Reuse this run's output of the same cell instead of running (rerun-from and retry-failed). */
  reuseFrom?: string;
}

/** The workflow input: a run pinned to one notebook version and its resolved params. */
export interface RunPlan {
  runId: string;
  notebookName: string;
  notebookVersionId: string;
  params: Record<string, JsonValue>;
  cells: PlannedCell[];
}

/**
 * What a cell's first phase may ask the workflow for before it can finish. The workflow fulfils
 * it (waits for a signal, runs a child workflow) and runs the cell again with a `CellResume`.
 * This keeps kinds such as `deploy` (approval) and `abtest` (experiment) out of the workflow code.
 */
export type CellPending =
  | { type: 'approval'; timeoutMs: number; summary: string }
  | { type: 'child'; workflowType: string; workflowId: string; args: JsonValue[]; taskQueue?: string };

export type CellResume =
  | { type: 'approval'; decision: 'approved' | 'rejected' | 'timed_out'; by?: string; note?: string }
  | { type: 'child'; ok: true; result: JsonValue }
  | { type: 'child'; ok: false; error: string };

/** What a cell hands downstream: small values only (ids, counts, paths), never bulk data. */
export interface CellResult {
  values: Record<string, JsonValue>;
  /** Hash of what the cell produced; downstream input hashes include it. */
  outputHash: string;
  /** Set when the cell needs the workflow to wait for something before it is done. */
  pending?: CellPending;
  /** Attempts this phase used, so a second phase numbers its attempts after them. */
  attempts?: number;
}

/** An approve/reject decision for a cell that awaits approval. */
export interface ApprovalDecision {
  cellId: string;
  decision: 'approved' | 'rejected';
  by: string;
  note?: string;
}
