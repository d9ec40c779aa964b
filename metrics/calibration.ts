/** Reliability diagram points, as `sklearn.calibration.calibration_curve` computes them. */
export interface CalibrationCurve {
  /** Mean predicted probability per non-empty bin. */
  probPred: number[];
  /** Share of positives per non-empty bin. */
  probTrue: number[];
  counts: number[];
}

/** numpy's default (linear) percentile of sorted values. */
function percentile(sorted: readonly number[], q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  const a = sorted[lo]!, b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function calibrationCurve(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10, strategy: 'uniform' | 'quantile' = 'uniform'): CalibrationCurve {
  if (y.length !== p.length) throw new Error(`labels (${y.length}) and probabilities (${p.length}) differ in length`);
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error('nBins must be a positive integer');
  for (let i = 0; i < p.length; i++) if (!(p[i]! >= 0 && p[i]! <= 1)) throw new Error(`probability ${i} is outside [0, 1]`);
  // Edges exactly as numpy's linspace builds them (i * step), so rows on an edge fall the same way.
  const step = 1 / nBins;
  const qs = Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 1 : i * step));
  let edges: number[];
  if (strategy === 'quantile') {
    const sorted = Array.from(p).sort((a, b) => a - b);
    edges = sorted.length === 0 ? qs : qs.map((q) => percentile(sorted, q * 100));
  } else edges = qs;
  const inner = edges.slice(1, -1);
  const sums = new Array<number>(nBins).fill(0), trues = new Array<number>(nBins).fill(0), totals = new Array<number>(nBins).fill(0);
  for (let i = 0; i < p.length; i++) {
    // searchsorted(side='left'): the number of inner edges strictly below the value.
    let b = 0;
    while (b < inner.length && inner[b]! < p[i]!) b++;
    sums[b]! += p[i]!;
    trues[b]! += y[i]!;
    totals[b]!++;
  }
  const out: CalibrationCurve = { probPred: [], probTrue: [], counts: [] };
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    out.probPred.push(sums[b]! / totals[b]!);
    out.probTrue.push(trues[b]! / totals[b]!);
    out.counts.push(totals[b]!);
  }
  return out;
}
