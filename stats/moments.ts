/** From sums to means and variances. */
import type { CrossStats, MomentStats, Summary } from './types.js';

/** Sample variance from Σy and Σy² (n − 1 denominator); rounding can push it below 0, so clamp. */
export function sampleVariance(n: number, sum: number, sumSquares: number): number {
  if (n < 2) return NaN;
  return Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
}

/** Sample covariance of x and y from Σx, Σy, Σxy. */
export function sampleCovariance(n: number, sumX: number, sumY: number, sumProducts: number): number {
  if (n < 2) return NaN;
  return (sumProducts - (sumX * sumY) / n) / (n - 1);
}

export function summarise(stats: MomentStats): Summary {
  return { n: stats.n, mean: stats.n > 0 ? stats.sum / stats.n : NaN, variance: sampleVariance(stats.n, stats.sum, stats.sumSquares) };
}

/** Sample covariance of y (the moments) with the cross quantity x. */
export function crossCovariance(y: MomentStats, x: CrossStats): number {
  return sampleCovariance(y.n, x.sum, y.sum, x.sumProducts);
}
