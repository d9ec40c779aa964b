import { describe, expect, it } from 'vitest';
import { LABEL_MODEL, applyTransform, simulateCampaign, type SessionRow, type SimulatedSession } from '../../simulator/index.js';

/** About 18,000 sessions: enough for stable rates, generated in well under a second. */
const campaign = simulateCampaign({ customers: 15_000, seed: 2024 });
const sessions: { s: SimulatedSession; loyalty: number }[] = [];
for (const c of campaign.simulatedCustomers()) for (const s of c.sessions) sessions.push({ s, loyalty: c.customer.loyaltyOrders90d });
const rows = sessions.map((x) => x.s.row);

const rate = (rs: SessionRow[]) => rs.reduce((a, r) => a + r.purchase, 0) / rs.length;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] ?? NaN;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Area under the ROC curve by ranks (no ties expected for continuous scores). */
function auc(scores: number[], labels: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let rankSum = 0;
  let positives = 0;
  order.forEach((i, rank) => {
    if (labels[i] === 1) {
      rankSum += rank + 1;
      positives++;
    }
  });
  const negatives = labels.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Plain logistic regression by full-batch gradient descent on standardised columns. */
function fitLogistic(x: number[][], y: number[], steps = 300, lr = 1): { weights: number[]; sd: number[] } {
  const n = x.length;
  const d = x[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const row of x) row.forEach((v, j) => (mean[j] = (mean[j] ?? 0) + v / n));
  for (const row of x) row.forEach((v, j) => (sd[j] = (sd[j] ?? 0) + (v - (mean[j] ?? 0)) ** 2 / n));
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j] ?? 0) || 1;
  const z = x.map((row) => row.map((v, j) => (v - (mean[j] ?? 0)) / (sd[j] ?? 1)));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let step = 0; step < steps; step++) {
    const grad = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i] ?? [];
      let s = b;
      for (let j = 0; j < d; j++) s += (w[j] ?? 0) * (zi[j] ?? 0);
      const e = sigmoid(s) - (y[i] ?? 0);
      gb += e;
      for (let j = 0; j < d; j++) grad[j] = (grad[j] ?? 0) + e * (zi[j] ?? 0);
    }
    b -= (lr * gb) / n;
    for (let j = 0; j < d; j++) w[j] = (w[j] ?? 0) - (lr * (grad[j] ?? 0)) / n;
  }
  return { weights: w, sd };
}

describe('the purchase label follows the documented model', () => {
  it('has the documented base rate', () => {
    expect(rows.length).toBeGreaterThan(15_000);
    expect(Math.abs(rate(rows) - LABEL_MODEL.baseRate)).toBeLessThan(0.015);
  });

  it('buys more after valuable pages, less when leaving from them', () => {
    const withValue = rows.filter((r) => (r.page_values ?? 0) > 0);
    const withoutValue = rows.filter((r) => r.page_values === 0);
    expect(rate(withValue)).toBeGreaterThan(rate(withoutValue));

    const exits = rows.filter((r) => r.exit_rates !== null).map((r) => r.exit_rates ?? 0);
    const [low, high] = [quantile(exits, 0.25), quantile(exits, 0.75)];
    expect(rate(rows.filter((r) => r.exit_rates !== null && r.exit_rates <= low))).toBeGreaterThan(
      rate(rows.filter((r) => r.exit_rates !== null && r.exit_rates >= high)),
    );
  });

  it('writes happier reviews where customers buy', () => {
    const positive = /love it|great quality|highly recommend|five stars|excellent value/i;
    const negative = /very disappointed|broke after|arrived damaged|poor quality|never again/i;
    const happy = rows.filter((r) => positive.test(r.review_text) && !negative.test(r.review_text));
    const unhappy = rows.filter((r) => negative.test(r.review_text) && !positive.test(r.review_text));
    expect(happy.length).toBeGreaterThan(500);
    expect(unhappy.length).toBeGreaterThan(500);
    expect(rate(happy)).toBeGreaterThan(rate(unhappy));
    expect(rows.some((r) => r.review_text === '')).toBe(true);
  });

  it('a fitted logistic regression recovers the sign of every strong coefficient', () => {
    const complete = sessions.filter(({ s }) => s.row.exit_rates !== null && s.row.page_values !== null && s.row.product_related_duration !== null);
    const numeric = LABEL_MODEL.numeric;
    const x = complete.map(({ s, loyalty }) => {
      const r = s.row;
      const raw: Record<string, number> = {
        page_values: r.page_values ?? 0,
        exit_rates: r.exit_rates ?? 0,
        bounce_rates: r.bounce_rates,
        product_related: r.product_related,
        product_related_duration: r.product_related_duration ?? 0,
        administrative: r.administrative,
        informational: r.informational,
        special_day: r.special_day,
        weekend: r.weekend,
        loyalty_orders_90d: loyalty,
        review_sentiment: s.latent.sentiment,
      };
      return [
        ...numeric.map((t) => applyTransform(t.transform, raw[t.feature] ?? NaN)),
        r.month === 'Nov' ? 1 : 0,
        r.month === 'Feb' ? 1 : 0,
        r.visitor_type === 'new' ? 1 : 0,
      ];
    });
    const y = complete.map(({ s }) => s.row.purchase);
    const { weights, sd } = fitLogistic(x, y);
    const truth = [...numeric.map((t) => t.coefficient), LABEL_MODEL.levels.month.Nov ?? 0, LABEL_MODEL.levels.month.Feb ?? 0, LABEL_MODEL.levels.visitor_type.new ?? 0];
    let checked = 0;
    truth.forEach((beta, j) => {
      // With ~18,000 rows a standardised weight has a standard error near 0.02: effects of a tenth
      // of a logit per standard deviation are identifiable, smaller ones may flip by chance.
      if (Math.abs(beta * (sd[j] ?? 0)) < 0.1) return;
      checked++;
      expect(Math.sign(weights[j] ?? 0), `coefficient ${j} (${numeric[j]?.feature ?? 'level'})`).toBe(Math.sign(beta));
    });
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('is predictable but not perfectly: the noise-free logit ranks sessions well short of AUC 1', () => {
    const score = sessions.map(({ s }) => s.latent.logit);
    const value = auc(score, rows.map((r) => r.purchase));
    expect(value).toBeGreaterThan(0.8);
    expect(value).toBeLessThan(0.95);
  });
});
