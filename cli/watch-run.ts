import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { runCells, runs } from '../db/schema/index.js';
import { TERMINAL_RUN_STATUSES, type RunStatus } from '../core/status.js';

const ICONS: Record<string, string> = {
  pending: '·', queued: '·', running: '▶', retrying: '↻', succeeded: '✓', failed: '✗', skipped: '○', cancelled: '■',
  awaiting_approval: '⏸', waiting: '⧖',
};

function formatProgress(progress: unknown): string {
  if (!progress || typeof progress !== 'object') return '';
  return Object.entries(progress as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : v}`)
    .join(' ');
}

/**
 * Follows a run in the terminal from Postgres (not Temporal), printing one line per cell change:
 * status, attempt, live progress from heartbeats, duration, and errors verbatim.
 */
export async function watchRun(db: Database, runId: string, write: (line: string) => void, pollMs = 250): Promise<{ status: RunStatus; error: string | null }> {
  const seen = new Map<string, string>();
  for (;;) {
    const [run] = await db.orm.select().from(runs).where(eq(runs.id, runId));
    if (!run) throw new Error(`run ${runId} not found`);
    const cells = await db.orm.select().from(runCells).where(eq(runCells.runId, runId)).orderBy(asc(runCells.position));
    for (const c of cells) {
      const progress = c.status === 'running' ? formatProgress(c.progress) : '';
      const signature = `${c.status}|${c.attempt}|${progress}`;
      if (seen.get(c.cellId) === signature) continue;
      seen.set(c.cellId, signature);
      if (c.status === 'pending' || c.status === 'queued') continue;
      const duration = c.finishedAt && c.startedAt ? ` ${((c.finishedAt.getTime() - c.startedAt.getTime()) / 1000).toFixed(1)}s` : '';
      const attempt = c.attempt > 1 && c.status !== 'succeeded' ? ` (attempt ${c.attempt})` : '';
      const cached = c.cachedFromRunId ? ` (reused from ${c.cachedFromRunId})` : '';
      const detail = c.status === 'running' ? (progress ? `  ${progress}` : '') : c.error ? `  ${c.error}` : '';
      const label = c.status === 'awaiting_approval' ? 'awaiting approval (approveDeployment)' : c.status === 'waiting' ? 'waiting for its child workflow' : c.status;
      write(`${ICONS[c.status] ?? '·'} ${c.cellId.padEnd(16)} ${c.kind.padEnd(10)} ${label}${attempt}${cached}${duration}${detail}`);
    }
    if (TERMINAL_RUN_STATUSES.includes(run.status)) return { status: run.status, error: run.error };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
