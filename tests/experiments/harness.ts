import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Database } from '../../db/client.js';
import { createCpuWorker } from '../../runtime/workers.js';
import { registerVersion, setAlias } from '../../services/models.js';
import { createTestDatabase, type DriverName, type TestDatabase } from '../helpers/databases.js';
import { REPO_ROOT, SHARED_DATA } from '../helpers/loom-stack.js';
import { insertTestRun } from '../helpers/runs.js';
import { startTimeSkippingServer } from '../helpers/temporal.js';
import { TEST_EXECUTORS, TEST_KINDS } from '../helpers/test-kinds.js';

/** Time-skipping Temporal, a database and an in-process CPU worker on the env's connection. */
export interface ExperimentHarness {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  db: Database;
  close(): Promise<void>;
}

export async function startExperimentHarness(driver: DriverName = 'postgres'): Promise<ExperimentHarness> {
  const [env, database] = await Promise.all([startTimeSkippingServer(), createTestDatabase(driver)]);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-exp-'));
  const deps = { db: database.db, kinds: TEST_KINDS, executors: TEST_EXECUTORS, artifactsDir: tmpDir, dataRoots: [tmpDir, SHARED_DATA, REPO_ROOT] };
  const worker: Worker = await createCpuWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', deps, concurrency: 4 });
  const running = worker.run();
  return {
    env,
    database,
    db: database.db,
    async close() {
      worker.shutdown();
      await running.catch(() => {});
      await env.teardown();
      await database.drop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

/** A model with a champion (v1) and a challenger (v2) version, as a deploy cell would leave it. */
export async function registerChampionAndChallenger(db: Database, model: string): Promise<{ champion: string; challenger: string }> {
  const { runId } = await insertTestRun(db);
  const base = { model, runId, artifactPath: (v: number) => `/tmp/${model}-${v}.onnx`, artifactSha256: 'x'.repeat(64), metrics: {}, featureSpec: {} };
  const v1 = await registerVersion({ db }, { ...base, cellId: 'train1' });
  const v2 = await registerVersion({ db }, { ...base, cellId: 'train2' });
  await setAlias({ db }, model, 'champion', v1.version.id, 'test');
  await setAlias({ db }, model, 'challenger', v2.version.id, 'test');
  return { champion: v1.version.id, challenger: v2.version.id };
}
