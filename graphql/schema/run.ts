import type { Run } from '../../db/schema/runs.js';
import { RUN_STATUS, type RunStatus } from '../../core/status.js';
import { cancelRun, childRuns, getRun, launchRun, listRuns } from '../../services/runs.js';
import { rerunFrom, retryFailed } from '../../services/reruns.js';
import { NotFoundError } from '../../services/errors.js';
import { builder } from '../builder.js';
import { loaderFor } from '../context.js';
import { forwardPage, toConnection } from '../pagination.js';
import { watchRun } from '../run-updates.js';
import { CellRef, cellsByRun } from './cell.js';
import { NotebookRef, NotebookVersionRef, notebookById, versionById } from './notebook.js';

export const RunStatusEnum = builder.enumType('RunStatus', {
  values: Object.keys(RUN_STATUS) as RunStatus[],
});

export const RunRef = builder.objectRef<Run>('Run');
RunRef.implement({
  description: 'One execution of a notebook version (one Temporal workflow).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The workflow id, run-<ulid>.' }),
    status: t.field({ type: RunStatusEnum, resolve: (r) => r.status }),
    error: t.exposeString('error', { nullable: true }),
    params: t.expose('params', { type: 'JSON' }),
    launchedBy: t.exposeString('launchedBy', { nullable: true }),
    parentRunId: t.exposeString('parentRunId', { nullable: true }),
    parentRun: t.field({
      type: RunRef,
      nullable: true,
      description: 'The run this one was rerun or retried from.',
      resolve: (r, _args, ctx) => (r.parentRunId ? getRun(ctx, r.parentRunId) : null),
    }),
    childRuns: t.field({
      type: [RunRef],
      description: 'Runs rerun or retried from this one, newest first.',
      resolve: (r, _args, ctx) => childRuns(ctx, r.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    notebook: t.field({
      type: NotebookRef,
      resolve: async (r, _args, ctx) => required(await loaderFor(ctx, notebookById).load(r.notebookId), 'notebook'),
    }),
    notebookVersion: t.field({
      type: NotebookVersionRef,
      resolve: async (r, _args, ctx) => required(await loaderFor(ctx, versionById).load(r.notebookVersionId), 'notebook version'),
    }),
    cells: t.field({
      type: [CellRef],
      description: 'In notebook order.',
      resolve: (r, _args, ctx) => loaderFor(ctx, cellsByRun).load(r.id),
    }),
  }),
});

function required<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`Run references a missing ${what}`);
  return value;
}

builder.queryFields((t) => ({
  runs: t.connection({
    type: RunRef,
    description: 'Newest first.',
    args: {
      notebook: t.arg.string({ required: false, description: 'Only runs of the notebook with this name.' }),
      status: t.arg({ type: RunStatusEnum, required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const { first, after } = forwardPage(args);
      const page = await listRuns(ctx, { first, after, notebook: args.notebook ?? undefined, status: args.status ?? undefined });
      return toConnection(page.runs.map((node) => ({ node, cursor: node.cursor })), page.hasNextPage);
    },
  }),
  run: t.field({
    type: RunRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => getRun(ctx, String(args.id)),
  }),
}));

builder.mutationFields((t) => ({
  launchRun: t.field({
    type: RunRef,
    description: 'Starts a run of a saved notebook (latest version unless `version` is given).',
    args: {
      notebook: t.arg.string({ required: true }),
      version: t.arg.int({ required: false }),
      params: t.arg({ type: 'JSON', required: false, description: 'Param name to value, e.g. {"days": 30}.' }),
    },
    resolve: (_root, args, ctx) =>
      launchRun(ctx, {
        notebook: args.notebook,
        version: args.version ?? undefined,
        params: (args.params ?? {}) as Record<string, unknown>,
        launchedBy: ctx.token.id,
      }),
  }),
  cancelRun: t.field({
    type: RunRef,
    description: 'Asks Temporal to cancel a queued or running run.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => cancelRun(ctx, String(args.id)),
  }),
  rerunFrom: t.field({
    type: RunRef,
    description: 'A new run that reuses the outputs upstream of `cellId` and recomputes the cell and everything after it.',
    args: {
      runId: t.arg.id({ required: true }),
      cellId: t.arg.string({ required: true }),
      params: t.arg({ type: 'JSON', required: false, description: 'Params to change; the rest are the parent run’s.' }),
      notebookVersion: t.arg.int({ required: false }),
    },
    resolve: (_root, args, ctx) =>
      rerunFrom(ctx, {
        runId: String(args.runId),
        cellId: args.cellId,
        params: (args.params ?? undefined) as Record<string, unknown> | undefined,
        notebookVersion: args.notebookVersion ?? undefined,
        launchedBy: ctx.token.id,
      }),
  }),
  retryFailed: t.field({
    type: RunRef,
    description: 'A new run that reuses every finished cell and reruns the failed ones and what depends on them.',
    args: { runId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => retryFailed(ctx, { runId: String(args.runId), launchedBy: ctx.token.id }),
  }),
}));

builder.subscriptionFields((t) => ({
  runUpdated: t.field({
    type: RunRef,
    description: 'The run now, then whenever its or a cell’s status, attempt or progress changes; completes when the run finishes.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const id = String(args.id);
      if (!(await getRun(ctx, id))) throw new NotFoundError(`No run with id ${JSON.stringify(id.slice(0, 80))}.`);
      return watchRun(ctx.db, id, { signal: ctx.request.signal });
    },
    // Each event is a fresh read: drop the loaders cached for the previous event.
    resolve: (run, _args, ctx) => {
      ctx.loaders.clear();
      return run;
    },
  }),
}));
