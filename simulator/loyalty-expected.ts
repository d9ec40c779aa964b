import { LOYALTY_MODEL, customerRates, hazardMultiplier, type EffectSpec, type IntentSegment } from './loyalty-model.js';

/**
 * Expected loyalty metrics under the model of loyalty-model.ts, in closed form per customer and
 * integrated numerically over intent and activity. Every window starts at the customer's exposure;
 * a customer is alive at exposure.
 */

/** Follow-up windows of the metrics, in days after exposure. */
export interface MetricWindow {
  /** Repeat purchase, purchases, revenue and churn look at (exposure, exposure + windowDays]. */
  windowDays: number;
  /** Retention: any visit or purchase in [retentionDay, retentionDay + 7) days after exposure. */
  retentionDay: number;
}
export const RETENTION_WEEK_DAYS = 7;
/** Churned: no visit or purchase in the last 30 days of the window (the whole window if shorter). */
export const CHURN_INACTIVE_DAYS = 30;

export interface ExpectedMetrics {
  /** Share with at least one purchase in the window. */
  repeatPurchaseRate: number;
  purchasesPerCustomer: number;
  /** Uncapped. */
  revenuePerCustomer: number;
  retentionRate: number;
  churnRate: number;
  /** Pre-period covariates (30 days before exposure). */
  prePurchasesPerCustomer: number;
  preVisitsPerCustomer: number;
}

const KEYS: readonly (keyof ExpectedMetrics)[] = [
  'repeatPurchaseRate',
  'purchasesPerCustomer',
  'revenuePerCustomer',
  'retentionRate',
  'churnRate',
  'prePurchasesPerCustomer',
  'preVisitsPerCustomer',
];

/** P(no event of a `rate`-per-day process in the next `days` days), the customer alive now with churn hazard `mu`. */
function quiet(rate: number, mu: number, days: number): number {
  const decay = Math.exp(-(rate + mu) * days);
  return (mu / (rate + mu)) * (1 - decay) + decay;
}

/** Expected metrics of one customer with intent `intent`, activity draw `activity` and purchase-hazard multiplier `k`. */
export function customerExpectation(intent: number, activity: number, k: number, w: MetricWindow): ExpectedMetrics {
  const r = customerRates(intent, activity);
  const mu = r.churnPerDay;
  const buy = r.purchasePerDay * k;
  const active = r.visitPerDay + buy;
  const purchases = (buy * (1 - Math.exp(-mu * w.windowDays))) / mu;
  const churnDays = Math.min(CHURN_INACTIVE_DAYS, w.windowDays);
  const aliveAtChurnStart = Math.exp(-mu * (w.windowDays - churnDays));
  return {
    repeatPurchaseRate: 1 - quiet(buy, mu, w.windowDays),
    purchasesPerCustomer: purchases,
    revenuePerCustomer: purchases * r.meanOrderValue,
    retentionRate: Math.exp(-mu * w.retentionDay) * (1 - quiet(active, mu, RETENTION_WEEK_DAYS)),
    churnRate: 1 - aliveAtChurnStart + aliveAtChurnStart * quiet(active, mu, churnDays),
    prePurchasesPerCustomer: LOYALTY_MODEL.prePeriodDays * r.purchasePerDay,
    preVisitsPerCustomer: LOYALTY_MODEL.prePeriodDays * r.visitPerDay,
  };
}

const INTENT_STEPS = 240;
const ACTIVITY_STEPS = 64;
const TAIL = 8;

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Midpoint nodes on [lo, hi] weighted by the standard normal density. */
function nodes(lo: number, hi: number, steps: number): { x: number; w: number }[] {
  const h = (hi - lo) / steps;
  return Array.from({ length: steps }, (_, i) => {
    const x = lo + (i + 0.5) * h;
    return { x, w: normalPdf(x) * h };
  });
}

export function segmentRange(segment: IntentSegment): [number, number] {
  const c = LOYALTY_MODEL.segmentCut;
  return segment === 'high' ? [c, TAIL] : segment === 'low' ? [-TAIL, -c] : [-c, c];
}

/** Population share and mean metrics of a segment, in control (`treatment` false) or treatment. */
export function segmentExpectation(segment: IntentSegment, treatment: boolean, effect: EffectSpec, w: MetricWindow): { share: number; expected: ExpectedMetrics } {
  const [lo, hi] = segmentRange(segment);
  const k = hazardMultiplier(effect, segment, treatment);
  const activity = nodes(-TAIL, TAIL, ACTIVITY_STEPS);
  const activityMass = activity.reduce((a, n) => a + n.w, 0);
  const sum = Object.fromEntries(KEYS.map((key) => [key, 0])) as unknown as ExpectedMetrics;
  let share = 0;
  for (const z of nodes(lo, hi, INTENT_STEPS)) {
    share += z.w;
    for (const u of activity) {
      const e = customerExpectation(z.x, u.x, k, w);
      const weight = (z.w * u.w) / activityMass;
      for (const key of KEYS) sum[key] += weight * e[key];
    }
  }
  for (const key of KEYS) sum[key] /= share;
  return { share, expected: sum };
}

/** Share-weighted mean over segments. */
export function combine(parts: readonly { share: number; expected: ExpectedMetrics }[]): ExpectedMetrics {
  const total = parts.reduce((a, p) => a + p.share, 0);
  return Object.fromEntries(KEYS.map((key) => [key, parts.reduce((a, p) => a + (p.share / total) * p.expected[key], 0)])) as unknown as ExpectedMetrics;
}
