import DataLoader from 'dataloader';
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { runCells } from '../../db/schema/cells.js';
import { notebookVersions } from '../../db/schema/notebooks.js';
import { runs } from '../../db/schema/runs.js';
import { parseNotebook } from '../../notebook/index.js';
import { displayStatus, GPU_QUEUE, type CellAccount, type RunAccount } from '../../export/run-accounting.js';
import { notebookUsage, runAccounting, type DailyUsage } from '../../services/accounting.js';
import { TolerantKinds } from '../../services/export/index.js';
import { builder } from '../builder.js';
import { loaderFor } from '../context.js';
import { CellRef } from './cell.js';
import { RunRef } from './run.js';

const CellAccountRef = builder.objectRef<CellAccount>('CellAccount').implement({
  fields: (t) => ({
    cellId: t.exposeString('cellId'),
    kind: t.exposeString('kind'),
    queue: t.exposeString('queue'),
    status: t.exposeString('status'),
    attempts: t.exposeInt('attempts'),
    wallMs: t.exposeInt('wallMs', { nullable: true, description: 'First attempt start to the cell’s end, retries included.' }),
    attemptMs: t.exposeInt('attemptMs', { description: 'Sum of attempt durations.' }),
    readyAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.readyAt }),
    queueWaitMs: t.exposeInt('queueWaitMs', { nullable: true, description: 'Ready to first attempt start.' }),
    gpuSeconds: t.exposeFloat('gpuSeconds'),
  }),
});

const RunAccountRef = builder.objectRef<RunAccount>('RunAccount').implement({
  description: 'Time and resources a run used, from stored attempt timestamps.',
  fields: (t) => ({
    wallMs: t.exposeInt('wallMs', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    attemptMs: t.exposeInt('attemptMs'),
    queueWaitMs: t.exposeInt('queueWaitMs'),
    gpuSeconds: t.exposeFloat('gpuSeconds'),
    cells: t.field({ type: [CellAccountRef], resolve: (a) => a.cells }),
  }),
});

const DailyUsageRef = builder.objectRef<DailyUsage>('DailyUsage').implement({
  fields: (t) => ({
    day: t.exposeString('day', { description: 'UTC date, YYYY-MM-DD.' }),
    runs: t.exposeInt('runs'),
    succeeded: t.exposeInt('succeeded'),
    failed: t.exposeInt('failed'),
    attempts: t.exposeInt('attempts'),
    cpuSeconds: t.exposeFloat('cpuSeconds'),
    gpuSeconds: t.exposeFloat('gpuSeconds'),
  }),
});

builder.objectFields(RunRef, (t) => ({
  accounting: t.field({ type: RunAccountRef, resolve: (r, _args, ctx) => runAccounting(ctx, r.id) }),
}));

builder.queryFields((t) => ({
  notebookUsage: t.field({
    type: [DailyUsageRef],
    description: 'Daily totals (UTC) of a notebook’s runs launched in [from, to), at most 366 days.',
    args: {
      notebook: t.arg.string({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
    },
    resolve: (_root, args, ctx) => notebookUsage(ctx, { notebook: args.notebook, from: args.from, to: args.to }),
  }),
}));

/** Per run: each cell's needs (from the pinned version) and current statuses. */
const needsByRun = (db: Database) =>
  new DataLoader<string, { needs: Map<string, string[]>; status: Map<string, string> }>(async (runIds) => {
    const [versions, cells] = await Promise.all([
      db.orm
        .select({ runId: runs.id, source: notebookVersions.source })
        .from(runs)
        .innerJoin(notebookVersions, eq(notebookVersions.id, runs.notebookVersionId))
        .where(inArray(runs.id, [...runIds])),
      db.orm.select({ runId: runCells.runId, cellId: runCells.cellId, status: runCells.status }).from(runCells).where(inArray(runCells.runId, [...runIds])),
    ]);
    return runIds.map((id) => {
      const source = versions.find((v) => v.runId === id)?.source ?? '';
      const nb = parseNotebook(source, new TolerantKinds()).notebook;
      return {
        needs: new Map((nb?.cells ?? []).map((c) => [c.id, c.needs])),
        status: new Map(cells.filter((c) => c.runId === id).map((c) => [c.cellId, c.status])),
      };
    });
  });

builder.objectFields(CellRef, (t) => ({
  displayStatus: t.string({
    description: 'The status for people: "waiting for a GPU worker" when a GPU cell is ready but has not started.',
    resolve: async (c, _args, ctx) => {
      if (c.queue !== GPU_QUEUE || (c.status !== 'pending' && c.status !== 'queued')) return c.status;
      const { needs, status } = await loaderFor(ctx, needsByRun).load(c.runId);
      const wanted = needs.get(c.cellId);
      return displayStatus(c, wanted?.map((n) => status.get(n) ?? 'pending'));
    },
  }),
}));
