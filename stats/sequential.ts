/**
 * Always-valid inference: the asymptotic confidence sequence of Waudby-Smith et al. (2021,
 * "Time-uniform central limit theory"), the normal-mixture boundary of Howard et al. (2021).
 * For the difference of means with N total units and per-unit variance s² = N·var(estimate):
 *
 *   halfwidth = s · sqrt( (Nρ² + 1)/(N²ρ²) · ln((Nρ² + 1)/α²) )
 *
 * It holds simultaneously over every N, so the result may be read after every day (or every
 * unit) without inflating the error rate. ρ sets where the sequence is tightest; it is tuned to
 * a planned total of N* units: ρ = sqrt((−2 ln α + ln(1 − 2 ln α)) / N*) (GrowthBook's default
 * N* = 5000).
 */
import type { Interval } from './types.js';

export function sequentialRho(alpha: number, nStar: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(1 + l)) / nStar);
}

export interface ConfidenceSequence {
  ci: Interval;
  /** Smallest α whose sequence excludes 0; stays valid under continuous monitoring. */
  pValue: number;
  /** The mixture e-value 1/p (before capping p at 1): evidence against no difference. */
  eValue: number;
  /** The sequence excludes 0. */
  conclusive: boolean;
}

/** At N total units (both arms) for an estimate with standard error se. */
export function confidenceSequence(estimate: number, se: number, nTotal: number, alpha: number, rho: number): ConfidenceSequence | null {
  if (!Number.isFinite(estimate) || !(se > 0) || !(nTotal > 0)) return null;
  const v = nTotal * rho * rho;
  const halfwidth = se * Math.sqrt(nTotal) * Math.sqrt(((v + 1) / (nTotal * v)) * Math.log((v + 1) / (alpha * alpha)));
  const z = estimate / se;
  // Inverting the halfwidth in α: α = sqrt(v + 1) · exp(−z²·v / (2(v + 1))).
  const logE = (z * z * v) / (2 * (v + 1)) - 0.5 * Math.log1p(v);
  const eValue = Math.exp(logE);
  const pValue = Math.min(1, Math.exp(-logE));
  return { ci: [estimate - halfwidth, estimate + halfwidth], pValue, eValue, conclusive: pValue < alpha };
}
