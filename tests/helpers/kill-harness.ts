import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openDatabase, type Database } from '../../db/client.js';
import { installTemporalRuntime } from '../../runtime/temporal-runtime.js';
import { createPostgresDatabase } from './databases.js';
import { killAll, type GroupProcess } from './processes.js';
import { startDevServer } from './temporal.js';

/**
 * What a test that kills worker processes needs: a dev server, its own Postgres database, a temp
 * directory for data files, and the processes it starts — all torn down by `close()`.
 */
export interface KillHarness {
  env: TestWorkflowEnvironment;
  pgUrl: string;
  db: Database;
  tmpDir: string;
  procs: GroupProcess[];
  /** Environment for `loom worker` / `loom gpu-worker` child processes on this harness. */
  workerEnv(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startKillHarness(tmpPrefix: string): Promise<KillHarness> {
  installTemporalRuntime();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const [env, pg] = await Promise.all([startDevServer(), createPostgresDatabase()]);
  const db = await openDatabase({ url: pg.url });
  const procs: GroupProcess[] = [];
  return {
    env,
    pgUrl: pg.url,
    db,
    tmpDir,
    procs,
    workerEnv: (extra = {}) => ({ TEMPORAL_ADDRESS: env.address, DATABASE_URL: pg.url, LOOM_DATA_ROOTS: tmpDir, LOOM_HOME: path.join(tmpDir, '.loom'), ...extra }),
    async close() {
      await killAll(procs);
      await db.close().catch(() => undefined);
      await pg.drop().catch(() => undefined);
      await env.teardown().catch(() => undefined);
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
