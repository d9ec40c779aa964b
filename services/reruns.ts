import { eq } from 'drizzle-orm';
import { KINDS } from '../kinds/index.js';
import { planRun, downstreamOf, upstreamClosure } from '../notebook/index.js';
import { notebookVersions, runCells, type Run } from '../db/schema/index.js';
import type { ServiceDeps } from './deps.js';
import { BadUserInputError, NotFoundError } from './errors.js';
import { getRun, launchRun } from './runs.js';

async function parentOf(deps: ServiceDeps, runId: string) {
  const parent = await getRun(deps, runId);
  if (!parent) throw new NotFoundError(`Run ${runId} does not exist; list runs with \`runs\` to find its id.`);
  const [version] = await deps.db.orm.select().from(notebookVersions).where(eq(notebookVersions.id, parent.notebookVersionId));
  if (!version) throw new NotFoundError(`The notebook version of run ${runId} no longer exists.`);
  const cells = await deps.db.orm.select().from(runCells).where(eq(runCells.runId, runId));
  return { parent, version, cells: new Map(cells.map((c) => [c.cellId, c])) };
}

export interface RerunFromInput {
  runId: string;
  cellId: string;
  /** Params changed for the new run; the rest are the parent's. */
  params?: Record<string, unknown> | undefined;
  /** Notebook version number to run; default the parent's. */
  notebookVersion?: number | undefined;
  launchedBy: string;
}

/**
 * Starts a new run that reuses the parent's outputs upstream of `cellId` and recomputes the cell and
 * everything downstream. An upstream cell whose inputs changed (new params or notebook version)
 * is recomputed too, since its old output would no longer match.
 */
export async function rerunFrom(deps: ServiceDeps, input: RerunFromInput): Promise<Run> {
  const { parent, version, cells } = await parentOf(deps, input.runId);
  const params = { ...parent.params, ...(input.params ?? {}) };
  const notebookName = (await deps.db.orm.query.notebooks.findFirst({ where: (n, { eq: e }) => e(n.id, parent.notebookId) }))!.name;
  const target = input.notebookVersion ?? version.version;
  const targetSource = target === version.version
    ? version.source
    : (await deps.db.orm.query.notebookVersions.findFirst({ where: (v, { and: a, eq: e }) => a(e(v.notebookId, parent.notebookId), e(v.version, target)) }))?.source;
  if (targetSource === undefined) throw new NotFoundError(`Notebook "${notebookName}" has no version ${target}.`);
  const { plan, issues } = planRun(targetSource, deps.kinds ?? KINDS, params, { runId: 'run-preview', notebookVersionId: version.id });
  if (!plan) throw new BadUserInputError(`Cannot rerun: ${issues.map((i) => i.message).join('; ')}`, { issues });
  if (!plan.cells.some((c) => c.id === input.cellId)) {
    throw new BadUserInputError(`Cell "${input.cellId}" is not in "${notebookName}" v${target}; cells: ${plan.cells.map((c) => c.id).join(', ')}.`);
  }
  const upstream = new Set(upstreamClosure(plan.cells).get(input.cellId) ?? []);
  const reuse: Record<string, string> = {};
  for (const cell of plan.cells) {
    const old = cells.get(cell.id);
    if (upstream.has(cell.id) && old?.status === 'succeeded' && old.inputHash === cell.inputHash) reuse[cell.id] = parent.id;
  }
  return launchRun(deps, {
    notebook: notebookName,
    version: target,
    params,
    launchedBy: input.launchedBy,
    parentRunId: parent.id,
    reuse,
    recompute: [...downstreamOf(plan.cells, input.cellId)],
  });
}

/** Starts a new run that reuses every cell the parent finished and reruns the failed ones and what follows them. */
export async function retryFailed(deps: ServiceDeps, input: { runId: string; launchedBy: string }): Promise<Run> {
  const { parent, version, cells } = await parentOf(deps, input.runId);
  if (parent.status === 'succeeded') throw new BadUserInputError(`Run ${parent.id} succeeded; nothing failed to retry. Use rerunFrom to recompute a cell.`);
  if (parent.status === 'queued' || parent.status === 'running') throw new BadUserInputError(`Run ${parent.id} is still ${parent.status}; wait for it to finish or cancel it first.`);
  const notebook = await deps.db.orm.query.notebooks.findFirst({ where: (n, { eq: e }) => e(n.id, parent.notebookId) });
  const reuse: Record<string, string> = {};
  const recompute: string[] = [];
  for (const [id, cell] of cells) {
    if (cell.status === 'succeeded') reuse[id] = parent.id;
    else recompute.push(id);
  }
  return launchRun(deps, { notebook: notebook!.name, version: version.version, params: parent.params, launchedBy: input.launchedBy, parentRunId: parent.id, reuse, recompute });
}
