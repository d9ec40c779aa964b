import { MONTH_TRAFFIC, isWeekend, isoDay, monthIndexOf, monthOf, specialDay, type Month } from './calendar.js';
import { REGIONS, type Customer, type VisitorType } from './customers.js';
import { Categorical, Rng, Stream, round, sigmoid } from './random.js';
import { writeReview } from './reviews.js';
import { LABEL_MODEL, trueLogit, type LabelModel } from './truth.js';

/** One browsing session as written to `sessions.csv`; `null` is a missing (empty) cell. */
export interface SessionRow {
  session_id: string;
  customer_id: string;
  session_date: string;
  administrative: number;
  administrative_duration: number | null;
  informational: number;
  informational_duration: number | null;
  product_related: number;
  product_related_duration: number | null;
  bounce_rates: number;
  exit_rates: number | null;
  page_values: number | null;
  special_day: number;
  month: Month;
  operating_system: number;
  browser: number;
  region: number;
  traffic_source: number;
  visitor_type: VisitorType;
  weekend: 0 | 1;
  review_text: string;
  purchase: 0 | 1;
}

/** What produced a session's label, kept beside the row for analysis and later outcome tables. */
export interface SessionLatent {
  /** Session-level intent: the customer's intent plus the mood of the day. */
  intent: number;
  /** Tone the review was written from, in [-1, 1]. */
  sentiment: number;
  /** Noise-free logit of the label model. */
  logit: number;
  /** Probability of purchase after the session noise. */
  probability: number;
}

export interface SimulatedSession {
  row: SessionRow;
  latent: SessionLatent;
}

const OPERATING_SYSTEMS = new Categorical([1, 2, 3, 4, 5, 6, 7, 8], [21, 53.5, 20.7, 3.9, 0.1, 0.2, 0.1, 0.6]);
const BROWSERS = new Categorical([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], [20, 64.6, 0.9, 6, 3.8, 1.4, 0.4, 1.1, 0.1, 1.3, 0.1, 0.1, 0.5]);
const TRAFFIC_SOURCES = new Categorical(
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
  [19.9, 31.7, 16.6, 8.7, 2.1, 3.6, 0.3, 2.8, 0.3, 3.6, 2, 0.1, 6, 0.1, 0.3, 0.1, 0.1, 0.1, 0.1, 1.6],
);
const MAX_TRAFFIC = Math.max(...MONTH_TRAFFIC);

/** Share of cells left empty per column, as in real exports with tracking gaps. */
const MISSING_RATE = {
  administrative_duration: 0.01,
  informational_duration: 0.01,
  product_related_duration: 0.015,
  exit_rates: 0.005,
  page_values: 0.005,
} as const;

/** A day in the year from `startDay`, busier months more likely. */
function sessionDay(rng: Rng, startDay: number): number {
  for (;;) {
    const day = startDay + rng.int(0, 364);
    if (rng.uniform() * MAX_TRAFFIC < (MONTH_TRAFFIC[monthIndexOf(day)] ?? 0)) return day;
  }
}

/** Total time over `pages` pages, each a heavy-tailed dwell; seconds. */
function dwell(rng: Rng, pages: number, medianSeconds: number, pace: number): number {
  let total = 0;
  for (let i = 0; i < pages; i++) total += rng.logNormal(medianSeconds, 1.0);
  return total * pace;
}

function maybeMissing(rng: Rng, value: number, rate: number): number | null {
  return rng.bernoulli(rate) ? null : value;
}

/**
 * The customer's sessions in date order. Mutates nothing; a new customer's sign-up day is the
 * day of its first session, returned alongside.
 */
