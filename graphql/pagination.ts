import { BadUserInputError } from '../services/errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

interface ConnectionArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}

/** Forward-only page arguments, validated with a message that names the argument. */
export function forwardPage(args: ConnectionArgs): { first: number; after: string | undefined } {
  if (args.last != null || args.before != null) {
    throw new BadUserInputError('Only forward pagination is supported: use "first" and "after", not "last" or "before".');
  }
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`"first" must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return { first, after: args.after ?? undefined };
}

/** The Relay connection shape for one keyset page. */
export function toConnection<T>(items: Array<{ node: T; cursor: string }>, hasNextPage: boolean) {
  return {
    edges: items,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: items[0]?.cursor ?? null,
      endCursor: items.at(-1)?.cursor ?? null,
    },
  };
}
