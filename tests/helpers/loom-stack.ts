import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { asc, eq } from 'drizzle-orm';
import { createCpuWorker, createGpuWorker } from '../../runtime/workers.js';
import { cellAttempts, runCells, runs } from '../../db/schema/index.js';
import type { Database } from '../../db/client.js';
import type { KindSpec } from '../../kinds/types.js';
import type { CellExecutor } from '../../activities/types.js';
import { launchRunFromSource } from '../../services/runs.js';
import { TERMINAL_RUN_STATUSES } from '../../core/status.js';
import { createTestDatabase, type DriverName, type TestDatabase } from './databases.js';
import { startDevServer } from './temporal.js';
import { TEST_EXECUTORS, TEST_KINDS } from './test-kinds.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');

export interface TestStack {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  db: Database;
  kinds: ReadonlyMap<string, KindSpec>;
  workers: Worker[];
  tmpDir: string;
  launch(source: string, params?: Record<string, unknown>): Promise<string>;
  waitForRun(runId: string, timeoutMs?: number): Promise<typeof runs.$inferSelect>;
  cells(runId: string): Promise<(typeof runCells.$inferSelect)[]>;
  attempts(runId: string, cellId: string): Promise<(typeof cellAttempts.$inferSelect)[]>;
  close(): Promise<void>;
}

/** A real Temporal dev server, a real database and real CPU and GPU workers, all in this process. */
export async function startTestStack(opts: {
  driver: DriverName;
  workers?: boolean;
  kinds?: ReadonlyMap<string, KindSpec>;
  executors?: ReadonlyMap<string, CellExecutor<any>>;
}): Promise<TestStack> {
  const env = await startDevServer();
  const database = await createTestDatabase(opts.driver);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-test-'));
  const kinds = opts.kinds ?? TEST_KINDS;
  const deps = {
    db: database.db,
    kinds,
    executors: opts.executors ?? TEST_EXECUTORS,
    artifactsDir: path.join(tmpDir, 'artifacts'),
    dataRoots: [tmpDir, SHARED_DATA, REPO_ROOT],
    temporal: env.client,
  };
  const workers: Worker[] = [];
  if (opts.workers !== false) {
    const base = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', deps };
    workers.push(await createCpuWorker({ ...base, concurrency: 8 }), await createGpuWorker({ ...base, concurrency: 1 }));
  }
  const running = workers.map((w) => w.run());
  const services = { db: database.db, temporal: env.client, kinds };

  return {
    env,
    database,
    db: database.db,
    kinds,
    workers,
    tmpDir,
    async launch(source, params = {}) {
      const run = await launchRunFromSource(services, { source, params, launchedBy: 'test' });
      return run.id;
    },
    async waitForRun(runId, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [run] = await database.db.orm.select().from(runs).where(eq(runs.id, runId));
        if (run && TERMINAL_RUN_STATUSES.includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`run ${runId} still ${run?.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    cells: (runId) => database.db.orm.select().from(runCells).where(eq(runCells.runId, runId)).orderBy(asc(runCells.position)),
    attempts: (runId, cellId) =>
      database.db.orm
        .select()
        .from(cellAttempts)
        .where(eq(cellAttempts.runId, runId))
        .orderBy(asc(cellAttempts.attempt))
        .then((rows) => rows.filter((r) => r.cellId === cellId)),
    async close() {
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      await env.teardown();
      await database.drop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}
