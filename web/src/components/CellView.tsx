import { cellStatusLabel, formatDuration, formatProgress } from '../lib/status.js';
import { Link } from '../router.js';
import { OutputView, type CellOutput } from './OutputView.js';
import { StatusBadge } from './StatusBadge.js';

export interface RunCell {
  cellId: string;
  kind: string;
  queue: string;
  status: string;
  attempt: number;
  durationMs: number | null;
  error: string | null;
  progress: unknown;
  cachedFrom?: string | null;
  displayStatus?: string | null;
  attempts: Array<{ attempt: number; status: string; error: string | null }>;
  outputs: CellOutput[];
}

/** One cell of a run, laid out like a notebook cell: header with status, then its outputs. */
export function CellView({ cell, actions }: { cell: RunCell; actions?: React.ReactNode }) {
  const { label, tone } = cellStatusLabel(cell);
  const lastError = cell.error ?? [...cell.attempts].reverse().find((a) => a.error)?.error ?? null;
  const progress = cell.status === 'running' || cell.status === 'retrying' ? formatProgress(cell.progress) : '';
  return (
    <section className={`cell tone-${tone}`} aria-labelledby={`cell-${cell.cellId}`} data-cell={cell.cellId} data-cell-status={cell.status}>
      <header className="cell-head">
        <h2 id={`cell-${cell.cellId}`}><span className="kind">{cell.kind}</span> {cell.cellId}</h2>
        <StatusBadge label={label} tone={tone} />
        {cell.durationMs !== null && <span className="muted">{formatDuration(cell.durationMs)}</span>}
        {cell.attempt > 1 && <span className="muted">attempt {cell.attempt}</span>}
        {cell.cachedFrom && <Link href={`/runs/${cell.cachedFrom}`}>reused from {cell.cachedFrom}</Link>}
        <span className="cell-actions">{actions}</span>
      </header>
      {progress && <p className="progress" aria-live="polite">{progress}</p>}
      {lastError && (cell.status === 'failed' || cell.status === 'retrying') && <p className="error">{cell.status === 'retrying' ? 'Last error: ' : ''}{lastError}</p>}
      <div className="outputs">
        {cell.outputs.map((o) => <OutputView key={o.seq} output={o} cellId={cell.cellId} />)}
      </div>
    </section>
  );
}
