import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { openDatabase, type Database } from '../../db/client.js';
import { installTemporalRuntime } from '../../runtime/temporal-runtime.js';
import { createPostgresDatabase } from '../helpers/databases.js';
import { startDevServer } from '../helpers/temporal.js';
import { killAll, startWorkerProcess, waitUntil, type GroupProcess } from '../helpers/processes.js';
import {
  attemptsOf, cellBlock, cellRow, countRows, dataTables, datasetsOf, launch, notebookSource, replayRun, waitForRun, writeCustomersCsv,
} from './support.js';

/** Large enough that the load is still copying when the first progress report lands. */
const ROWS = 300_000;

describe('a CPU worker killed with SIGKILL in the middle of an ingest', () => {
  let env: TestWorkflowEnvironment | undefined;
  let pg: { url: string; drop: () => Promise<void> } | undefined;
  let db: Database | undefined;
  let tmpDir = '';
  const procs: GroupProcess[] = [];

  beforeAll(async () => {
    installTemporalRuntime();
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-durability-'));
    writeCustomersCsv(path.join(tmpDir, 'customers.csv'), ROWS);
    [env, pg] = await Promise.all([startDevServer(), createPostgresDatabase()]);
    db = await openDatabase({ url: pg.url });
  });

  afterAll(async () => {
    await killAll(procs);
    await db?.close().catch(() => undefined);
    await pg?.drop().catch(() => undefined);
    await env?.teardown().catch(() => undefined);
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  test('the ingest is retried on a new worker and loads every row exactly once', async () => {
    const workerEnv = {
      TEMPORAL_ADDRESS: env!.address,
      DATABASE_URL: pg!.url,
      LOOM_DATA_ROOTS: tmpDir,
      LOOM_HOME: path.join(tmpDir, '.loom'),
    };
    const first = await startWorkerProcess('worker-1', workerEnv);
    procs.push(first);

    const source = notebookSource('durability-worker-kill', [
      cellBlock('ingest', 'id=customers', [
        `source: { csv: ${JSON.stringify(path.join(tmpDir, 'customers.csv'))} }`,
        'heartbeatTimeout: 3s',
        'retry: { maximumAttempts: 5, initialInterval: 200ms }',
      ].join('\n')),
    ]);
    const runId = await launch(db!, env!.client, source);

    // In flight: the attempt is running on the first worker and has reported loaded rows.
    const inFlight = await waitUntil('the ingest to report progress', async () => {
      const cell = await cellRow(db!, runId, 'customers');
      const loaded = (cell?.progress as { rowsLoaded?: number } | null)?.rowsLoaded ?? 0;
      return cell?.status === 'running' && loaded > 0 ? loaded : undefined;
    }, 60_000, 20);
    await first.kill('SIGKILL');
    expect(inFlight).toBeLessThan(ROWS);
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    // The killed attempt never finished: nothing reached the catalogue.
    expect(await datasetsOf(db!, runId)).toEqual([]);

    procs.push(await startWorkerProcess('worker-2', workerEnv));
    const run = await waitForRun(db!, runId, 60_000);
    expect(run.status, run.error ?? '').toBe('succeeded');

    const attempts = await attemptsOf(db!, runId, 'customers');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    // The killed attempt is closed as lost once its successor starts, not left looking alive.
    expect(attempts[0]).toMatchObject({ status: 'failed', errorType: 'AttemptLost' });
    expect(attempts[0]!.finishedAt).not.toBeNull();
    expect(attempts[0]!.workerIdentity).toContain(`:${first.pid}`);
    expect(attempts.at(-1)!.status).toBe('succeeded');
    expect(attempts.at(-1)!.workerIdentity).not.toContain(`:${first.pid}`);
    expect(await cellRow(db!, runId, 'customers')).toMatchObject({ status: 'succeeded', result: { rows: ROWS } });

    const sets = await datasetsOf(db!, runId);
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ cellId: 'customers', rowCount: ROWS, rejectCount: 0 });
    expect(await countRows(db!, sets[0]!.tableName)).toBe(ROWS);
    // The half-written table of the killed attempt was rolled back with its transaction.
    expect(await dataTables(db!)).toEqual([sets[0]!.tableName]);

    // A history with a lost worker and a retried activity replays without nondeterminism.
    await replayRun(env!.client, runId);
  });
});
