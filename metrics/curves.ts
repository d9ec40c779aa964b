/**
 * Ranking curves with scikit-learn's definitions: scores sorted descending, one point per distinct
 * score (tied scores move together, which is how ties are handled in ROC AUC), positives are 1.
 */

export interface ClfCurve {
  /** Cumulative false and true positives at each distinct score, highest score first. */
  fps: number[];
  tps: number[];
  thresholds: number[];
}

function check(y: ArrayLike<number>, s: ArrayLike<number>): void {
  if (y.length !== s.length) throw new Error(`labels (${y.length}) and scores (${s.length}) differ in length`);
  for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i]!)) throw new Error(`score ${i} is not a finite number`);
}

/** sklearn's `_binary_clf_curve`. */
export function binaryClfCurve(y: ArrayLike<number>, scores: ArrayLike<number>): ClfCurve {
  check(y, scores);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const fps: number[] = [], tps: number[] = [], thresholds: number[] = [];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (y[i] === 1) tp++; else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      tps.push(tp); fps.push(fp); thresholds.push(scores[i]!);
    }
  }
  return { fps, tps, thresholds };
}

export interface RocCurve { fpr: number[]; tpr: number[]; thresholds: number[] }

/** ROC points from (0, 0) (threshold +Infinity) to (1, 1); NaN rates when a class is absent. */
export function rocCurve(y: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const c = binaryClfCurve(y, scores);
  const P = c.tps.at(-1) ?? 0, N = c.fps.at(-1) ?? 0;
  return {
    fpr: [0, ...c.fps.map((f) => f / N)],
    tpr: [0, ...c.tps.map((t) => t / P)],
    thresholds: [Infinity, ...c.thresholds],
  };
}

/** Trapezoidal area under a curve given in order. */
export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += (x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!) / 2;
  return a;
}

/** ROC AUC; NaN when only one class is present (scikit-learn refuses that case). */
export function rocAuc(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  const r = rocCurve(y, scores);
  if (r.fpr.some(Number.isNaN) || r.tpr.some(Number.isNaN)) return NaN;
  return trapezoid(r.fpr, r.tpr);
}

export interface PrCurve { precision: number[]; recall: number[]; thresholds: number[] }

/**
 * sklearn's `precision_recall_curve`: increasing thresholds, with a last point (precision 1,
 * recall 0) that has no threshold. Without positives, recall is 1 everywhere (as sklearn does).
 */
export function prCurve(y: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  const c = binaryClfCurve(y, scores);
  const P = c.tps.at(-1) ?? 0;
  const precision = c.tps.map((t, i) => (t + c.fps[i]! === 0 ? 0 : t / (t + c.fps[i]!)));
  const recall = c.tps.map((t) => (P === 0 ? 1 : t / P));
  const rev = (a: number[]) => [...a].reverse();
  return { precision: [...rev(precision), 1], recall: [...rev(recall), 0], thresholds: rev(c.thresholds) };
}

/** Average precision (PR AUC), sklearn's step-wise definition: Σ (R_n − R_{n−1}) P_n. */
export function averagePrecision(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = prCurve(y, scores);
  let ap = 0;
  for (let i = 0; i + 1 < recall.length; i++) ap -= (recall[i + 1]! - recall[i]!) * precision[i]!;
  return ap;
}
