import { confusionAt, thresholdMetrics } from './classification.js';
import { prCurve } from './curves.js';

export type ThresholdStrategy = { strategy: 'max_f1' } | { strategy: 'precision'; target: number };

export interface ThresholdChoice {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** False when no threshold reaches the target precision (the most precise one is returned). */
  reached: boolean;
}

/**
 * Picks the decision threshold on validation scores: the one with the highest F1 (lowest such
 * threshold on ties, like `argmax` over sklearn's PR curve), or the lowest threshold whose
 * precision reaches the target.
 */
export function selectThreshold(y: ArrayLike<number>, scores: ArrayLike<number>, how: ThresholdStrategy): ThresholdChoice {
  if (y.length === 0) throw new Error('no validation rows to choose a threshold on');
  const pr = prCurve(y, scores);
  const n = pr.thresholds.length;
  let best = -1;
  if (how.strategy === 'max_f1') {
    let bestF1 = -1;
    for (let i = 0; i < n; i++) {
      const p = pr.precision[i]!, r = pr.recall[i]!;
      const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
      if (f1 > bestF1) { bestF1 = f1; best = i; }
    }
  } else {
    best = pr.precision.slice(0, n).findIndex((p) => p >= how.target);
  }
  const reached = best >= 0;
  if (!reached) {
    let bestP = -1;
    for (let i = 0; i < n; i++) if (pr.precision[i]! > bestP) { bestP = pr.precision[i]!; best = i; }
  }
  const threshold = pr.thresholds[best]!;
  const m = thresholdMetrics(confusionAt(y, scores, threshold));
  return { threshold, precision: m.precision, recall: m.recall, f1: m.f1, reached };
}
