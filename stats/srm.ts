/**
 * Sample-ratio mismatch: Pearson chi-square goodness of fit of the observed units per arm against
 * the configured weights. A mismatch means assignment or logging is broken and the comparison
 * cannot be trusted, so the threshold is strict (p < 0.001, as in GrowthBook and most platforms).
 */
import { chiSquareSf } from './chi-square.js';

export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquare: number;
  df: number;
  pValue: number;
  expected: number[];
  /** p < 0.001. */
  mismatch: boolean;
}

export function sampleRatioMismatch(observed: number[], weights: number[]): SrmResult {
  const total = observed.reduce((s, o) => s + o, 0);
  const weightSum = weights.reduce((s, w) => s + w, 0);
  const expected = weights.map((w) => (total * w) / weightSum);
  let chiSquare = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    if (e > 0) chiSquare += (observed[i]! - e) ** 2 / e;
  }
  const df = observed.length - 1;
  const pValue = total > 0 && df > 0 ? chiSquareSf(chiSquare, df) : 1;
  return { chiSquare, df, pValue, expected, mismatch: pValue < SRM_THRESHOLD };
}
