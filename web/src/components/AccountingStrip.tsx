import { formatDuration } from '../lib/status.js';

export interface RunAccounting { wallMs: number | null; queueWaitMs: number; gpuSeconds: number; attempts: number }

/** Wall time, time spent waiting for a worker, and GPU-seconds, from `Run.accounting`. */
export function AccountingStrip({ accounting }: { accounting: RunAccounting }) {
  const items: Array<[string, string]> = [
    ['Wall time', formatDuration(accounting.wallMs) || 'still running'],
    ['Queue wait', formatDuration(accounting.queueWaitMs) || '0 ms'],
    ['GPU-seconds', accounting.gpuSeconds.toLocaleString('en-US', { maximumFractionDigits: 1 })],
    ['Attempts', String(accounting.attempts)],
  ];
  return (
    <dl className="accounting" aria-label="Run accounting">
      {items.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  );
}
