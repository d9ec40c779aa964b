/**
 * Ratio metrics (Σ numerator / Σ denominator over units, e.g. revenue per visit). Units are the
 * randomisation unit, so numerator and denominator are correlated within a unit; the delta method
 * carries their covariance: var(X̄/Ȳ) ≈ (σx²/μy² − 2μx·σxy/μy³ + μx²·σy²/μy⁴) / n.
 */
import { crossCovariance, sampleVariance } from './moments.js';
import type { CrossStats, MomentStats, Summary } from './types.js';

/** Summary whose `variance / n` is the delta-method variance of the ratio estimate. */
export function ratioSummary(numerator: MomentStats, denominator: CrossStats): Summary {
  const n = numerator.n;
  const mx = numerator.sum / n;
  const my = denominator.sum / n;
  const vx = sampleVariance(n, numerator.sum, numerator.sumSquares);
  const vy = sampleVariance(n, denominator.sum, denominator.sumSquares);
  const cxy = crossCovariance(numerator, denominator);
  if (my === 0 || !Number.isFinite(my)) return { n, mean: NaN, variance: NaN };
  const variance = vx / my ** 2 - (2 * mx * cxy) / my ** 3 + (mx * mx * vy) / my ** 4;
  return { n, mean: mx / my, variance: Math.max(0, variance) };
}
