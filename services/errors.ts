/**
 * Errors whose message is written for the person who made the request. The API passes the message
 * and `code` through unchanged (as `extensions.code`); every other error is masked.
 */
export type ServiceErrorCode = 'NOT_FOUND' | 'BAD_USER_INPUT' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CONFLICT';

export abstract class LoomServiceError extends Error {
  abstract readonly code: ServiceErrorCode;
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
  }
}

/** Thrown when a named notebook, version, run, dataset or token does not exist. */
export class NotFoundError extends LoomServiceError {
  override name = 'NotFoundError';
  readonly code = 'NOT_FOUND' as const;
}

/** Thrown when a request's input is wrong (bad params, oversized source, malformed cursor). */
export class BadUserInputError extends LoomServiceError {
  override name = 'BadUserInputError';
  readonly code = 'BAD_USER_INPUT' as const;
}

/** Thrown when a valid token's role does not allow the operation. */
export class ForbiddenError extends LoomServiceError {
  override name = 'ForbiddenError';
  readonly code = 'FORBIDDEN' as const;
}

/** Thrown when a request carries no token, or one that is unknown, expired or revoked. */
export class UnauthenticatedError extends LoomServiceError {
  override name = 'UnauthenticatedError';
  readonly code = 'UNAUTHENTICATED' as const;
}

/** Thrown when the operation clashes with current state (cancelling a run that already finished). */
export class ConflictError extends LoomServiceError {
  override name = 'ConflictError';
  readonly code = 'CONFLICT' as const;
}
