import type { Tone } from '../lib/status.js';

export function StatusBadge({ label, tone }: { label: string; tone: Tone }) {
  return <span className={`badge tone-${tone}`} data-status={label}>{label}</span>;
}
