import fs from 'node:fs';
import { asc, eq } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { Database } from '../../db/client.js';
import { cellAttempts, datasets, runCells, runs } from '../../db/schema/index.js';
import { TERMINAL_RUN_STATUSES } from '../../core/status.js';
import { launchRunFromSource } from '../../services/runs.js';
import { workflowBundle } from '../../runtime/workers.js';
import { waitUntil } from '../helpers/processes.js';

/**
 * Writes a CSV of `rows` customer records (header + rows) with no bad records, so every row must
 * end up in the dataset. Written in blocks so a large file never sits in memory whole.
 */
export function writeCustomersCsv(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'customer_id,email,country,spend,signup_date,active\n');
    const countries = ['DE', 'FR', 'US', 'GB', 'JP', 'BR', 'IN', 'NL'];
    let block = '';
    for (let i = 1; i <= rows; i++) {
      const day = String((i % 28) + 1).padStart(2, '0');
      const month = String((i % 12) + 1).padStart(2, '0');
      block += `${i},customer${i}@example.com,${countries[i % countries.length]},${((i * 37) % 100_000) / 100},2024-${month}-${day},${i % 3 === 0}\n`;
      if (block.length > 1 << 20) {
        fs.writeSync(fd, block);
        block = '';
      }
    }
    if (block) fs.writeSync(fd, block);
  } finally {
    fs.closeSync(fd);
  }
}

/** A notebook source: front matter with a name, a heading, then the given cell blocks. */
export function notebookSource(name: string, cells: string[]): string {
  return `---\nname: ${name}\n---\n# ${name}\n\n${cells.join('\n')}`;
}

export function cellBlock(kind: string, header: string, body: string): string {
  return '```cell ' + kind + ' ' + header + '\n' + body + '\n```\n';
}

export async function launch(db: Database, client: Client, source: string): Promise<string> {
  const run = await launchRunFromSource({ db, temporal: client }, { source, params: {}, launchedBy: 'test' });
  return run.id;
}

export async function waitForRun(db: Database, runId: string, timeoutMs: number): Promise<typeof runs.$inferSelect> {
  return waitUntil(`run ${runId} to finish`, async () => {
    const [run] = await db.orm.select().from(runs).where(eq(runs.id, runId));
    return run && TERMINAL_RUN_STATUSES.includes(run.status) ? run : undefined;
  }, timeoutMs, 200);
}

export async function cellRow(db: Database, runId: string, cellId: string): Promise<typeof runCells.$inferSelect | undefined> {
  const rows = await db.orm.select().from(runCells).where(eq(runCells.runId, runId));
  return rows.find((r) => r.cellId === cellId);
}

export async function attemptsOf(db: Database, runId: string, cellId: string): Promise<(typeof cellAttempts.$inferSelect)[]> {
  const rows = await db.orm.select().from(cellAttempts).where(eq(cellAttempts.runId, runId)).orderBy(asc(cellAttempts.attempt));
  return rows.filter((r) => r.cellId === cellId);
}

export async function datasetsOf(db: Database, runId: string): Promise<(typeof datasets.$inferSelect)[]> {
  return db.orm.select().from(datasets).where(eq(datasets.runId, runId)).orderBy(asc(datasets.cellId));
}

/** Every table in `loom_data`, by name. */
export async function dataTables(db: Database): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'loom_data' ORDER BY table_name",
  );
  return rows.map((r) => r.table_name);
}

export async function countRows(db: Database, tableName: string): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM loom_data."${tableName.replace(/"/g, '""')}"`);
  return Number(row?.n);
}

/** Replays a finished workflow's history against the current workflow code; throws on nondeterminism. */
export async function replayRun(client: Client, workflowId: string): Promise<void> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
}

const HistoryMessage = proto.temporal.api.history.v1.History;

/**
 * A history as plain JSON: the protobuf object form (int64 and bytes as strings, enums by name),
 * read back losslessly by `historyFromFixture`.
 */
export function historyToFixture(history: proto.temporal.api.history.v1.IHistory): unknown {
  return HistoryMessage.toObject(HistoryMessage.fromObject(history), { longs: String, enums: String, bytes: String });
}

export function historyFromFixture(json: unknown): proto.temporal.api.history.v1.History {
  if (json === null || typeof json !== 'object' || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('not a history: expected an object with an events array');
  }
  return HistoryMessage.fromObject(json);
}
