/** Lifecycle of one cell within a run. */
export const CELL_STATUS = {
  pending: 'pending',
  queued: 'queued',
  running: 'running',
  retrying: 'retrying',
  /** Phase one done; waiting for a person's approve/reject signal (e.g. deploy). */
  awaitingApproval: 'awaiting_approval',
  /** Phase one done; waiting for a child workflow (e.g. an A/B experiment) to finish. */
  waiting: 'waiting',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
} as const;
export type CellStatus = (typeof CELL_STATUS)[keyof typeof CELL_STATUS];

/** Lifecycle of a run (one `campaignRun` workflow execution). */
export const RUN_STATUS = {
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
export const TERMINAL_CELL_STATUSES: readonly CellStatus[] = ['succeeded', 'failed', 'skipped', 'cancelled'];