export function generateSessions(
  seed: number,
  customer: Customer,
  startDay: number,
  model: LabelModel = LABEL_MODEL,
): { sessions: SimulatedSession[]; signupDay: number } {
  const rng = Rng.for(seed, customer.index, Stream.sessions);
  // A customer mostly uses one device and browser.
  const homeOs = OPERATING_SYSTEMS.sample(rng);
  const homeBrowser = BROWSERS.sample(rng);
  const days = Array.from({ length: customer.sessionCount }, () => sessionDay(rng, startDay)).sort((a, b) => a - b);
  const signupDay = customer.visitorType === 'new' ? (days[0] ?? startDay) : customer.signupDay;

  const sessions = days.map((day, i): SimulatedSession => {
    const s = 0.6 * customer.intent + 0.8 * rng.normal();
    const visitorType: VisitorType = customer.visitorType === 'new' && i > 0 ? 'returning' : customer.visitorType;
    const operatingSystem = rng.bernoulli(0.9) ? homeOs : OPERATING_SYSTEMS.sample(rng);
    const browser = rng.bernoulli(0.9) ? homeBrowser : BROWSERS.sample(rng);
    const region = rng.bernoulli(0.95) ? customer.region : REGIONS.sample(rng);
    const trafficSource = TRAFFIC_SOURCES.sample(rng);

    const administrative = rng.poisson(1.6 * Math.exp(0.35 * s));
    const informational = rng.poisson(0.35 * Math.exp(0.3 * s));
    let productRelated = Math.round(rng.logNormal(14 * Math.exp(0.35 * s), 0.85));
    if (administrative + informational + productRelated === 0) productRelated = 1;
    const pages = administrative + informational + productRelated;
    const pace = rng.logNormal(1, 0.5);
    const administrativeDuration = round(dwell(rng, administrative, 25, pace), 1);
    const informationalDuration = round(dwell(rng, informational, 35, pace), 1);
    const productRelatedDuration = round(dwell(rng, productRelated, 28, pace), 1);

    let exitRates: number;
    let bounceRates: number;
    if (pages === 1) {
      exitRates = 0.2;
      bounceRates = rng.bernoulli(0.7) ? 0.2 : 0;
    } else {
      exitRates = Math.min(0.2, Math.max(0.002, 0.045 * Math.exp(-0.45 * s + 0.45 * rng.normal())));
      bounceRates = exitRates * 0.9 * rng.uniform() ** 2;
    }
    exitRates = round(exitRates, 4);
    bounceRates = round(bounceRates, 4);
    const pageValues = rng.bernoulli(sigmoid(-1.5 + 0.9 * s)) ? round(rng.logNormal(18 * Math.exp(0.3 * s), 0.9), 2) : 0;

    const special = specialDay(day);
    const weekend = isWeekend(day) ? 1 : 0;
    const month = monthOf(day);
    const sentiment = Math.tanh(0.7 * s + 0.6 * rng.normal());
    const reviewText = writeReview(sentiment, rng);

    const logit = trueLogit(
      {
        administrative,
        informational,
        product_related: productRelated,
        product_related_duration: productRelatedDuration,
        bounce_rates: bounceRates,
        exit_rates: exitRates,
        page_values: pageValues,
        special_day: special,
        weekend,
        loyalty_orders_90d: customer.loyaltyOrders90d,
        review_sentiment: sentiment,
        month,
        visitor_type: visitorType,
        traffic_source: String(trafficSource),
      },
      model,
    );
    const probability = sigmoid(logit + rng.normal(0, model.noiseSd));
    const purchase = rng.bernoulli(probability) ? 1 : 0;

    const row: SessionRow = {
      session_id: `s_${customer.customerId.slice(2)}_${String(i + 1).padStart(2, '0')}`,
      customer_id: customer.customerId,
      session_date: isoDay(day),
      administrative,
      administrative_duration: maybeMissing(rng, administrativeDuration, MISSING_RATE.administrative_duration),
      informational,
      informational_duration: maybeMissing(rng, informationalDuration, MISSING_RATE.informational_duration),
      product_related: productRelated,
      product_related_duration: maybeMissing(rng, productRelatedDuration, MISSING_RATE.product_related_duration),
      bounce_rates: bounceRates,
      exit_rates: maybeMissing(rng, exitRates, MISSING_RATE.exit_rates),
      page_values: maybeMissing(rng, pageValues, MISSING_RATE.page_values),
      special_day: special,
      month,
      operating_system: operatingSystem,
      browser,
      region,
      traffic_source: trafficSource,
      visitor_type: visitorType,
      weekend,
      review_text: reviewText,
      purchase,
    };
    return { row, latent: { intent: s, sentiment, logit, probability } };
  });
  return { sessions, signupDay };
}

export { MISSING_RATE };
