/**
 * Two independent arms A (control) and B (treatment): absolute difference with Welch's standard
 * error and Welch–Satterthwaite df, and relative lift B/A − 1 by the delta method.
 */
import type { Estimate, Summary } from './types.js';

/** μB − μA with var = sB²/nB + sA²/nA and Welch–Satterthwaite df. */
export function welchDifference(a: Summary, b: Summary): Estimate {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const v = va + vb;
  const df = (v * v) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { estimate: b.mean - a.mean, se: Math.sqrt(v), df };
}

/**
 * μB/μA − 1. Delta method for a ratio of independent means:
 * var ≈ var(B̄)/μA² + μB²·var(Ā)/μA⁴. Uses the Welch df of the difference (as GrowthBook does).
 */
export function relativeLift(a: Summary, b: Summary, df = welchDifference(a, b).df): Estimate {
  if (a.mean === 0 || !Number.isFinite(a.mean)) return { estimate: NaN, se: NaN, df };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const v = vb / (a.mean * a.mean) + (b.mean * b.mean * va) / a.mean ** 4;
  return { estimate: b.mean / a.mean - 1, se: Math.sqrt(v), df };
}
