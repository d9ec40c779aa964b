/** How a cell status reads in the UI: words a growth team understands and a colour tone. */
export type Tone = 'neutral' | 'active' | 'good' | 'bad' | 'warn';

export interface CellLike {
  status: string;
  queue: string;
  attempt: number;
  cachedFrom?: string | null;
  /** The API's wording for people (e.g. "waiting for a GPU worker"), when it sends one. */
  displayStatus?: string | null;
}

export function cellStatusLabel(cell: CellLike): { label: string; tone: Tone } {
  if (cell.status === 'succeeded' && cell.cachedFrom) return { label: 'cached', tone: 'good' };
  // The server knows when a GPU cell is ready but no GPU worker has taken it.
  if (cell.displayStatus && cell.displayStatus !== cell.status) return { label: cell.displayStatus, tone: 'warn' };
  switch (cell.status) {
    case 'pending':
      return { label: 'pending', tone: 'neutral' };
    case 'queued':
      return { label: cell.queue === 'gpu' || cell.queue === 'loom-gpu' ? 'waiting for a GPU worker' : 'queued', tone: 'neutral' };
    case 'running':
      return { label: 'running', tone: 'active' };
    case 'retrying':
      return { label: `retrying (attempt ${cell.attempt + 1})`, tone: 'warn' };
    case 'awaiting_approval':
      return { label: 'awaiting approval', tone: 'warn' };
    case 'waiting':
      return { label: 'waiting for experiment', tone: 'active' };
    case 'succeeded':
      return { label: 'succeeded', tone: 'good' };
    case 'failed':
      return { label: 'failed', tone: 'bad' };
    case 'skipped':
      return { label: 'skipped', tone: 'neutral' };
    case 'cancelled':
      return { label: 'cancelled', tone: 'neutral' };
    default:
      return { label: cell.status, tone: 'neutral' };
  }
}

export function runStatusTone(status: string): Tone {
  if (status === 'succeeded') return 'good';
  if (status === 'failed') return 'bad';
  if (status === 'running') return 'active';
  return 'neutral';
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A short line from a heartbeat's progress object, e.g. "rowsLoaded 2,429 · epoch 3". */
export function formatProgress(progress: unknown): string {
  if (!progress || typeof progress !== 'object' || Array.isArray(progress)) return '';
  return Object.entries(progress as Record<string, unknown>)
    .filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v))
    .slice(0, 6)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 4 }) : String(v)}`)
    .join(' · ');
}
