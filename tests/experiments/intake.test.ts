import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { MAX_EVENT_BATCH, recordEvents } from '../../services/experiments/events.js';
import { assignCustomer } from '../../services/experiments/assignment.js';
import { createExperiment } from '../../services/experiments/store.js';
import { BadUserInputError, NotFoundError } from '../../services/errors.js';

for (const driver of ['postgres', 'pglite'] as const) {
  describe(`event intake and assignment (${driver})`, () => {
    let t: TestDatabase;
    beforeAll(async () => { t = await createTestDatabase(driver); });
    afterAll(async () => { await t?.drop(); });
    const now = new Date('2026-03-01T12:00:00Z');
    const count = async () => Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM customer_events'))[0]!.n);

    it('counts each event once across retries and concurrent batches', async () => {
      const events = Array.from({ length: 500 }, (_, i) => ({ customerId: `c${i % 50}`, type: 'purchase', value: 10 + i, occurredAt: '2026-02-20T10:00:00Z', idempotencyKey: `k-${i}` }));
      const first = await recordEvents({ db: t.db }, events, { now });
      expect(first).toMatchObject({ accepted: 500, duplicates: 0, rejected: 0 });
      const retry = await recordEvents({ db: t.db }, events, { now });
      expect(retry).toMatchObject({ accepted: 0, duplicates: 500 });
      const more = Array.from({ length: 400 }, (_, i) => ({ customerId: 'c1', type: 'visit', occurredAt: '2026-02-21T10:00:00Z', idempotencyKey: `v-${i}` }));
      const results = await Promise.all([1, 2, 3, 4].map(() => recordEvents({ db: t.db }, more, { now })));
      expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(400);
      expect(await count()).toBe(900);
      // Duplicate keys inside one batch count once.
      const dup = await recordEvents({ db: t.db }, [{ customerId: 'c', type: 'visit', occurredAt: '2026-02-21T10:00:00Z', idempotencyKey: 'same' }, { customerId: 'c', type: 'visit', occurredAt: '2026-02-21T10:00:00Z', idempotencyKey: 'same' }], { now });
      expect(dup).toMatchObject({ accepted: 1, duplicates: 1 });
    });

    it('reports malformed and hostile rows by index and field, storing the good ones', async () => {
      const before = await count();
      const r = await recordEvents({ db: t.db }, [
        { customerId: 'ok', type: 'purchase', value: 5, occurredAt: '2026-02-28T00:00:00Z', idempotencyKey: 'good-1' },
        { customerId: 'x', type: 'refund', occurredAt: '2026-02-28T00:00:00Z', idempotencyKey: 'bad-type' },
        { customerId: 'x', type: 'visit', occurredAt: 'yesterday', idempotencyKey: 'bad-time' },
        { customerId: 'x', type: 'visit', occurredAt: '2026-03-02T12:00:00Z', idempotencyKey: 'future' },
        { customerId: 'x', type: 'purchase', value: -3, occurredAt: '2026-02-28T00:00:00Z', idempotencyKey: 'neg' },
        { customerId: 'x', type: 'visit', occurredAt: '2026-02-28T00:00:00Z' },
        { customerId: 'x'.repeat(5000), type: 'visit', occurredAt: '2026-02-28T00:00:00Z', idempotencyKey: 'long' },
        { customerId: 'x\0y', type: 'visit', occurredAt: '2026-02-28T00:00:00Z', idempotencyKey: 'nul' },
        { customerId: "x'); DROP TABLE customer_events; --", type: 'visit', occurredAt: '2026-02-28T00:00:00Z', idempotencyKey: 'sql' },
        null,
        { customerId: 'x', type: 'purchase', value: 'NaN', occurredAt: '2026-02-28T00:00:00Z', idempotencyKey: 'nan' },
      ], { now });
      expect(r.accepted).toBe(2);
      expect(r.rejected).toBe(9);
      const byIndex = Object.fromEntries(r.errors.map((e) => [e.index, e]));
      expect(byIndex[1]?.message).toMatch(/unknown event type "refund"; use one of purchase, visit, review/);
      expect(byIndex[2]?.field).toBe('occurredAt');
      expect(byIndex[3]?.message).toMatch(/in the future/);
      expect(byIndex[4]?.message).toMatch(/negative/);
      expect(byIndex[5]?.message).toMatch(/idempotencyKey is missing/);
      expect(byIndex[6]?.message).toMatch(/at most 200/);
      expect(byIndex[7]?.message).toMatch(/NUL/);
      expect(byIndex[9]?.field).toBe('event');
      expect(byIndex[10]?.field).toBe('value');
      expect(await count()).toBe(before + 2);
    });

    it('refuses oversized batches and non-lists whole, with the limit in the message', async () => {
      const huge = Array.from({ length: MAX_EVENT_BATCH + 1 }, (_, i) => ({ customerId: 'c', type: 'visit', occurredAt: '2026-02-01T00:00:00Z', idempotencyKey: `h${i}` }));
      await expect(recordEvents({ db: t.db }, huge, { now })).rejects.toThrow(/at most 10000 events, got 10001; split it/);
      await expect(recordEvents({ db: t.db }, { not: 'a list' }, { now })).rejects.toBeInstanceOf(BadUserInputError);
    });

    it('assigns deterministically, logs the first exposure only, and names unknown experiments', async () => {
      const { experiment } = await createExperiment({ db: t.db }, {
        name: `exp-assign-${driver}`, modelName: null, runId: 'run-a', cellId: 'ab', config: {},
        arms: [{ name: 'control', weight: 1, modelAlias: 'champion', modelVersionId: null }, { name: 'treatment', weight: 1, modelAlias: 'challenger', modelVersionId: null }],
      });
      const a1 = await assignCustomer({ db: t.db }, { experiment: experiment.name, customerId: 'cust-1', now: new Date('2026-03-01T00:00:00Z') });
      const a2 = await assignCustomer({ db: t.db }, { experiment: experiment.id, customerId: 'cust-1', now: new Date('2026-03-05T00:00:00Z') });
      expect(a2.arm).toBe(a1.arm);
      expect(a2.firstExposedAt.toISOString()).toBe('2026-03-01T00:00:00.000Z');
      expect(a1.modelAlias).toBe(a1.arm === 'control' ? 'champion' : 'challenger');
      const rows = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM experiment_exposures WHERE experiment_id = $1', [experiment.id]);
      expect(Number(rows[0]!.n)).toBe(1);
      await expect(assignCustomer({ db: t.db }, { experiment: 'no-such-exp', customerId: 'c' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(assignCustomer({ db: t.db }, { experiment: experiment.name, customerId: '' })).rejects.toThrow(/customerId must be/);
      // Created again by the same run and cell (a retried attempt): the same experiment.
      const again = await createExperiment({ db: t.db }, { name: 'other', modelName: null, runId: 'run-a', cellId: 'ab', config: {}, arms: [] });
      expect(again).toMatchObject({ created: false, experiment: { id: experiment.id } });
    });
  });
}
