import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import type { KindSpec } from '../kinds/types.js';

/** What the services need; passed explicitly so the API, the CLI and tests share one code path. */
export interface ServiceDeps {
  db: Database;
  temporal: Client;
  /** Kind registry; defaults to `KINDS` from `kinds/index.ts`. */
  kinds?: ReadonlyMap<string, KindSpec>;
}

/** Services that only touch the database. */
export type DbDeps = Pick<ServiceDeps, 'db'>;
