import { describe, expect, it } from 'vitest';
import { customerOutcome, measureSimulation, measureStreams, type GroupMetrics, type MetricName } from '../../simulator/index.js';
import { A_A, twoArmSimulation } from './loyalty-sim.js';

/** Treatment minus control in standard errors, and the difference itself. */
function compare(treated: GroupMetrics | undefined, control: GroupMetrics | undefined, metric: MetricName): { diff: number; se: number; z: number } {
  if (!treated || !control) throw new Error('an arm is missing');
  const diff = treated.mean[metric] - control.mean[metric];
  const se = Math.sqrt(treated.variance[metric] / treated.customers + control.variance[metric] / control.customers);
  return { diff, se, z: diff / se };
}

// 120,000 customers: the planted lift on repeat purchase is about 8 standard errors overall.
const sim = twoArmSimulation(120_000, 2026);
const truth = sim.truth();
const measured = measureSimulation(sim);

describe('the planted loyalty effect', () => {
  it('each arm matches the expected metrics the model predicts', () => {
    for (const arm of truth.arms) {
      const got = measured.arms.get(arm.name);
      expect(got?.customers).toBeGreaterThan(58_000);
      for (const metric of ['repeatPurchaseRate', 'purchasesPerCustomer', 'retentionRate', 'churnRate', 'prePurchasesPerCustomer', 'preVisitsPerCustomer'] as const) {
        const se = Math.sqrt((got?.variance[metric] ?? NaN) / (got?.customers ?? NaN));
        expect(Math.abs((got?.mean[metric] ?? NaN) - arm.expected[metric]), `${arm.name} ${metric}`).toBeLessThan(4 * se);
      }
    }
  });

  it('is recovered in direction and size on a large sample', () => {
    const planted = truth.repeatPurchaseLift.absolute;
    expect(planted).toBeGreaterThan(0.008);
    const { diff, se, z } = compare(measured.arms.get('treatment'), measured.arms.get('control'), 'repeatPurchaseRate');
    expect(z).toBeGreaterThan(4);
    expect(Math.abs(diff - planted)).toBeLessThan(4 * se);
    expect(diff / planted).toBeGreaterThan(0.5);
    expect(diff / planted).toBeLessThan(1.5);
  });

  it('is heterogeneous: high intent gains most, medium a little, low nothing', () => {
    const lift = (segment: string) => compare(measured.segments.get(`treatment/${segment}`), measured.segments.get(`control/${segment}`), 'repeatPurchaseRate');
    const [high, medium, low] = [lift('high'), lift('medium'), lift('low')];
    for (const [s, got] of [['high', high], ['medium', medium], ['low', low]] as const) {
      const planted = truth.segments.find((x) => x.segment === s)?.repeatPurchaseLift.absolute ?? NaN;
      expect(Math.abs(got.diff - planted), `${s} segment`).toBeLessThan(4 * got.se);
    }
    expect(high.z).toBeGreaterThan(5);
    expect((high.diff - medium.diff) / Math.hypot(high.se, medium.se)).toBeGreaterThan(3);
    expect((high.diff - low.diff) / Math.hypot(high.se, low.se)).toBeGreaterThan(3);
    expect(Math.abs(low.z)).toBeLessThan(3);
  });

  it('has a pre-period covariate that predicts the outcome, so CUPED narrows the estimate', () => {
    const pre: number[] = [];
    const post: number[] = [];
    const window = truth.window;
    for (const c of sim.customers()) {
      if (c.index > 30_000) break;
      const o = customerOutcome(c.exposedMs, c.events, window, Infinity, c.eventTimes);
      pre.push(o.prePurchasesPerCustomer + o.preVisitsPerCustomer);
      post.push(o.purchasesPerCustomer);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [mx, my] = [mean(pre), mean(post)];
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    pre.forEach((x, i) => {
      const y = post[i] ?? 0;
      sxy += (x - mx) * (y - my);
      sxx += (x - mx) ** 2;
      syy += (y - my) ** 2;
    });
    const rho = sxy / Math.sqrt(sxx * syy);
    const theta = sxy / sxx;
    const adjusted = post.map((y, i) => y - theta * ((pre[i] ?? 0) - mx));
    const varianceRatio = adjusted.reduce((a, y) => a + (y - my) ** 2, 0) / syy;
    expect(rho).toBeGreaterThan(0.25);
    expect(varianceRatio).toBeLessThan(0.93);
  });

  it('measures the same from plain exposure and event streams as from the simulation', () => {
    const small = twoArmSimulation(2000, 8);
    const direct = measureSimulation(small).arms;
    const fromStreams = measureStreams(small.exposures(), small.events(), small.truth().window);
    for (const [arm, got] of fromStreams) {
      expect(got.customers).toBe(direct.get(arm)?.customers);
      for (const [metric, value] of Object.entries(got.mean)) expect(value, `${arm} ${metric}`).toBeCloseTo(direct.get(arm)?.mean[metric as MetricName] ?? NaN, 9);
    }
  });
});

describe('an A/A test (zero lift everywhere)', () => {
  it('shows no difference beyond noise across many seeds, unlike the planted effect', () => {
    const zs = (effect: typeof A_A | undefined, seeds: number[]) =>
      seeds.map((seed) => {
        const arms = measureSimulation(twoArmSimulation(3000, seed, effect)).arms;
        return compare(arms.get('treatment'), arms.get('control'), 'repeatPurchaseRate').z;
      });
    const aa = zs(A_A, Array.from({ length: 30 }, (_, i) => 500 + i));
    const mean = aa.reduce((a, b) => a + b, 0) / aa.length;
    const sd = Math.sqrt(aa.reduce((a, z) => a + (z - mean) ** 2, 0) / (aa.length - 1));
    // Under no effect z ~ Normal(0, 1): the mean of 30 has a standard error of 0.18.
    expect(Math.abs(mean)).toBeLessThan(0.6);
    expect(sd).toBeGreaterThan(0.6);
    expect(sd).toBeLessThan(1.5);
    expect(aa.filter((z) => Math.abs(z) > 2.576).length).toBeLessThanOrEqual(3);
    expect(twoArmSimulation(10, 1, A_A).truth().repeatPurchaseLift.absolute).toBe(0);

    // The same seeds with a strong planted effect shift z well away from 0.
    const strong = zs({ relativeLift: { high: 1, medium: 1, low: 1 } }, Array.from({ length: 6 }, (_, i) => 500 + i));
    expect(strong.reduce((a, b) => a + b, 0) / strong.length).toBeGreaterThan(3);
  });
});
