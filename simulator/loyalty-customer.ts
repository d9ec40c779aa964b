import { customerId as idOf, customerIntent } from './customers.js';
import { LOYALTY_MODEL, customerRates, hazardMultiplier, segmentOf, type CustomerRates, type EffectSpec, type IntentSegment } from './loyalty-model.js';
import { Rng, Stream, round } from './random.js';
import { isoTimestamp } from './timestamp.js';

export const DAY_MS = 86_400_000;

/** A customer's first exposure to the experiment. */
export interface Exposure {
  customerId: string;
  arm: string;
  /** ISO timestamp, UTC, millisecond precision. */
  exposedAt: string;
}

export type LoyaltyEventType = 'purchase' | 'visit' | 'review';

/**
 * A customer event. `value`: order value for a purchase, pages viewed for a visit, star rating
 * (1–5) for a review. `idempotencyKey` is the same on every regeneration with the same options,
 * so loading the stream twice can be deduplicated.
 */
export interface LoyaltyEvent {
  customerId: string;
  type: LoyaltyEventType;
  value: number;
  occurredAt: string;
  idempotencyKey: string;
}

/** One customer with everything simulated for it; `segment`, `intent` and `latent` are ground truth, never in the files. */
export interface LoyaltyCustomer {
  index: number;
  customerId: string;
  arm: string;
  treatment: boolean;
  segment: IntentSegment;
  intent: number;
  exposure: Exposure;
  /** `exposure.exposedAt` as epoch milliseconds. */
  exposedMs: number;
  /** Pre-period events (the 30 days before exposure), then post-exposure events; in time order. */
  events: LoyaltyEvent[];
  /** `occurredAt` of each event as epoch milliseconds, so analysis need not parse timestamps. */
  eventTimes: number[];
  /** Position in `events` of the first event after exposure. */
  firstPostEvent: number;
  latent: { rates: CustomerRates; hazardMultiplier: number; lifetimeDays: number; satisfaction: number };
}

/** What every customer of one simulation shares. */
export interface LoyaltyContext {
  seed: number;
  startMs: number;
  /** End of observation (exclusive), epoch ms. */
  endMs: number;
  exposureDays: number;
  effect: EffectSpec;
  /** Largest hazard multiplier of any arm and segment (at least 1): candidate purchases are drawn at this rate. */
  maxMultiplier: number;
  /** Prefix of every idempotency key; differs whenever options that change the data differ. */
  keyPrefix: string;
}

interface RawEvent {
  ms: number;
  type: LoyaltyEventType;
  value: number;
}
const TYPE_ORDER: Record<LoyaltyEventType, number> = { visit: 0, purchase: 1, review: 2 };

/** Arrival times of a Poisson process with `perDay` events a day on [fromMs, toMs). */
function arrivals(rng: Rng, perDay: number, fromMs: number, toMs: number): number[] {
  const times: number[] = [];
  if (perDay <= 0) return times;
  const meanGap = DAY_MS / perDay;
  for (let t = fromMs + rng.exponential(meanGap); t < toMs; t += rng.exponential(meanGap)) times.push(t);
  return times;
}

function starRating(satisfaction: number, rng: Rng): number {
  const tone = Math.max(-1, Math.min(1, satisfaction + LOYALTY_MODEL.review.toneNoise * rng.normal()));
  return 1 + Math.round(2 * (tone + 1));
}

/**
 * Adds a purchase and perhaps its review. The draws are made whether or not the purchase is kept,
 * so a customer's accepted purchases are identical in every arm apart from the lift's thinning.
 */
function purchase(rng: Rng, intent: number, satisfaction: number, ms: number, keep: boolean, aliveUntil: number, out: RawEvent[], at: (t: number) => number): void {
  const m = LOYALTY_MODEL;
  const value = round(rng.logNormal(m.orderValue.median * Math.exp(m.orderValue.intentSlope * intent), m.orderValue.sigma), 2);
  const reviewed = rng.bernoulli(m.review.probability);
  const reviewMs = ms + rng.exponential(m.review.meanDelayDays * DAY_MS);
  const rating = starRating(satisfaction, rng);
  if (!keep) return;
  out.push({ ms: at(ms), type: 'purchase', value });
  if (reviewed && reviewMs < aliveUntil) out.push({ ms: Math.ceil(reviewMs), type: 'review', value: rating });
}

