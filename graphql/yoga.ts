import type { Client } from '@temporalio/client';
import { createYoga as createYogaServer, type YogaServerInstance } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import type { KindSpec } from '../kinds/types.js';
import { builder } from './builder.js';
import './schema/index.js';
import { authenticateRequest, useRoleCheck } from './auth.js';
import type { LoomContext } from './context.js';
import { maskError } from './errors.js';
import { useBodyLimit, useOperationLimits } from './limits.js';
import { logger } from '../runtime/logger.js';

export interface YogaDeps {
  db: Database;
  temporal: Client;
  config: { maxBodyBytes: number; graphiql: boolean };
  /** Cell kinds notebooks may use; default the installed registry (`kinds/index.ts`). */
  kinds?: ReadonlyMap<string, KindSpec>;
}

export type LoomYoga = YogaServerInstance<Record<string, unknown>, LoomContext>;

export const schema = builder.toSchema();

/** The GraphQL endpoint at /graphql; call `.fetch(request)` in tests or mount it on an HTTP server. */
export function createYoga(deps: YogaDeps): LoomYoga {
  return createYogaServer<Record<string, unknown>, LoomContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: deps.config.graphiql ? { title: 'Loom' } : false,
    landingPage: false,
    batching: false,
    multipart: false,
    // useBodyLimit enforces the limit with a message that names it.
    maxRequestBodySize: false,
    maskedErrors: { maskError, isDev: false },
    // Yoga reports every rejected request as an error; maskError logs the ones that are really ours.
    logging: {
      debug: (...args) => logger.debug({ args }, 'yoga'),
      info: (...args) => logger.debug({ args }, 'yoga'),
      warn: (...args) => logger.debug({ args }, 'yoga'),
      error: (...args) => logger.debug({ args }, 'yoga'),
    },
    context: async ({ request }): Promise<LoomContext> => ({
      db: deps.db,
      temporal: deps.temporal,
      ...(deps.kinds ? { kinds: deps.kinds } : {}),
      token: await authenticateRequest(deps, request),
      loaders: new Map(),
    }),
    plugins: [useBodyLimit(deps.config.maxBodyBytes), ...useOperationLimits(), useRoleCheck()],
  });
}
