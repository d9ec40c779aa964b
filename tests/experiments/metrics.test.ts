import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abtestConfigSchema, metricSpecSchema, type MetricSpec } from '../../kinds/abtest.js';
import { buildMetricQuery } from '../../experiments/metrics.js';
import { aggregateMetrics } from '../../activities/experiments/aggregate.js';
import { createExperiment } from '../../services/experiments/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 10);

/** A small seeded world: exposures over 5 days, events from 20 days before to 30 days after. */
function world(seed: number) {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const exposures = Array.from({ length: 300 }, (_, i) => ({ customerId: `m${i}`, arm: i % 2 ? 'treatment' : 'control', at: T0 + Math.floor(rnd() * 5 * DAY) }));
  const events: { customerId: string; type: string; value: number; at: number }[] = [];
  for (const x of exposures) {
    const k = Math.floor(rnd() * 8);
    for (let j = 0; j < k; j++) {
      const type = ['purchase', 'visit', 'review'][Math.floor(rnd() * 3)]!;
      events.push({ customerId: x.customerId, type, value: type === 'review' ? 1 + Math.floor(rnd() * 5) : Math.round(rnd() * 300), at: x.at + Math.floor((rnd() * 50 - 20) * DAY) });
    }
  }
  return { exposures, events };
}

/** The metric computed row by row, the way the SQL defines it. */
function bruteForce(m: MetricSpec, w: ReturnType<typeof world>, asOf: number) {
  const out: Record<string, { n: number; sumY: number; sumY2: number; sumX: number; sumXY: number }> = {};
  for (const x of w.exposures) {
    if (x.at > asOf) continue;
    const ev = w.events.filter((e) => e.customerId === x.customerId && e.at < asOf);
    const inW = (types: string[], a: number, b: number, f: (e: (typeof ev)[number]) => boolean = () => true) => ev.filter((e) => types.includes(e.type) && e.at >= a && e.at < b && f(e));
    let y: number; let xv: number;
    if (m.type === 'repeat_purchase') {
      if (x.at + m.days * DAY > asOf) continue;
      y = inW(['purchase'], x.at, x.at + m.days * DAY).length > 0 ? 1 : 0;
      xv = inW(['purchase'], x.at - m.days * DAY, x.at).length > 0 ? 1 : 0;
    } else if (m.type === 'revenue' && m.days !== undefined) {
      if (x.at + m.days * DAY > asOf) continue;
      const cap = m.cap && 'value' in m.cap ? m.cap.value : Infinity;
      y = Math.min(cap, inW(['purchase'], x.at, x.at + m.days * DAY).reduce((s, e) => s + e.value, 0));
      xv = Math.min(cap, inW(['purchase'], x.at - m.days * DAY, x.at).reduce((s, e) => s + e.value, 0));
    } else if (m.type === 'churn') {
      if (x.at > asOf - m.inactiveDays * DAY) continue;
      y = inW(['visit', 'purchase'], asOf - m.inactiveDays * DAY, asOf).length === 0 ? 1 : 0;
      xv = inW(['visit', 'purchase'], x.at - m.inactiveDays * DAY, x.at).length === 0 ? 1 : 0;
    } else if (m.type === 'negative_review_rate') {
      if (x.at + m.days * DAY > asOf) continue;
      y = inW(['review'], x.at, x.at + m.days * DAY, (e) => e.value <= m.maxRating).length > 0 ? 1 : 0;
      xv = inW(['review'], x.at - m.days * DAY, x.at, (e) => e.value <= m.maxRating).length > 0 ? 1 : 0;
    } else throw new Error('not covered');
    const a = (out[x.arm] ??= { n: 0, sumY: 0, sumY2: 0, sumX: 0, sumXY: 0 });
    a.n++; a.sumY += y; a.sumY2 += y * y; a.sumX += xv; a.sumXY += xv * y;
  }
  return out;
}

