import DataLoader from 'dataloader';
import { and, asc, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { cellAttempts, cellOutputs, runCells, type CellAttempt, type CellOutput, type RunCell } from '../../db/schema/cells.js';
import { builder } from '../builder.js';
import { loaderFor } from '../context.js';

const cellKey = (runId: string, cellId: string) => `${runId}\u0000${cellId}`;

/** One query for the cells of every run on a page, in notebook order. */
export const cellsByRun = (db: Database) =>
  new DataLoader<string, RunCell[]>(async (runIds) => {
    const rows = await db.orm
      .select()
      .from(runCells)
      .where(inArray(runCells.runId, [...runIds]))
      .orderBy(asc(runCells.runId), asc(runCells.position));
    return runIds.map((id) => rows.filter((r) => r.runId === id));
  });

/**
 * Attempts and outputs are fetched for all requested runs and cells at once. The filter on both
 * columns may match a few extra pairs; they are dropped when grouping.
 */
function byCell<Row extends { runId: string; cellId: string }>(fetch: (db: Database, runIds: string[], cellIds: string[]) => Promise<Row[]>) {
  return (db: Database) =>
    new DataLoader<string, Row[]>(async (keys) => {
      const pairs = keys.map((k) => k.split('\u0000') as [string, string]);
      const rows = await fetch(db, [...new Set(pairs.map((p) => p[0]))], [...new Set(pairs.map((p) => p[1]))]);
      const grouped = new Map<string, Row[]>();
      for (const row of rows) {
        const key = cellKey(row.runId, row.cellId);
        const list = grouped.get(key) ?? [];
        list.push(row);
        grouped.set(key, list);
      }
      return keys.map((k) => grouped.get(k) ?? []);
    });
}

export const attemptsByCell = byCell<CellAttempt>((db, runIds, cellIds) =>
  db.orm
    .select()
    .from(cellAttempts)
    .where(and(inArray(cellAttempts.runId, runIds), inArray(cellAttempts.cellId, cellIds)))
    .orderBy(asc(cellAttempts.attempt))
);

export const outputsByCell = byCell<CellOutput>((db, runIds, cellIds) =>
  db.orm
    .select()
    .from(cellOutputs)
    .where(and(inArray(cellOutputs.runId, runIds), inArray(cellOutputs.cellId, cellIds)))
    .orderBy(asc(cellOutputs.seq))
);

const AttemptRef = builder.objectRef<CellAttempt>('CellAttempt').implement({
  description: 'One execution attempt of a cell (Temporal activity attempt).',
  fields: (t) => ({
    attempt: t.exposeInt('attempt'),
    status: t.exposeString('status'),
    error: t.exposeString('error', { nullable: true }),
    errorType: t.exposeString('errorType', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

const OutputRef = builder.objectRef<CellOutput>('CellOutput').implement({
  description: 'One cell output as a Jupyter MIME bundle.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    data: t.expose('data', { type: 'JSON', description: 'MIME type to content, e.g. {"text/html": "<table>…"}.' }),
    metadata: t.expose('metadata', { type: 'JSON' }),
  }),
});

export const CellRef = builder.objectRef<RunCell>('Cell').implement({
  description: 'The current state of one cell within a run.',
  fields: (t) => ({
    cellId: t.exposeString('cellId'),
    kind: t.exposeString('kind'),
    queue: t.exposeString('queue'),
    position: t.exposeInt('position'),
    status: t.exposeString('status'),
    attempt: t.exposeInt('attempt'),
    inputHash: t.exposeString('inputHash', { nullable: true }),
    cacheKey: t.exposeString('cacheKey', { nullable: true, description: 'Content address of the inputs (input hash + upstream output hashes + kind version).' }),
    cachedFrom: t.exposeString('cachedFromRunId', { nullable: true, description: 'Set when the output was reused from this earlier run instead of computed.' }),
    error: t.exposeString('error', { nullable: true }),
    progress: t.expose('progress', { type: 'JSON', nullable: true }),
    result: t.expose('result', { type: 'JSON', nullable: true, description: 'Small values handed downstream.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    durationMs: t.int({
      nullable: true,
      resolve: (c) => (c.startedAt && c.finishedAt ? c.finishedAt.getTime() - c.startedAt.getTime() : null),
    }),
    attempts: t.field({
      type: [AttemptRef],
      resolve: (c, _args, ctx) => loaderFor(ctx, attemptsByCell).load(cellKey(c.runId, c.cellId)),
    }),
    outputs: t.field({
      type: [OutputRef],
      resolve: (c, _args, ctx) => loaderFor(ctx, outputsByCell).load(cellKey(c.runId, c.cellId)),
    }),
  }),
});
