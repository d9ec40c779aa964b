import type { CellSnapshot, RunSnapshot } from './types.js';

export const GPU_QUEUE = 'loom-gpu';

/** Time and resources one cell used. */
export interface CellAccount {
  cellId: string;
  kind: string;
  queue: string;
  status: string;
  attempts: number;
  /** First attempt start to the cell's end, retries and backoff included. */
  wallMs: number | null;
  /** Sum of the attempts' own durations (what workers spent). */
  attemptMs: number;
  /** When its needs had all succeeded (the run's launch for a cell with no needs). */
  readyAt: Date | null;
  /** Ready to first attempt start: time spent waiting for a worker (schedule-to-start). */
  queueWaitMs: number | null;
  /** Attempt time on `loom-gpu` workers, in seconds (one attempt holds one GPU). */
  gpuSeconds: number;
}

export interface RunAccount {
  runId: string;
  notebook: string;
  wallMs: number | null;
  attempts: number;
  attemptMs: number;
  queueWaitMs: number;
  gpuSeconds: number;
  cells: CellAccount[];
}

const ms = (from: Date | null, to: Date | null) => (from && to ? Math.max(0, to.getTime() - from.getTime()) : null);

function attemptMs(c: CellSnapshot, now: Date): number {
  // A running attempt counts up to now, so a live run's GPU time grows as it should.
  return c.attempts.reduce((sum, a) => sum + (a.startedAt ? Math.max(0, (a.finishedAt ?? now).getTime() - a.startedAt.getTime()) : 0), 0);
}

function firstStart(c: CellSnapshot): Date | null {
  const starts = c.attempts.map((a) => a.startedAt).filter((d): d is Date => d !== null);
  return starts.length > 0 ? new Date(Math.min(...starts.map((d) => d.getTime()))) : c.startedAt;
}

/**
 * When a cell became ready: the latest end among the cells it needs, or the run's launch when it
 * needs none. Null while a need has not finished.
 */
export function readyAt(run: RunSnapshot, cellId: string, needs: ReadonlyMap<string, readonly string[]>): Date | null {
  const byId = new Map(run.cells.map((c) => [c.cellId, c]));
  let ready = run.createdAt;
  for (const need of needs.get(cellId) ?? []) {
    const up = byId.get(need);
    if (!up || up.status !== 'succeeded' || !up.finishedAt) return null;
    if (up.finishedAt > ready) ready = up.finishedAt;
  }
  return ready;
}

export function needsOf(run: RunSnapshot): Map<string, string[]> {
  return new Map((run.notebook?.cells ?? []).map((c) => [c.id, c.needs]));
}

/** Per-cell and total time, attempts, queue wait and GPU-seconds, from stored timestamps only. */
export function accountRun(run: RunSnapshot, now: Date = new Date()): RunAccount {
  const needs = needsOf(run);
  const cells = run.cells.map((c): CellAccount => {
    const ready = readyAt(run, c.cellId, needs);
    const start = firstStart(c);
    const spent = attemptMs(c, now);
    return {
      cellId: c.cellId,
      kind: c.kind,
      queue: c.queue,
      status: c.status,
      attempts: c.attempts.length,
      wallMs: ms(start, c.finishedAt),
      attemptMs: spent,
      readyAt: ready,
      queueWaitMs: ms(ready, start),
      gpuSeconds: c.queue === GPU_QUEUE ? spent / 1000 : 0,
    };
  });
  return {
    runId: run.id,
    notebook: run.notebookName,
    wallMs: ms(run.createdAt, run.finishedAt),
    attempts: cells.reduce((s, c) => s + c.attempts, 0),
    attemptMs: cells.reduce((s, c) => s + c.attemptMs, 0),
    queueWaitMs: cells.reduce((s, c) => s + (c.queueWaitMs ?? 0), 0),
    gpuSeconds: cells.reduce((s, c) => s + c.gpuSeconds, 0),
    cells,
  };
}

export const WAITING_FOR_GPU = 'waiting for a GPU worker';

/**
 * The status shown to people: a GPU cell whose needs all succeeded but that has not started is
 * waiting for a GPU worker, which is worth saying (no GPU worker may be running).
 */
export function displayStatus(
  cell: { queue: string; status: string },
  needStatuses: readonly string[] | undefined,
): string {
  if (cell.queue !== GPU_QUEUE || (cell.status !== 'pending' && cell.status !== 'queued')) return cell.status;
  if (needStatuses === undefined || needStatuses.some((s) => s !== 'succeeded')) return cell.status;
  return WAITING_FOR_GPU;
}
