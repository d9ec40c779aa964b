import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import type { JsonValue } from '../core/mime.js';
import type { GraphQLContext } from './context.js';

/** The one Pothos builder; types are defined in `graphql/schema/<type>.ts`. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: {
    JSON: { Input: JsonValue; Output: unknown };
    DateTime: { Input: Date; Output: Date };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Ids here are already globally unique strings (run-…, nb-…); Relay node lookup is not offered.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});
