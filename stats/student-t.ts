/**
 * Student's t distribution through the incomplete beta: sf(t; ν) = ½ I_{ν/(ν+t²)}(ν/2, ½), with
 * ν/(ν+t²) and t²/(ν+t²) both passed in so neither tail is formed as 1 − something.
 */
import { normalCdf, normalIsf, normalPdf, normalSf } from './normal.js';
import { betaIncomplete, lnGamma } from './special.js';

/** Beyond this many degrees of freedom the t and the normal agree to double precision. */
const NORMAL_LIMIT = 1e12;

export function studentTPdf(t: number, df: number): number {
  if (df > NORMAL_LIMIT) return normalPdf(t);
  const logDensity = lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

/** P(T > t). */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (df > NORMAL_LIMIT) return normalSf(t);
  if (t === 0) return 0.5;
  if (!Number.isFinite(t)) return t > 0 ? 0 : 1;
  const t2 = t * t;
  const tail = 0.5 * betaIncomplete(df / (df + t2), df / 2, 0.5, t2 / (df + t2)).lower;
  return t > 0 ? tail : 1 - tail;
}

/** P(T ≤ t). */
export function studentTCdf(t: number, df: number): number {
  if (df > NORMAL_LIMIT) return normalCdf(t);
  return studentTSf(-t, df);
}

/** The t > 0 with P(T > t) = q for q ≤ ½: Newton on ln sf, which is nearly linear in the tail. */
function upperQuantile(q: number, df: number): number {
  let lo = 0;
  let hi = Math.max(1, normalIsf(q));
  while (studentTSf(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let x = Math.min(hi, Math.max(lo, normalIsf(q)));
  const target = Math.log(q);
  for (let i = 0; i < 200; i++) {
    const sf = studentTSf(x, df);
    const g = Math.log(sf) - target;
    if (g > 0) lo = x;
    else hi = x;
    let next = x + (g * sf) / studentTPdf(x, df);
    // Newton can overshoot where the tail bends; fall back to bisection inside the bracket.
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** The t with P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (df > NORMAL_LIMIT) return -normalIsf(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  return p < 0.5 ? -upperQuantile(p, df) : upperQuantile(1 - p, df);
}

/** The t with P(T > t) = q. */
export function studentTIsf(q: number, df: number): number {
  return -studentTQuantile(q, df);
}
