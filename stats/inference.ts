/** Intervals and two-sided p-values from an estimate, its standard error and df. */
import { normalIsf, normalSf } from './normal.js';
import { studentTIsf, studentTSf } from './student-t.js';
import type { Estimate, Interval } from './types.js';

export interface Test {
  statistic: number;
  pValue: number;
  ci: Interval;
}

/** Upper α/2 critical value: t with df, or normal when df is infinite. */
export function criticalValue(alpha: number, df: number): number {
  return Number.isFinite(df) ? studentTIsf(alpha / 2, df) : normalIsf(alpha / 2);
}

/** Two-sided p-value of a t (or z when df = ∞) statistic, through the survival function. */
export function twoSidedPValue(statistic: number, df: number): number {
  const tail = Number.isFinite(df) ? studentTSf(Math.abs(statistic), df) : normalSf(Math.abs(statistic));
  return Math.min(1, 2 * tail);
}

/** Null when the estimate cannot be tested (no variance, too few units, undefined ratio). */
export function testEstimate(e: Estimate, alpha: number): Test | null {
  if (!Number.isFinite(e.estimate) || !(e.se > 0) || !Number.isFinite(e.se) || !(e.df > 0)) return null;
  const statistic = e.estimate / e.se;
  const half = criticalValue(alpha, e.df) * e.se;
  return { statistic, pValue: twoSidedPValue(statistic, e.df), ci: [e.estimate - half, e.estimate + half] };
}
