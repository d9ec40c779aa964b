import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ulid } from 'ulid';
import { KINDS } from '../kinds/index.js';
import { planRun } from '../notebook/index.js';
import { TASK_QUEUES, WORKFLOW_TYPES } from '../core/queues.js';
import { RUN_STATUS, TERMINAL_RUN_STATUSES, type RunStatus } from '../core/status.js';
import { runs, type Run } from '../db/schema/runs.js';
import { runCells } from '../db/schema/cells.js';
import { logger } from '../runtime/logger.js';
import type { DbDeps, ServiceDeps } from './deps.js';
import { BadUserInputError, ConflictError, NotFoundError } from './errors.js';
import { getNotebook, getNotebookVersion, saveNotebook } from './notebooks.js';
import { decodeKeysetCursor, encodeKeysetCursor } from './cursor.js';

export interface LaunchRunInput {
  notebook: string;
  version?: number | undefined;
  params: Record<string, unknown>;
  /** An API token id, `cli` or `schedule:<id>`. */
  launchedBy: string;
  parentRunId?: string | undefined;
  /** `false` recomputes every cell even when an earlier output has the same cache key. */
  cache?: boolean | undefined;
  /** Cell id → run id whose output of that cell is reused as is (rerun-from, retry-failed). */
  reuse?: Record<string, string> | undefined;
  /** Cells that must be computed again, never taken from the cache. */
  recompute?: readonly string[] | undefined;
  /**
   * A caller-chosen run id that makes the launch idempotent: when a run with this id exists it is
   * returned instead of starting another (a retried scheduled launch). Default: a new `run-<ulid>`.
   */
  runId?: string | undefined;
}

/**
 * Plans and starts a run of a saved notebook version. The run and its cells are stored first (in
 * one transaction) so the run is listable even if Temporal refuses the start; in that case the run
 * is marked failed with the reason and returned.
 */
