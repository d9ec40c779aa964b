import type { Rng } from './random.js';

/**
 * Short product reviews written from a latent sentiment in [-1, 1]. The text reveals the tone
 * only noisily: mixed reviews, negated phrases ("not worth the price", "not bad at all"),
 * typos, and a share of customers who leave the box empty.
 */

const POSITIVE = [
  'love it',
  'great quality',
  'arrived quickly',
  'exactly as described',
  'excellent value for money',
  'works perfectly',
  'would definitely buy again',
  'my kids love it',
  'super comfortable',
  'fits perfectly',
  'easy checkout',
  'five stars',
  'highly recommend',
  'better than expected',
  'not bad at all',
  'no complaints',
  'the colour is gorgeous',
  'customer service was very helpful',
];

const NEGATIVE = [
  'not worth the price',
  'broke after a week',
  'arrived damaged',
  'would not buy again',
  'very disappointed',
  'cheap materials',
  'does not fit',
  'shipping took forever',
  'not as described',
  'still waiting for my refund',
  'poor quality',
  'the size chart is wrong',
  'never again',
  'not happy with it',
  'stopped working',
  'returned it',
];

const NEUTRAL = [
  'it is ok',
  'does the job',
  'average quality',
  'as expected',
  'fine for the price',
  'packaging could be better',
  'took a while to arrive',
  'not great, not terrible',
  'bought it as a gift',
  'second order from this shop',
  'colour slightly different from the photo',
];

const CONNECTORS = ['. ', ', ', ' and ', '! ', ' - '];

/** Swap two adjacent letters or drop one, in one word long enough to still be readable. */
function addTypo(text: string, rng: Rng): string {
  const words = text.split(' ');
  const candidates = words.map((w, i) => (w.length >= 5 ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const i = rng.pick(candidates);
  const w = words[i] ?? '';
  const j = rng.int(1, w.length - 2);
  words[i] = rng.bernoulli(0.5) ? w.slice(0, j) + (w[j + 1] ?? '') + (w[j] ?? '') + w.slice(j + 2) : w.slice(0, j) + w.slice(j + 1);
  return words.join(' ');
}

function phraseFor(sentiment: number, rng: Rng): string {
  // The tone is a probability, not a rule: a happy customer sometimes mentions a flaw.
  const pPositive = 0.1 + 0.8 * Math.max(0, sentiment);
  const pNegative = 0.1 + 0.8 * Math.max(0, -sentiment);
  const u = rng.uniform() * (pPositive + pNegative + 0.35);
  if (u < pPositive) return rng.pick(POSITIVE);
  if (u < pPositive + pNegative) return rng.pick(NEGATIVE);
  return rng.pick(NEUTRAL);
}

export function writeReview(sentiment: number, rng: Rng): string {
  if (rng.bernoulli(0.08)) return '';
  const clauses = rng.bernoulli(0.55) ? 1 : 2;
  const first = phraseFor(sentiment, rng);
  let text = first;
  if (clauses === 2) {
    const connector = rng.pick(CONNECTORS);
    const second = phraseFor(sentiment, rng);
    if (second !== first) text += connector + second;
  }
  if (rng.bernoulli(0.06)) text = addTypo(text, rng);
  if (rng.bernoulli(0.7)) text = text.charAt(0).toUpperCase() + text.slice(1);
  return text;
}
