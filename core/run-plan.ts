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
}

/** The workflow input: a run pinned to one notebook version and its resolved params. */
export interface RunPlan {
  runId: string;
  notebookName: string;
  notebookVersionId: string;
  params: Record<string, JsonValue>;
  cells: PlannedCell[];
}

/** What a cell hands downstream: small values only (ids, counts, paths), never bulk data. */
export interface CellResult {
  values: Record<string, JsonValue>;
  /** Hash of what the cell produced; downstream input hashes include it. */
  outputHash: string;
}
