import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { TASK_QUEUES } from '../../core/queues.js';
import { KINDS } from '../../kinds/index.js';
import { DEFAULT_RETRY, type KindSpec } from '../../kinds/types.js';
import { parseNotebook } from '../../notebook/index.js';
import { cellAttempts, cellOutputs, runCells } from '../../db/schema/cells.js';
import { notebooks, notebookVersions } from '../../db/schema/notebooks.js';
import { runs } from '../../db/schema/runs.js';
import type { RunSnapshot } from '../../export/types.js';
import type { ServiceDeps } from '../deps.js';
import { BadUserInputError, NotFoundError } from '../errors.js';

/** Run ids are `run-` and a ULID (tests use short hex suffixes); anything else is refused early. */
export function checkRunId(runId: unknown): string {
  if (typeof runId !== 'string' || !/^run-[A-Za-z0-9_-]{1,64}$/.test(runId)) {
    throw new BadUserInputError(`${JSON.stringify(String(runId).slice(0, 80))} is not a run id; run ids look like run-01JB2M8Q1Z3X4Y5W6V7T8S9R0P.`);
  }
  return runId;
}

/**
 * The registry a stored version is read back with: a kind this process does not know (a test
 * kind, or one since removed) still parses, so the report keeps its prose and cell bodies.
 */
export class TolerantKinds extends Map<string, KindSpec> {
  constructor(base: ReadonlyMap<string, KindSpec> = KINDS) {
    super(base);
  }
  override get(kind: string): KindSpec {
    return (
      super.get(kind) ?? {
        kind,
        description: kind,
        schema: z.unknown(),
        defaultQueue: TASK_QUEUES.cpu,
        retry: DEFAULT_RETRY,
        timeouts: { startToCloseMs: 60_000 },
        outputs: [],
      }
    );
  }
  override has(): boolean {
    return true;
  }
}

/** A run with its pinned notebook version, cells, attempts and outputs, in four queries. */
export async function loadRunSnapshot(deps: Pick<ServiceDeps, 'db' | 'kinds'>, runIdInput: string): Promise<RunSnapshot> {
  const runId = checkRunId(runIdInput);
  const [row] = await deps.db.orm
    .select({ run: runs, name: notebooks.name, version: notebookVersions.version, source: notebookVersions.source })
    .from(runs)
    .innerJoin(notebooks, eq(notebooks.id, runs.notebookId))
    .innerJoin(notebookVersions, eq(notebookVersions.id, runs.notebookVersionId))
    .where(eq(runs.id, runId))
    .limit(1);
  if (!row) throw new NotFoundError(`No run with id ${JSON.stringify(runId)}; list runs with the \`runs\` query or \`loom status\`.`);
  const [cells, attempts, outputs] = await Promise.all([
    deps.db.orm.select().from(runCells).where(eq(runCells.runId, runId)).orderBy(asc(runCells.position)),
    deps.db.orm.select().from(cellAttempts).where(eq(cellAttempts.runId, runId)).orderBy(asc(cellAttempts.attempt)),
    deps.db.orm.select().from(cellOutputs).where(eq(cellOutputs.runId, runId)).orderBy(asc(cellOutputs.seq)),
  ]);
  const { run } = row;
  return {
    id: run.id,
    status: run.status,
    error: run.error,
    params: run.params,
    launchedBy: run.launchedBy,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    notebookName: row.name,
    notebookVersion: row.version,
    source: row.source,
    notebook: parseNotebook(row.source, new TolerantKinds(deps.kinds ?? KINDS)).notebook,
    cells: cells.map((c) => ({
      cellId: c.cellId,
      kind: c.kind,
      queue: c.queue,
      position: c.position,
      status: c.status,
      attempt: c.attempt,
      error: c.error,
      result: c.result ?? null,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      createdAt: c.createdAt,
      attempts: attempts
        .filter((a) => a.cellId === c.cellId)
        .map((a) => ({ attempt: a.attempt, status: a.status, error: a.error, startedAt: a.startedAt, finishedAt: a.finishedAt })),
      outputs: outputs.filter((o) => o.cellId === c.cellId).map((o) => ({ data: o.data, metadata: o.metadata })),
    })),
  };
}
