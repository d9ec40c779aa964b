import type { Client } from '@temporalio/client';
import type { YogaInitialContext } from 'graphql-yoga';
import type { Database } from '../db/client.js';
import type { ApiToken } from '../db/schema/tokens.js';
import type { KindSpec } from '../kinds/types.js';

/** What Loom adds to each request's context: the authenticated token and its DataLoaders. */
export interface LoomContext {
  db: Database;
  temporal: Client;
  /** Cell kinds notebooks may use; services fall back to the installed registry. */
  kinds?: ReadonlyMap<string, KindSpec>;
  token: ApiToken;
  /** DataLoaders created on first use, one per factory, so batching spans the whole request. */
  loaders: Map<unknown, unknown>;
}

export type GraphQLContext = YogaInitialContext & LoomContext;

/** This request's instance of the loader `create` builds (each type module owns its factories). */
export function loaderFor<L>(ctx: Pick<GraphQLContext, 'loaders' | 'db'>, create: (db: Database) => L): L {
  let loader = ctx.loaders.get(create) as L | undefined;
  if (!loader) {
    loader = create(ctx.db);
    ctx.loaders.set(create, loader);
  }
  return loader;
}
