/**
 * Family-wise (Holm) and false-discovery-rate (Benjamini–Hochberg) adjusted p-values, matching
 * statsmodels `multipletests(method='holm' | 'fdr_bh')`. Ties get equal adjusted values either way.
 */

function order(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((i, j) => p[i]! - p[j]!);
}

/** Holm step-down: sorted p(i)·(m − i + 1), made monotone upward, capped at 1. */
export function holmAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const out = new Array<number>(m);
  let running = 0;
  order(p).forEach((index, rank) => {
    running = Math.max(running, Math.min(1, p[index]! * (m - rank)));
    out[index] = running;
  });
  return out;
}

/** Benjamini–Hochberg step-up: sorted p(i)·m/i, made monotone downward from the largest, capped at 1. */
export function bhAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const out = new Array<number>(m);
  const sorted = order(p);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = sorted[rank]!;
    running = Math.min(running, (p[index]! * m) / (rank + 1));
    out[index] = running;
  }
  return out;
}

/**
 * The level at which to draw intervals that go with the adjusted p-values: Bonferroni α/m for
 * Holm (Holm's step-down has no exact interval counterpart; Bonferroni intervals are valid and
 * slightly wider), and Benjamini–Yekutieli's false-coverage-rate level R·α/m for BH, where R is
 * the number of discoveries (at least 1).
 */
export function adjustedIntervalAlpha(correction: 'holm' | 'bh' | 'none', alpha: number, m: number, discoveries: number): number {
  if (correction === 'none' || m <= 1) return alpha;
  if (correction === 'holm') return alpha / m;
  return (Math.max(1, discoveries) * alpha) / m;
}
