/** Chi-square distribution: P(X > x) = Q(k/2, x/2). */
import { gammaIncomplete } from './special.js';

export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  return gammaIncomplete(df / 2, x / 2).upper;
}

export function chiSquareCdf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 0;
  return gammaIncomplete(df / 2, x / 2).lower;
}
