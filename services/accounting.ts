import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { accountRun, type RunAccount } from '../export/run-accounting.js';
import { cellAttempts, runCells } from '../db/schema/cells.js';
import { runs } from '../db/schema/runs.js';
import type { ServiceDeps } from './deps.js';
import { BadUserInputError } from './errors.js';
import { loadRunSnapshot } from './export/snapshot.js';
import { getNotebook } from './notebooks.js';

export type { RunAccount };

/** Wall time, attempts, queue wait and GPU-seconds of one run and each of its cells. */
export async function runAccounting(deps: Pick<ServiceDeps, 'db' | 'kinds'>, runId: string): Promise<RunAccount> {
  return accountRun(await loadRunSnapshot(deps, runId));
}

/** One UTC day of a notebook's runs (by launch time). */
export interface DailyUsage {
  day: string;
  runs: number;
  succeeded: number;
  failed: number;
  attempts: number;
  cpuSeconds: number;
  gpuSeconds: number;
}

export const MAX_USAGE_DAYS = 366;

/** Daily totals for a notebook over [from, to), aggregated in SQL rather than per run in Node. */
export async function notebookUsage(
  deps: Pick<ServiceDeps, 'db'>,
  input: { notebook: string; from: Date; to: Date },
): Promise<DailyUsage[]> {
  const { from, to } = input;
  if (!(from instanceof Date) || !(to instanceof Date) || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw new BadUserInputError('Usage needs "from" and "to" as ISO 8601 times, e.g. 2025-03-01T00:00:00Z.');
  }
  if (to <= from) throw new BadUserInputError(`"to" (${to.toISOString()}) must be after "from" (${from.toISOString()}).`);
  if (to.getTime() - from.getTime() > MAX_USAGE_DAYS * 86_400_000) {
    throw new BadUserInputError(`A usage range may span at most ${MAX_USAGE_DAYS} days; ask for a shorter range.`);
  }
  const nb = await getNotebook(deps, input.notebook);
  const day = sql<string>`to_char(date_trunc('day', ${runs.createdAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  const inRange = and(eq(runs.notebookId, nb.id), gte(runs.createdAt, from), lt(runs.createdAt, to));
  const [runRows, attemptRows] = await Promise.all([
    deps.db.orm
      .select({
        day,
        runs: sql<number>`count(*)::int`,
        succeeded: sql<number>`count(*) filter (where ${runs.status} = 'succeeded')::int`,
        failed: sql<number>`count(*) filter (where ${runs.status} = 'failed')::int`,
      })
      .from(runs)
      .where(inRange)
      .groupBy(day),
    deps.db.orm
      .select({
        day,
        attempts: sql<number>`count(*)::int`,
        cpuSeconds: sql<number>`coalesce(sum(extract(epoch from ${cellAttempts.finishedAt} - ${cellAttempts.startedAt})) filter (where ${runCells.queue} <> 'loom-gpu'), 0)::float8`,
        gpuSeconds: sql<number>`coalesce(sum(extract(epoch from ${cellAttempts.finishedAt} - ${cellAttempts.startedAt})) filter (where ${runCells.queue} = 'loom-gpu'), 0)::float8`,
      })
      .from(cellAttempts)
      .innerJoin(runs, eq(runs.id, cellAttempts.runId))
      .innerJoin(runCells, and(eq(runCells.runId, cellAttempts.runId), eq(runCells.cellId, cellAttempts.cellId)))
      .where(inRange)
      .groupBy(day),
  ]);
  const byDay = new Map(attemptRows.map((r) => [r.day, r]));
  return runRows
    .map((r) => {
      const a = byDay.get(r.day);
      return { day: r.day, runs: r.runs, succeeded: r.succeeded, failed: r.failed, attempts: a?.attempts ?? 0, cpuSeconds: Number(a?.cpuSeconds ?? 0), gpuSeconds: Number(a?.gpuSeconds ?? 0) };
    })
    .sort((x, y) => x.day.localeCompare(y.day));
}
