import { GraphQLError } from 'graphql';
import type { MaskError } from 'graphql-yoga';
import { LoomServiceError } from '../services/errors.js';
import { logger } from '../runtime/logger.js';

/** Codes of errors raised on purpose by GraphQL itself, yoga or Loom; their messages are for people. */
const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'REQUEST_ENTITY_TOO_LARGE',
]);

interface ErrorLike {
  name?: unknown;
  message: string;
  extensions?: Record<string, unknown>;
  originalError?: unknown;
  path?: ReadonlyArray<string | number>;
}

// graphql-armor loads graphql's CommonJS build and yoga its ES build, so their GraphQLError
// classes differ and `instanceof` cannot be trusted; the shape can.
function asGraphQLError(e: unknown): ErrorLike | undefined {
  return e instanceof Error && e.name === 'GraphQLError' ? (e) : undefined;
}

function serviceError(e: unknown): LoomServiceError | undefined {
  for (let cur = e, i = 0; cur && i < 5; cur = asGraphQLError(cur)?.originalError, i++) {
    if (cur instanceof LoomServiceError) return cur;
  }
  return undefined;
}

/** Armor's limit errors carry no code and a misleading "Syntax Error:" prefix. */
const LIMIT_MESSAGE = /^(?:Syntax Error: )?((?:Query Cost|Token|Aliases|Directives|Query depth) limit of .*)$/s;

/**
 * Users see a stable `extensions.code` and a message written for them; anything unexpected
 * becomes INTERNAL_SERVER_ERROR with no stack, SQL or internal names, and is logged in full.
 */
export const maskError: MaskError = (error, message) => {
  const gql = asGraphQLError(error);
  const path = gql?.path ? { path: gql.path } : {};
  const service = serviceError(error);
  if (service) {
    return new GraphQLError(service.message, {
      ...path,
      extensions: { code: service.code, ...(service.details ? { details: service.details } : {}) },
    });
  }
  // GraphQL errors raised on purpose: by parse/validate/armor (no cause) or thrown as GraphQLError by a resolver or scalar.
  const intended = gql && (gql.originalError === undefined || gql.originalError === null ? gql : asGraphQLError(gql.originalError));
  if (intended && !asGraphQLError(intended)?.originalError) {
    const limit = LIMIT_MESSAGE.exec(intended.message);
    if (limit?.[1]) {
      return new GraphQLError(`${limit[1]} Simplify the query or split it into several requests.`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
    }
    const code = intended.extensions?.code;
    if (code === undefined || (typeof code === 'string' && PASS_THROUGH_CODES.has(code))) return error as GraphQLError;
  }
  logger.error({ err: error }, 'unexpected error in GraphQL request');
  return new GraphQLError(message, { ...path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
};
