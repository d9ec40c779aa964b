/**
 * Bayesian summary in GrowthBook's formulation: the relative lift's sampling distribution is
 * taken as normal (delta method), combined with a proper normal prior on the lift, giving a normal
 * posterior N(μ, σ²). Chance to beat control is P(lift is an improvement); expected loss is how
 * much relative lift one gives up on average by choosing an arm if the other is in fact better:
 *   risk(treatment) = E[max(−δ, 0)] = σφ(μ/σ) − μΦ(−μ/σ)   (for δ = improvement)
 *   risk(control)   = E[max(δ, 0)]  = σφ(μ/σ) + μΦ(μ/σ)
 */
import { normalCdf, normalIsf, normalPdf, normalSf } from './normal.js';
import type { Estimate, Interval } from './types.js';

export const DEFAULT_PRIOR = { mean: 0, sd: 0.3 } as const;

export interface BayesianSummary {
  posteriorMean: number;
  posteriorSd: number;
  /** Credible interval for the relative lift at 1 − α. */
  ci: Interval;
  chanceToBeatControl: number;
  expectedLoss: { treatment: number; control: number };
}

export function bayesianLift(lift: Estimate, prior: { mean: number; sd: number }, alpha: number, higherIsBetter = true): BayesianSummary | null {
  if (!Number.isFinite(lift.estimate) || !(lift.se > 0)) return null;
  const dataPrecision = 1 / (lift.se * lift.se);
  const priorPrecision = 1 / (prior.sd * prior.sd);
  const precision = dataPrecision + priorPrecision;
  const mean = (lift.estimate * dataPrecision + prior.mean * priorPrecision) / precision;
  const sd = Math.sqrt(1 / precision);
  const z = normalIsf(alpha / 2);
  // Work on the improvement scale so "beat" and "loss" follow the metric's direction.
  const mu = higherIsBetter ? mean : -mean;
  const ratio = mu / sd;
  const density = sd * normalPdf(ratio);
  return {
    posteriorMean: mean,
    posteriorSd: sd,
    ci: [mean - z * sd, mean + z * sd],
    chanceToBeatControl: normalSf(-ratio),
    expectedLoss: { treatment: Math.max(0, density - mu * normalCdf(-ratio)), control: Math.max(0, density + mu * normalCdf(ratio)) },
  };
}
