import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { simulateCampaign, simulateLoyalty, type LoyaltyCustomer } from '../../simulator/index.js';
import { isoTimestamp } from '../../simulator/timestamp.js';
import { TWO_ARMS, twoArmSimulation } from './loyalty-sim.js';

const DAY_MS = 86_400_000;
const sim = twoArmSimulation(3000, 21);
const customers: LoyaltyCustomer[] = [...sim.customers()];
const startMs = Date.parse('2026-03-02T00:00:00Z');

describe('loyalty streams are pure functions of their options', () => {
  it('yields identical exposures and events for the same seed, different ones for another seed', () => {
    const again = twoArmSimulation(3000, 21);
    expect(JSON.stringify([...again.exposures()])).toBe(JSON.stringify([...sim.exposures()]));
    expect(JSON.stringify([...again.events()])).toBe(JSON.stringify([...sim.events()]));
    const other = twoArmSimulation(3000, 22);
    expect(JSON.stringify([...other.events()])).not.toBe(JSON.stringify([...sim.events()]));
  });

  it('regenerates any customer alone exactly as in the sequence, with the campaign customer’s id and intent', () => {
    const campaign = simulateCampaign({ customers: 3000, seed: 21 });
    for (const i of [1, 777, 3000]) {
      expect(sim.customerAt(i)).toEqual(customers[i - 1]);
      const c = campaign.customerAt(i).customer;
      expect(customers[i - 1]?.customerId).toBe(c.customerId);
      expect(customers[i - 1]?.intent).toBe(c.intent);
    }
    expect(() => sim.customerAt(0)).toThrow(RangeError);
    expect(() => sim.customerAt(3001)).toThrow(RangeError);
  });

  it('exposures() agrees with the exposures of customers() and spreads them over the exposure days', () => {
    expect([...sim.exposures()]).toEqual(customers.map((c) => c.exposure));
    const days = customers.map((c) => Math.floor((c.exposedMs - startMs) / DAY_MS));
    expect(Math.min(...days)).toBe(0);
    expect(Math.max(...days)).toBe(13);
    for (let d = 0; d < 14; d++) expect(days.filter((x) => x === d).length).toBeGreaterThan(3000 / 14 / 2);
    expect(new Set(customers.map((c) => c.arm))).toEqual(new Set(['control', 'treatment']));
  });

  it('orders each customer’s events in time, keeps post-period events after exposure and pre-period ones within 30 days before', () => {
    const endMs = startMs + 44 * DAY_MS;
    let pre = 0;
    let post = 0;
    // Count problems instead of asserting per event: a hundred thousand expects would dominate the run time.
    const problems: string[] = [];
    const problem = (c: LoyaltyCustomer, i: number, what: string) => problems.length < 5 && problems.push(`${c.customerId} event ${i}: ${what}`);
    for (const c of customers) {
      c.events.forEach((e, i) => {
        const t = Date.parse(e.occurredAt);
        if (t !== c.eventTimes[i]) problem(c, i, 'eventTimes disagrees with occurredAt');
        if (e.customerId !== c.customerId) problem(c, i, 'belongs to another customer');
        if (i > 0 && t < (c.eventTimes[i - 1] ?? 0)) problem(c, i, 'out of time order');
        if (i < c.firstPostEvent) {
          pre++;
          if (t >= c.exposedMs || t < c.exposedMs - 30 * DAY_MS) problem(c, i, 'pre-period event outside the 30 days before exposure');
        } else {
          post++;
          if (t <= c.exposedMs || t >= endMs) problem(c, i, 'post-period event not between exposure and the end');
        }
        if (e.type === 'review' && ![1, 2, 3, 4, 5].includes(e.value)) problem(c, i, `review rating ${e.value}`);
        if (e.type === 'visit' && !(Number.isInteger(e.value) && e.value >= 1)) problem(c, i, `visit pages ${e.value}`);
        if (e.type === 'purchase' && !(e.value > 0)) problem(c, i, `order value ${e.value}`);
      });
    }
    expect(problems).toEqual([]);
    expect(pre).toBeGreaterThan(3000);
    expect(post).toBeGreaterThan(3000);
  });

  it('gives every event a unique idempotency key that is stable across regenerations and changes with the options', () => {
    const keys = [...sim.events()].map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    const withOtherEffect = twoArmSimulation(3000, 21, { relativeLift: { high: 0.5, medium: 0, low: 0 } });
    const first = [...withOtherEffect.events()][0]?.idempotencyKey;
    expect(first).toBeDefined();
    expect(keys).not.toContain(first);
  });

  it('writes review ratings that follow satisfaction', () => {
    const reviews = customers.flatMap((c) => c.events.filter((e) => e.type === 'review').map((e) => ({ rating: e.value, satisfaction: c.latent.satisfaction })));
    expect(reviews.length).toBeGreaterThan(200);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const happy = reviews.filter((r) => r.satisfaction > 0.3).map((r) => r.rating);
    const unhappy = reviews.filter((r) => r.satisfaction < -0.3).map((r) => r.rating);
    expect(mean(happy) - mean(unhappy)).toBeGreaterThan(1);
  });

  it('formats timestamps exactly as Date#toISOString', () => {
    for (const ms of [0, -1, 951_782_400_000, 1_772_409_600_000 - 1, 4_102_444_800_000, ...customers.slice(0, 50).map((c) => c.exposedMs + 123)]) {
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('streams: the first event of ten million customers comes at once and memory does not grow with customers', () => {
    const started = Date.now();
    const big = simulateLoyalty({ customers: 10_000_000, seed: 1, start: '2026-01-01', days: 60, arms: [...TWO_ARMS], assign: () => 'control' });
    expect(big.events().next().done).toBe(false);
    expect(big.exposures().next().done).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);

    // 40,000 customers make about 140,000 events: about 70 MB if they were kept. Live memory is
    // measured after a full collection, so garbage not yet collected does not count.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    for (const _ of twoArmSimulation(40_000, 5).events()) {
      if (++n % 20_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    expect(n).toBeGreaterThan(120_000);
    expect(peak).toBeLessThan(8 * 2 ** 20);
  });
});