type Assign = (customerId: string) => { arm: string; treatment: boolean };

/** Who the customer is, its arm and when it is exposed: everything but the events (cheap). */
export function loyaltyProfile(ctx: LoyaltyContext, index: number, assign: Assign) {
  const m = LOYALTY_MODEL;
  // The campaign generator's customer: same id and latent intent as simulateCampaign's customerAt(index).
  const customerId = idOf(index);
  const intent = customerIntent(ctx.seed, index);
  const segment = segmentOf(intent);
  const { arm, treatment } = assign(customerId);
  const profile = Rng.for(ctx.seed, index, Stream.loyaltyProfile);
  const rates = customerRates(intent, profile.normal());
  const exposedMs = ctx.startMs + Math.floor(profile.uniform() * ctx.exposureDays * 86_400) * 1000;
  const lifetimeDays = profile.exponential(1 / rates.churnPerDay);
  const satisfaction = Math.tanh(m.review.satisfactionIntent * intent + m.review.satisfactionNoise * profile.normal());
  const exposure: Exposure = { customerId, arm, exposedAt: isoTimestamp(exposedMs) };
  return { customerId, intent, segment, arm, treatment, rates, exposedMs, exposure, lifetimeDays, satisfaction };
}

/** Customer `index` alone, identical to its place in the full sequence. */
export function generateLoyaltyCustomer(ctx: LoyaltyContext, index: number, assign: Assign): LoyaltyCustomer {
  const m = LOYALTY_MODEL;
  const { customerId, intent, segment, arm, treatment, rates, exposedMs, exposure, lifetimeDays, satisfaction } = loyaltyProfile(ctx, index, assign);
  const multiplier = hazardMultiplier(ctx.effect, segment, treatment);
  const aliveUntil = Math.min(ctx.endMs, exposedMs + lifetimeDays * DAY_MS);

  const raw: RawEvent[] = [];
  // Pre-period times round down, post-period times round up: pre stays before exposure, post after.
  const pre = Rng.for(ctx.seed, index, Stream.loyaltyPre);
  const preFrom = exposedMs - m.prePeriodDays * DAY_MS;
  for (const t of arrivals(pre, rates.visitPerDay, preFrom, exposedMs)) raw.push({ ms: Math.floor(t), type: 'visit', value: 1 + pre.poisson(m.visit.pages - 1) });
  for (const t of arrivals(pre, rates.purchasePerDay, preFrom, exposedMs)) purchase(pre, intent, satisfaction, t, true, aliveUntil, raw, Math.floor);

  const visits = Rng.for(ctx.seed, index, Stream.loyaltyVisits);
  for (const t of arrivals(visits, rates.visitPerDay, exposedMs, aliveUntil)) {
    const ms = Math.ceil(t);
    const pages = 1 + visits.poisson(m.visit.pages - 1);
    if (ms < aliveUntil) raw.push({ ms, type: 'visit', value: pages });
  }
  const purchases = Rng.for(ctx.seed, index, Stream.loyaltyPurchases);
  for (const t of arrivals(purchases, rates.purchasePerDay * ctx.maxMultiplier, exposedMs, aliveUntil)) {
    const keep = purchases.uniform() * ctx.maxMultiplier < multiplier && Math.ceil(t) < aliveUntil;
    purchase(purchases, intent, satisfaction, t, keep, aliveUntil, raw, Math.ceil);
  }

  raw.sort((a, b) => a.ms - b.ms || TYPE_ORDER[a.type] - TYPE_ORDER[b.type]);
  const events = raw.map(
    (e, i): LoyaltyEvent => ({
      customerId,
      type: e.type,
      value: e.value,
      occurredAt: isoTimestamp(e.ms),
      idempotencyKey: `${ctx.keyPrefix}-${customerId}-${i + 1}`,
    }),
  );
  const firstPost = raw.findIndex((e) => e.ms > exposedMs);
  return {
    index,
    customerId,
    arm,
    treatment,
    segment,
    intent,
    exposure,
    exposedMs,
    events,
    eventTimes: raw.map((e) => e.ms),
    firstPostEvent: firstPost === -1 ? raw.length : firstPost,
    latent: { rates, hazardMultiplier: multiplier, lifetimeDays, satisfaction },
  };
}