export async function launchRun(deps: ServiceDeps, input: LaunchRunInput): Promise<Run> {
  if (input.params === null || typeof input.params !== 'object' || Array.isArray(input.params)) {
    throw new BadUserInputError('Run params must be a JSON object of name to value, e.g. {"days": 30}.');
  }
  if (input.runId) {
    const existing = await getRun(deps, input.runId);
    if (existing) return existing;
  }
  const { notebook, version } = await getNotebookVersion(deps, input.notebook, input.version);
  const runId = input.runId ?? `run-${ulid()}`;
  const { plan, issues } = planRun(version.source, deps.kinds ?? KINDS, input.params, { runId, notebookVersionId: version.id });
  if (!plan || issues.length > 0) {
    const lines = issues.map((i) => (i.line > 0 ? `line ${i.line}: ${i.message}` : i.message));
    throw new BadUserInputError(
      `Cannot run "${notebook.name}" v${version.version}: ${lines.join('; ') || 'the plan could not be built'}`,
      { issues },
    );
  }
  for (const cell of plan.cells) {
    const from = input.reuse?.[cell.id];
    if (from) cell.reuseFrom = from;
    if (input.cache === false || input.recompute?.includes(cell.id)) cell.cache = false;
  }
  await deps.db.orm.transaction(async (tx) => {
    await tx.insert(runs).values({
      id: runId,
      notebookId: notebook.id,
      notebookVersionId: version.id,
      params: plan.params,
      status: RUN_STATUS.queued,
      launchedBy: input.launchedBy,
      parentRunId: input.parentRunId ?? null,
    });
    if (plan.cells.length > 0) {
      await tx.insert(runCells).values(
        plan.cells.map((cell, position) => ({
          runId,
          cellId: cell.id,
          kind: cell.kind,
          queue: cell.queue,
          position,
          status: 'pending' as const,
          inputHash: cell.inputHash,
        })),
      );
    }
  });
  try {
    await deps.temporal.workflow.start(WORKFLOW_TYPES.campaignRun, {
      taskQueue: TASK_QUEUES.cpu,
      workflowId: runId,
      args: [plan],
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    logger.error({ err, runId }, 'starting the run workflow failed');
    const [failed] = await deps.db.orm
      .update(runs)
      .set({ status: RUN_STATUS.failed, error: `Temporal did not start the run: ${reason}`, finishedAt: new Date(), updatedAt: new Date() })
      .where(eq(runs.id, runId))
      .returning();
    if (failed) return failed;
    throw err;
  }
  const run = await getRun(deps, runId);
  if (!run) throw new Error(`Run ${runId} vanished right after launch`);
  return run;
}

/** Saves the source (or reuses the identical version) and launches it: what `loom run file.md` does. */
export async function launchRunFromSource(
  deps: ServiceDeps,
  input: { source: string; params: Record<string, unknown>; launchedBy: string },
): Promise<Run> {
  const saved = await saveNotebook(deps, input.source);
  if ('issues' in saved) {
    const lines = saved.issues.map((i) => `line ${i.line}:${i.column}: ${i.message}`);
    throw new BadUserInputError(`The notebook is invalid and was not run:\n${lines.join('\n')}`, { issues: saved.issues });
  }
  return launchRun(deps, {
    notebook: saved.notebook.name,
    version: saved.version.version,
    params: input.params,
    launchedBy: input.launchedBy,
  });
}

/** Asks Temporal to cancel a run's workflow; the workflow records the cancellation itself. */
export async function cancelRun(deps: ServiceDeps, runId: string): Promise<Run> {
  const run = await getRun(deps, runId);
  if (!run) throw new NotFoundError(`No run with id ${JSON.stringify(runId.slice(0, 80))}; runs ids look like run-01J….`);
  if (TERMINAL_RUN_STATUSES.includes(run.status)) {
    throw new ConflictError(`Run ${run.id} already finished (${run.status}); only queued or running runs can be cancelled.`);
  }
  const handle = deps.temporal.workflow.getHandle(runId);
  try {
    const described = await handle.describe();
    if (described.status.name !== 'RUNNING') {
      throw new ConflictError(
        `Run ${run.id} already finished in Temporal (${described.status.name.toLowerCase()}); only running runs can be cancelled.`,
      );
    }
    await handle.cancel();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new NotFoundError(`Run ${run.id} has no workflow in Temporal (it may never have started, or history was deleted).`);
    }
    throw err;
  }
  return run;
}

export async function getRun(deps: DbDeps, runId: string): Promise<Run | null> {
  const [run] = await deps.db.orm.select().from(runs).where(eq(runs.id, runId)).limit(1);
  return run ?? null;
}

export const MAX_PAGE_SIZE = 100;

export interface ListRunsInput {
  notebook?: string | undefined;
  status?: RunStatus | undefined;
  first: number;
  after?: string | undefined;
}

export interface RunPage {
  runs: Array<Run & { cursor: string }>;
  hasNextPage: boolean;
}

/** Newest first, keyset-paginated on (created_at, id) so pages stay stable while runs are added. */
export async function listRuns(deps: DbDeps, input: ListRunsInput): Promise<RunPage> {
  if (!Number.isInteger(input.first) || input.first < 1 || input.first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`"first" must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  if (input.status !== undefined && !Object.hasOwn(RUN_STATUS, input.status)) {
    throw new BadUserInputError(`Unknown run status ${JSON.stringify(String(input.status).slice(0, 40))}: use ${Object.keys(RUN_STATUS).join(', ')}.`);
  }
  const where: SQL[] = [];
  if (input.notebook !== undefined) {
    const nb = await getNotebook(deps, input.notebook);
    where.push(eq(runs.notebookId, nb.id));
  }
  if (input.status) where.push(eq(runs.status, input.status));
  if (input.after !== undefined) {
    const cursor = decodeKeysetCursor(input.after);
    where.push(sql`(${runs.createdAt}, ${runs.id}) < (${cursor.createdAt}::timestamptz, ${cursor.id})`);
  }
  const rows = await deps.db.orm
    .select({ run: runs, createdAtText: sql<string>`${runs.createdAt}::text` })
    .from(runs)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(input.first + 1);
  const page = rows.slice(0, input.first);
  return {
    runs: page.map((r) => ({ ...r.run, cursor: encodeKeysetCursor(r.createdAtText, r.run.id) })),
    hasNextPage: rows.length > input.first,
  };
}

/** Runs launched from this one (rerun-from, retry-failed), newest first. */
export async function childRuns(deps: DbDeps, runId: string): Promise<Run[]> {
  return deps.db.orm.select().from(runs).where(eq(runs.parentRunId, runId)).orderBy(desc(runs.createdAt)).limit(100);
}
