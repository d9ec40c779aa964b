import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import type { KindSpec } from '../kinds/types.js';
import type { CellExecutor } from './types.js';

/** What the activities need from their process; tests pass their own registries. */
export interface ActivityDeps {
  db: Database;
  kinds: ReadonlyMap<string, KindSpec>;
  executors: ReadonlyMap<string, CellExecutor<any>>;
  artifactsDir: string;
  dataRoots: string[];
  /** Recorded with each attempt (`<queue>@<host>:<pid>`), so a failure names the worker it ran on. */
  workerIdentity: string;
  /** Temporal client, for activities that start or cancel workflows (scheduled runs). */
  temporal?: Client;
}
