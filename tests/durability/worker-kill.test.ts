import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startKillHarness, type KillHarness } from '../helpers/kill-harness.js';
import { startWorkerProcess, waitUntil } from '../helpers/processes.js';
import {
  attemptsOf, cellBlock, cellRow, countRows, dataTables, datasetsOf, launch, notebookSource, replayRun, waitForRun, writeCustomersCsv,
} from './support.js';

/** Large enough that the load is still copying when the first progress report lands. */
const ROWS = 300_000;

describe('a CPU worker killed with SIGKILL in the middle of an ingest', () => {
  let h: KillHarness;

  beforeAll(async () => {
    h = await startKillHarness('loom-durability-');
    writeCustomersCsv(path.join(h.tmpDir, 'customers.csv'), ROWS);
  });

  afterAll(async () => {
    await h?.close();
  });

  test('the ingest is retried on a new worker and loads every row exactly once', async () => {
    const workerEnv = h.workerEnv();
    const first = await startWorkerProcess('worker-1', workerEnv);
    h.procs.push(first);

    const source = notebookSource('durability-worker-kill', [
      cellBlock('ingest', 'id=customers', [
        `source: { csv: ${JSON.stringify(path.join(h.tmpDir, 'customers.csv'))} }`,
        'heartbeatTimeout: 3s',
        'retry: { maximumAttempts: 5, initialInterval: 200ms }',
      ].join('\n')),
    ]);
    const runId = await launch(h.db, h.env.client, source);

    // In flight: the attempt is running on the first worker and has reported loaded rows.
    const inFlight = await waitUntil('the ingest to report progress', async () => {
      const cell = await cellRow(h.db, runId, 'customers');
      const loaded = (cell?.progress as { rowsLoaded?: number } | null)?.rowsLoaded ?? 0;
      return cell?.status === 'running' && loaded > 0 ? loaded : undefined;
    }, 60_000, 20);
    await first.kill('SIGKILL');
    expect(inFlight).toBeLessThan(ROWS);
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    // The killed attempt never finished: nothing reached the catalogue.
    expect(await datasetsOf(h.db, runId)).toEqual([]);

    h.procs.push(await startWorkerProcess('worker-2', workerEnv));
    const run = await waitForRun(h.db, runId, 60_000);
    expect(run.status, run.error ?? '').toBe('succeeded');

    const attempts = await attemptsOf(h.db, runId, 'customers');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    // The killed attempt is closed as lost once its successor starts, not left looking alive.
    expect(attempts[0]).toMatchObject({ status: 'failed', errorType: 'AttemptLost' });
    expect(attempts[0]!.finishedAt).not.toBeNull();
    expect(attempts[0]!.workerIdentity).toContain(`:${first.pid}`);
    expect(attempts.at(-1)!.status).toBe('succeeded');
    expect(attempts.at(-1)!.workerIdentity).not.toContain(`:${first.pid}`);
    expect(await cellRow(h.db, runId, 'customers')).toMatchObject({ status: 'succeeded', result: { rows: ROWS } });

    const sets = await datasetsOf(h.db, runId);
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ cellId: 'customers', rowCount: ROWS, rejectCount: 0 });
    expect(await countRows(h.db, sets[0]!.tableName)).toBe(ROWS);
    // The half-written table of the killed attempt was rolled back with its transaction.
    expect(await dataTables(h.db)).toEqual([sets[0]!.tableName]);

    // A history with a lost worker and a retried activity replays without nondeterminism.
    await replayRun(h.env.client, runId);
  });
});
