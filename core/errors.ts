/**
 * Errors whose message is meant for a person. The activity layer turns them into non-retryable
 * Temporal application failures of the same `type`, so the message reaches the user unchanged.
 */

/** Thrown when a cell's input is wrong (bad config, missing file, malformed data past the limit). Never retried. */
export class LoomInputError extends Error {
  override name = 'LoomInputError';
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

/** Thrown when an evaluation gate is not met; the run stops and later cells are skipped. Never retried. */
export class LoomGateFailed extends Error {
  override name = 'LoomGateFailed';
}
