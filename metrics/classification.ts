/** Threshold metrics. A row is predicted positive when its score is at least the threshold. */

export interface Confusion { tp: number; fp: number; tn: number; fn: number }

export function confusionAt(y: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): Confusion {
  if (y.length !== scores.length) throw new Error(`labels (${y.length}) and scores (${scores.length}) differ in length`);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const pred = scores[i]! >= threshold;
    if (y[i] === 1) { if (pred) c.tp++; else c.fn++; } else if (pred) c.fp++; else c.tn++;
  }
  return c;
}

/** Ratios as scikit-learn reports them with `zero_division=0`. */
export interface ThresholdMetrics { accuracy: number; precision: number; recall: number; f1: number }

const div = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function thresholdMetrics(c: Confusion): ThresholdMetrics {
  const precision = div(c.tp, c.tp + c.fp);
  const recall = div(c.tp, c.tp + c.fn);
  return {
    accuracy: div(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn),
    precision,
    recall,
    f1: div(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}