describe('loyalty metrics in SQL', () => {
  let t: TestDatabase;
  let experimentId: string;
  const w = world(42);
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    const { experiment } = await createExperiment({ db: t.db }, { name: 'm', modelName: null, runId: 'r', cellId: 'c', config: {}, arms: [{ name: 'control', weight: 1, modelAlias: null, modelVersionId: null }, { name: 'treatment', weight: 1, modelAlias: null, modelVersionId: null }] });
    experimentId = experiment.id;
    await t.db.query(`INSERT INTO experiment_exposures (experiment_id, customer_id, arm, first_exposed_at)
      SELECT $1, r.c, r.a, r.t FROM jsonb_to_recordset($2::jsonb) AS r(c text, a text, t timestamptz)`, [experimentId, JSON.stringify(w.exposures.map((x) => ({ c: x.customerId, a: x.arm, t: new Date(x.at).toISOString() })))]);
    await t.db.query(`INSERT INTO customer_events (customer_id, type, value, occurred_at, idempotency_key)
      SELECT r.c, r.y, r.v, r.t, r.k FROM jsonb_to_recordset($1::jsonb) AS r(c text, y text, v float8, t timestamptz, k text)`, [JSON.stringify(w.events.map((e, i) => ({ c: e.customerId, y: e.type, v: e.value, t: new Date(e.at).toISOString(), k: `e${i}` })))]);
  });
  afterAll(async () => { await t?.drop(); });

  const cases: MetricSpec[] = [
    metricSpecSchema.parse({ type: 'repeat_purchase', days: 7 }),
    metricSpecSchema.parse({ type: 'revenue', days: 10, cap: { value: 400 } }),
    metricSpecSchema.parse({ type: 'churn', inactiveDays: 5 }),
    metricSpecSchema.parse({ type: 'negative_review_rate', days: 14 }),
  ];
  for (const m of cases) {
    it(`${m.type}: per-arm sufficient statistics equal a row-by-row computation`, async () => {
      const asOf = T0 + 22 * DAY;
      const [sums] = await aggregateMetrics(t.db, experimentId, new Date(asOf), [m], ['control', 'treatment']);
      const expected = bruteForce(m, w, asOf);
      for (const s of sums!) {
        const e = expected[s.arm]!;
        expect(s.n).toBe(e.n);
        expect(s.sumY).toBeCloseTo(e.sumY, 6);
        expect(s.sumY2).toBeCloseTo(e.sumY2, 6);
        expect(s.sumX).toBeCloseTo(e.sumX, 6);
        expect(s.sumXY).toBeCloseTo(e.sumXY, 6);
      }
      expect(sums!.reduce((a, s) => a + s.n, 0)).toBeGreaterThan(20);
    });
  }

  it('winsorises at a percentile computed in SQL', async () => {
    const m = metricSpecSchema.parse({ type: 'revenue', days: 10, cap: { percentile: 0.9 } });
    const [capped] = await aggregateMetrics(t.db, experimentId, new Date(T0 + 22 * DAY), [m], ['control', 'treatment']);
    const [raw] = await aggregateMetrics(t.db, experimentId, new Date(T0 + 22 * DAY), [metricSpecSchema.parse({ type: 'revenue', days: 10 })], ['control', 'treatment']);
    expect(capped![0]!.sumY).toBeLessThan(raw![0]!.sumY);
    expect(capped![0]!.n).toBe(raw![0]!.n);
  });

  it('binds every configured value as a parameter, never as SQL text', () => {
    const q = buildMetricQuery("x'; DROP TABLE experiments; --", new Date(T0), cases[3]!);
    expect(q.text).not.toContain('DROP');
    expect(q.params).toContain("x'; DROP TABLE experiments; --");
  });
});

describe('abtest config', () => {
  const ok = { arms: { control: { weight: 50 }, treatment: { weight: 50 } }, metric: { type: 'repeat_purchase' } };
  const issues = (c: unknown) => { const r = abtestConfigSchema.safeParse(c); return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`); };

  it('fills defaults: daily analysis, 28 days at most, alpha 0.05, CUPED on', () => {
    const c = abtestConfigSchema.parse(ok);
    expect(c).toMatchObject({ analyzeEvery: DAY, maxDuration: 28 * DAY, minDuration: 7 * DAY, alpha: 0.05, cuped: true, sequential: { nStar: 5000 } });
    expect(c.arms.control.alias).toBe('champion');
    expect(c.arms.treatment.alias).toBe('challenger');
  });

  it('names the field and the fix for malformed, hostile and oversized values', () => {
    expect(issues({ ...ok, metric: { type: 'dau' } }).join()).toMatch(/metric type must be one of/);
    expect(issues({ ...ok, arms: { control: { weight: -1 }, treatment: { weight: 1 } } }).join()).toMatch(/arms.control.weight: an arm weight must be positive/);
    expect(issues({ ...ok, arms: { control: { weight: 1 }, treatment: { weight: 1 }, extra: { weight: 1 } } })).not.toEqual([]);
    expect(issues({ ...ok, maxDuration: '2y' }).join()).toMatch(/maxDuration: a duration must be a number of days or look like "1d"/);
    expect(issues({ ...ok, maxDuration: '9999d' }).join()).toMatch(/at most 366d/);
    expect(issues({ ...ok, minDuration: '30d', maxDuration: '10d' }).join()).toMatch(/minDuration is longer than maxDuration/);
    expect(issues({ ...ok, analyzeEvery: '1s', maxDuration: '366d' }).join()).toMatch(/more than 2000 analyses/);
    expect(issues({ ...ok, alpha: 0.9 }).join()).toMatch(/alpha may be at most 0.2/);
    expect(issues({ ...ok, name: "'; DROP TABLE x; --" }).join()).toMatch(/name must be/);
    expect(issues({ ...ok, model: 'm'.repeat(10_000) }).join()).toMatch(/at most 200/);
    expect(issues({ ...ok, simulate: { customers: 10_000_000 } }).join()).toMatch(/at most 1000000/);
    expect(issues({ ...ok, metric: { type: 'retention', day: 1.5 } }).join()).toMatch(/whole number/);
    expect(issues({ ...ok, metric: { type: 'revenue', cap: { percentile: 0.2 } } }).join()).toMatch(/above 0.5/);
  });
});
