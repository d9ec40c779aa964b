const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A metric value for tables: 4 significant decimals, integers as integers, dashes for gaps. */
export function formatNumber(v: unknown, digits = 4): string {
  if (!finite(v)) return v === null || v === undefined ? '—' : String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatPercent(v: unknown, digits = 1): string {
  return finite(v) ? `${(v * 100).toFixed(digits)}%` : '—';
}

/** An interval as "[-1.2%, 3.4%]". */
export function formatInterval(ci: unknown, asPercent = true): string {
  if (!Array.isArray(ci) || ci.length !== 2) return '—';
  const f = asPercent ? formatPercent : formatNumber;
  return `[${f(ci[0])}, ${f(ci[1])}]`;
}

/** p-values small enough to matter read as "< 0.001" rather than a string of zeros. */
export function formatPValue(p: unknown): string {
  if (!finite(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return p.toFixed(3);
}

/** The sample-ratio check in words: a mismatch (p < 0.001) is flagged, never hidden. */
export function srmStatus(srm: { pValue: number; mismatch: boolean } | null | undefined): { label: string; tone: 'good' | 'bad' | 'neutral' } {
  if (!srm) return { label: 'not analysed yet', tone: 'neutral' };
  if (srm.mismatch || srm.pValue < 0.001) return { label: `sample ratio mismatch (p ${formatPValue(srm.pValue)})`, tone: 'bad' };
  return { label: `sample ratio OK (p ${formatPValue(srm.pValue)})`, tone: 'good' };
}

/** Metric columns in a stable, readable order: the usual headline metrics first, then the rest. */
const PREFERRED = ['auc', 'pr_auc', 'log_loss', 'f1', 'accuracy', 'precision', 'recall', 'brier', 'threshold'];
export function metricColumns(rows: Array<Record<string, unknown>>): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (finite(v)) seen.add(k);
  return [...PREFERRED.filter((k) => seen.has(k)), ...[...seen].filter((k) => !PREFERRED.includes(k)).sort()];
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toLocaleString();
}
