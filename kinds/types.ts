import type { z } from 'zod';
import type { CellRetryPolicy, CellTimeouts } from '../core/run-plan.js';
import type { TaskQueueName } from '../core/queues.js';

/**
 * The pure half of a cell kind: how its config is validated and how it is executed by default.
 * The I/O half (the executor) lives in `activities/`; both are registered by kind name, so adding
 * a kind never touches the workflow.
 */
export interface KindSpec<Config = unknown> {
  kind: string;
  /** One line for people: shown in `loom validate` and the API. */
  description: string;
  /** Validates the cell's YAML config after `${params.x}` substitution. */
  schema: z.ZodType<Config>;
  /** Queue when the cell does not say `queue=`. */
  defaultQueue: TaskQueueName;
  retry: CellRetryPolicy;
  timeouts: CellTimeouts;
  /**
   * Output names the cell yields for `${cells.<id>.<output>}` (checked at validation time).
   * Example: ingest yields `dataset`, `rows`.
   */
  outputs: readonly string[];
  /**
   * Whether an earlier output with the same cache key may be reused. False for kinds whose result
   * depends on something outside the key (ingest: a file may change under the same path).
   * @default true
   */
  cacheable?: boolean;
  /** Bumped when the kind's code changes what it produces; part of every cache key. @default "1" */
  version?: string;
}

/** Error types thrown as non-retryable application failures for bad input. */
export const NON_RETRYABLE_TYPES = ['LoomInputError', 'LoomGateFailed'] as const;

export const DEFAULT_RETRY: CellRetryPolicy = {
  maximumAttempts: 3,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  nonRetryableErrorTypes: [...NON_RETRYABLE_TYPES],
};
