import { LoomInputError } from '../core/errors.js';
import { CHURN_INACTIVE_DAYS, RETENTION_WEEK_DAYS, combine, segmentExpectation, segmentRange, type ExpectedMetrics, type MetricWindow } from './loyalty-expected.js';
import { LOYALTY_MODEL, SEGMENTS, type EffectSpec, type IntentSegment } from './loyalty-model.js';
import { shown, type LoyaltyArm } from './loyalty-options.js';

export interface TruthWindow {
  /** @default 30 */
  windowDays?: number | undefined;
  /** @default windowDays − 7: the last week of the window */
  retentionDay?: number | undefined;
}

export interface Lift {
  /** Treatment minus control. */
  absolute: number;
  /** Treatment over control, minus 1. */
  relative: number;
}

export interface SegmentTruth {
  segment: IntentSegment;
  /** Intent z in (lo, hi]; z ~ Normal(0, 1). */
  intentRange: [number, number];
  share: number;
  /** The planted relative lift of the purchase hazard. */
  relativeLift: number;
  control: ExpectedMetrics;
  treatment: ExpectedMetrics;
  repeatPurchaseLift: Lift;
}

export interface LoyaltyTruth {
  model: typeof LOYALTY_MODEL;
  effect: EffectSpec;
  window: MetricWindow & { retentionWeekDays: number; churnInactiveDays: number };
  definitions: Record<keyof ExpectedMetrics, string>;
  segments: SegmentTruth[];
  /** Population expectations: what each arm's metric converges to as customers grow. */
  arms: { name: string; treatment: boolean; expected: ExpectedMetrics }[];
  /** Treatment against control over the whole population (the average treatment effect). */
  repeatPurchaseLift: Lift;
  revenueLift: Lift;
}

export const DEFAULT_WINDOW_DAYS = 30;

function lift(treated: number, control: number): Lift {
  return { absolute: treated - control, relative: control === 0 ? 0 : treated / control - 1 };
}

/** Checks that the window fits in the observed days after every exposure. */
export function resolveWindow(o: { days: number; exposureDays: number }, window: TruthWindow = {}): MetricWindow {
  const room = o.days - o.exposureDays;
  const windowDays = window.windowDays ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < RETENTION_WEEK_DAYS || windowDays > room) {
    throw new LoomInputError(
      room < RETENTION_WEEK_DAYS
        ? `a metric window needs at least ${RETENTION_WEEK_DAYS} days after the last exposure; raise days to at least ${o.exposureDays + RETENTION_WEEK_DAYS} or lower exposureDays`
        : `windowDays must be a whole number from ${RETENTION_WEEK_DAYS} to ${room} (days ${o.days} minus exposureDays ${o.exposureDays}), got ${shown(windowDays)}`,
    );
  }
  const retentionDay = window.retentionDay ?? windowDays - RETENTION_WEEK_DAYS;
  if (!Number.isInteger(retentionDay) || retentionDay < 0 || retentionDay > windowDays - RETENTION_WEEK_DAYS) {
    throw new LoomInputError(`retentionDay must be a whole number from 0 to ${windowDays - RETENTION_WEEK_DAYS} (its week must end inside the window), got ${shown(retentionDay)}`);
  }
  return { windowDays, retentionDay };
}

export function loyaltyTruth(o: { days: number; exposureDays: number; arms: readonly LoyaltyArm[]; effect: EffectSpec }, window?: TruthWindow): LoyaltyTruth {
  const w = resolveWindow(o, window);
  const segments = SEGMENTS.map((segment): SegmentTruth => {
    const control = segmentExpectation(segment, false, o.effect, w);
    const treatment = segmentExpectation(segment, true, o.effect, w);
    return {
      segment,
      intentRange: segmentRange(segment),
      share: control.share,
      relativeLift: o.effect.relativeLift[segment],
      control: control.expected,
      treatment: treatment.expected,
      repeatPurchaseLift: lift(treatment.expected.repeatPurchaseRate, control.expected.repeatPurchaseRate),
    };
  });
  const control = combine(segments.map((s) => ({ share: s.share, expected: s.control })));
  const treatment = combine(segments.map((s) => ({ share: s.share, expected: s.treatment })));
  return {
    model: LOYALTY_MODEL,
    effect: o.effect,
    window: { ...w, retentionWeekDays: RETENTION_WEEK_DAYS, churnInactiveDays: CHURN_INACTIVE_DAYS },
    definitions: {
      repeatPurchaseRate: `share of customers with at least one purchase in the ${w.windowDays} days after exposure`,
      purchasesPerCustomer: `purchases in the ${w.windowDays} days after exposure, per exposed customer`,
      revenuePerCustomer: `order value in the ${w.windowDays} days after exposure, per exposed customer, uncapped`,
      retentionRate: `share with a visit or purchase in days ${w.retentionDay} to ${w.retentionDay + RETENTION_WEEK_DAYS} after exposure`,
      churnRate: `share with no visit or purchase in the last ${Math.min(CHURN_INACTIVE_DAYS, w.windowDays)} days of the ${w.windowDays}-day window`,
      prePurchasesPerCustomer: `purchases in the ${LOYALTY_MODEL.prePeriodDays} days before exposure (pre-period covariate)`,
      preVisitsPerCustomer: `visits in the ${LOYALTY_MODEL.prePeriodDays} days before exposure (pre-period covariate)`,
    },
    segments,
    arms: o.arms.map((a) => ({ name: a.name, treatment: a.treatment, expected: a.treatment ? treatment : control })),
    repeatPurchaseLift: lift(treatment.repeatPurchaseRate, control.repeatPurchaseRate),
    revenueLift: lift(treatment.revenuePerCustomer, control.revenuePerCustomer),
  };
}
