/**
 * The known model behind the `purchase` label. Every session's label is a Bernoulli draw with
 *   p = sigmoid(intercept + Σ coefficient · transform(feature) + Σ level effects + ε),
 *   ε ~ Normal(0, noiseSd) per session,
 * computed from the true feature values (before some cells are blanked out as missing).
 * `review_sentiment` is the latent tone in [-1, 1] the review text was written from; the text
 * carries it only noisily (vocabulary, negations, typos, empty reviews).
 *
 * The noise term and the unobserved sentiment keep a trained classifier well short of perfect;
 * the intercept is set so about 15% of sessions end in a purchase.
 */

export type Transform = 'identity' | 'log1p' | 'log1p_minutes';

export interface NumericTerm {
  feature: NumericFeature;
  transform: Transform;
  coefficient: number;
  why: string;
}

export type NumericFeature =
  | 'administrative'
  | 'informational'
  | 'product_related'
  | 'product_related_duration'
  | 'bounce_rates'
  | 'exit_rates'
  | 'page_values'
  | 'special_day'
  | 'weekend'
  | 'loyalty_orders_90d'
  | 'review_sentiment';

export type LevelFeature = 'month' | 'visitor_type' | 'traffic_source';

export interface LabelModel {
  intercept: number;
  noiseSd: number;
  /** Expected share of positive sessions: the mean purchase probability over 400,000 simulated sessions (seeds 101 and 202). */
  baseRate: number;
  numeric: readonly NumericTerm[];
  /** Additive effects of categorical levels; levels not listed add 0. */
  levels: Readonly<Record<LevelFeature, Readonly<Record<string, number>>>>;
  /** Columns in the data that the label does not depend on (realistic nuisance features). */
  unused: readonly string[];
}

export const LABEL_MODEL: LabelModel = {
  intercept: -4.32,
  noiseSd: 0.5,
  baseRate: 0.152,
  numeric: [
    { feature: 'page_values', transform: 'log1p', coefficient: 0.9, why: 'pages that precede purchases carry value' },
    { feature: 'exit_rates', transform: 'identity', coefficient: -14, why: 'leaving from the pages seen' },
    { feature: 'bounce_rates', transform: 'identity', coefficient: -6, why: 'single-page visits rarely buy' },
    { feature: 'product_related', transform: 'log1p', coefficient: 0.25, why: 'more product pages, more interest' },
    { feature: 'product_related_duration', transform: 'log1p_minutes', coefficient: 0.3, why: 'time spent on products' },
    { feature: 'administrative', transform: 'identity', coefficient: 0.04, why: 'account and checkout pages' },
    { feature: 'informational', transform: 'identity', coefficient: 0.03, why: 'reading shipping and returns' },
    { feature: 'special_day', transform: 'identity', coefficient: -0.6, why: 'browsing ahead of a holiday, buying later' },
    { feature: 'weekend', transform: 'identity', coefficient: 0.12, why: 'more time to finish a purchase' },
    { feature: 'loyalty_orders_90d', transform: 'log1p', coefficient: 0.3, why: 'recent buyers buy again' },
    { feature: 'review_sentiment', transform: 'identity', coefficient: 0.9, why: 'satisfied customers convert' },
  ],
  levels: {
    month: { Feb: -0.9, Mar: -0.3, Nov: 0.55, Dec: 0.2 },
    visitor_type: { new: 0.35, returning: 0, other: -0.2 },
    traffic_source: { '2': 0.25, '8': 0.3, '3': -0.2, '13': -0.4 },
  },
  unused: ['age', 'region', 'operating_system', 'browser', 'informational_duration', 'administrative_duration', 'loyalty_spend_90d'],
};

export function applyTransform(transform: Transform, x: number): number {
  switch (transform) {
    case 'identity':
      return x;
    case 'log1p':
      return Math.log1p(x);
    case 'log1p_minutes':
      return Math.log1p(x / 60);
  }
}

export type LabelInputs = Record<NumericFeature, number> & Record<LevelFeature, string>;

/** The noise-free logit of the label model. */
export function trueLogit(inputs: LabelInputs, model: LabelModel = LABEL_MODEL): number {
  let z = model.intercept;
  for (const term of model.numeric) z += term.coefficient * applyTransform(term.transform, inputs[term.feature]);
  for (const feature of Object.keys(model.levels) as LevelFeature[]) z += model.levels[feature][inputs[feature]] ?? 0;
  return z;
}
