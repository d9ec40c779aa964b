/**
 * Standard normal distribution. Tails come from erfc (via the incomplete gamma), so sf(37) is
 * still 5.7e-300 rather than the 0 that 1 − cdf would give past z ≈ 8.
 */
import { gammaIncomplete } from './special.js';

const SQRT2 = Math.SQRT2;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** erfc(x) for any real x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return 1;
  const q = gammaIncomplete(0.5, x * x);
  return x > 0 ? q.upper : 1 + q.lower;
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** P(Z > z), accurate far into the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / SQRT2);
}

// Acklam's rational approximation (relative error 1.15e-9), polished by Halley steps below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function poly(c: number[], x: number): number {
  let r = 0;
  for (const v of c) r = r * x + v;
  return r;
}

/** Lower-tail quantile for p ≤ 0.5, computed where it is accurate. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(C, q) / (poly(D, q) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(A, r) * q) / (poly(B, r) * r + 1);
  }
  for (let i = 0; i < 3; i++) {
    const e = normalCdf(x) - p;
    const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
    const step = u / (1 + 0.5 * x * u);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** The z with P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  return p <= 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p);
}

/** The z with P(Z > z) = q (inverse survival function, accurate for tiny q). */
export function normalIsf(q: number): number {
  if (Number.isNaN(q) || q < 0 || q > 1) return NaN;
  if (q === 0) return Infinity;
  if (q === 1) return -Infinity;
  return q <= 0.5 ? -lowerQuantile(q) : lowerQuantile(1 - q);
}
