import type { Campaign } from './campaign.js';
import { MISSING_RATE } from './sessions.js';

/** Counts taken while the campaign was written, so truth.json says what the files hold. */
export interface ObservedCounts {
  customers: number;
  sessions: number;
  purchases: number;
}

/** The contents of `truth.json`: how the data was generated and the model behind the label. */
export function truthDocument(campaign: Campaign, observed: ObservedCounts) {
  const m = campaign.model;
  return {
    generator: 'loom simulate',
    generatedWith: { customers: campaign.customers, seed: campaign.seed, start: campaign.start },
    label: {
      column: 'purchase',
      model: 'logistic',
      formula:
        'P(purchase = 1) = sigmoid(intercept + sum(coefficient * transform(feature)) + level effects + e), e ~ Normal(0, noiseSd) per session',
      transforms: { identity: 'x', log1p: 'ln(1 + x)', log1p_minutes: 'ln(1 + x / 60), x in seconds' },
      intercept: m.intercept,
      noiseSd: m.noiseSd,
      baseRate: m.baseRate,
      numeric: m.numeric,
      levels: m.levels,
      unused: m.unused,
      notes: [
        'review_sentiment is latent (not a column): review_text was written from it, noisily.',
        'The label uses the true feature values; some cells were then left empty (missingRates).',
      ],
    },
    missingRates: MISSING_RATE,
    observed: {
      ...observed,
      purchaseRate: observed.sessions === 0 ? 0 : Math.round((observed.purchases / observed.sessions) * 1e4) / 1e4,
    },
  };
}

export type TruthDocument = ReturnType<typeof truthDocument>;
