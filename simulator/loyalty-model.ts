/**
 * The known behaviour model behind simulated loyalty outcomes (a Pareto/NBD-style customer base).
 *
 * Each customer has the latent purchase intent `z ~ Normal(0, 1)` of the campaign generator and an
 * activity level `F = exp(s·u − s²/2)`, `u ~ Normal(0, 1)` (mean 1), both fixed over time. Then
 *   purchases ~ Poisson process, rate λp = purchase.perDay · exp(purchase.intentSlope · z) · F · (1 + lift)
 *   visits    ~ Poisson process, rate λv = visit.perDay · exp(visit.intentSlope · z) · √F
 *   lifetime after exposure ~ Exponential, hazard μ = churn.perDay · exp(churn.intentSlope · z);
 *     once it ends the customer never comes back (no visits, purchases or reviews)
 *   order value ~ LogNormal(median · exp(orderValue.intentSlope · z), orderValue.sigma)
 *   each purchase is reviewed with probability review.probability, review.meanDelayDays later on
 *     average; the star rating (1–5) is written from a tone that follows the customer's satisfaction.
 * `lift` is 0 before exposure and in control arms. In a treatment arm it is the planted relative lift
 * of the purchase hazard for the customer's intent segment: personalised offers from the better
 * model help customers who already mean to buy, barely move the middle, and cannot create intent
 * where there is none (a small negative lift models offer fatigue).
 * The 30 days before exposure are the pre-period: same rates without lift, so pre-period activity
 * predicts post-period activity through z and F — the covariate CUPED uses.
 */

export type IntentSegment = 'high' | 'medium' | 'low';
export const SEGMENTS: readonly IntentSegment[] = ['high', 'medium', 'low'];

/** Relative lift of the purchase hazard per intent segment in treatment arms; 0 everywhere is an A/A test. */
export interface EffectSpec {
  relativeLift: Record<IntentSegment, number>;
}

/** +20% for high intent, +5% for medium, −2% for low. */
export const DEFAULT_EFFECT: EffectSpec = { relativeLift: { high: 0.2, medium: 0.05, low: -0.02 } };
/** Lifts outside this range are not a plausible effect of offers, and −1 would stop all purchases. */
export const LIFT_RANGE = { min: -0.9, max: 2 } as const;

export const LOYALTY_MODEL = {
  prePeriodDays: 30,
  /** Top and bottom thirds of Normal(0, 1): Φ(−0.4307) = 1/3. */
  segmentCut: 0.4307,
  activitySd: 1.0,
  /** About 0.55 orders in 90 days at average intent, as `loyalty_orders_90d` in the campaign data. */
  purchase: { perDay: 0.0061, intentSlope: 0.6 },
  visit: { perDay: 0.05, intentSlope: 0.35, pages: 4 },
  /** A customer of average intent stays about five months; low intent leaves sooner. */
  churn: { perDay: 1 / 150, intentSlope: -0.4 },
  /** Same order values as `loyalty_spend_90d` in the campaign data (median 42). */
  orderValue: { median: 42, intentSlope: 0.1, sigma: 0.7 },
  review: { probability: 0.3, meanDelayDays: 4, satisfactionIntent: 0.6, satisfactionNoise: 0.5, toneNoise: 0.35 },
} as const;

export function segmentOf(intent: number): IntentSegment {
  if (intent > LOYALTY_MODEL.segmentCut) return 'high';
  if (intent < -LOYALTY_MODEL.segmentCut) return 'low';
  return 'medium';
}

/** Daily rates of one customer without treatment. */
export interface CustomerRates {
  purchasePerDay: number;
  visitPerDay: number;
  churnPerDay: number;
  /** Mean order value. */
  meanOrderValue: number;
}

/** `activity` is the standard-normal draw `u` behind F. */
export function customerRates(intent: number, activity: number): CustomerRates {
  const m = LOYALTY_MODEL;
  const f = Math.exp(m.activitySd * activity - (m.activitySd * m.activitySd) / 2);
  return {
    purchasePerDay: m.purchase.perDay * Math.exp(m.purchase.intentSlope * intent) * f,
    visitPerDay: m.visit.perDay * Math.exp(m.visit.intentSlope * intent) * Math.sqrt(f),
    churnPerDay: m.churn.perDay * Math.exp(m.churn.intentSlope * intent),
    meanOrderValue: m.orderValue.median * Math.exp(m.orderValue.intentSlope * intent + (m.orderValue.sigma * m.orderValue.sigma) / 2),
  };
}

/** The purchase-hazard multiplier of a customer in an arm. */
export function hazardMultiplier(effect: EffectSpec, segment: IntentSegment, treatment: boolean): number {
  return treatment ? 1 + effect.relativeLift[segment] : 1;
}
