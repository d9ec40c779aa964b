import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoomYoga } from '../../graphql/yoga.js';
import { createExperiment, saveSnapshot } from '../../services/experiments/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { codes, gql, testYoga, tokenFor } from '../graphql/client.js';

describe('experiments over GraphQL', () => {
  let t: TestDatabase;
  let yoga: LoomYoga;
  let viewer: string;
  let launcher: string;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    yoga = testYoga(t.db);
    [viewer, launcher] = [await tokenFor(t.db, 'viewer'), await tokenFor(t.db, 'launcher')];
    const { experiment } = await createExperiment({ db: t.db }, {
      name: 'gql-exp', modelName: null, runId: 'run-g', cellId: 'ab', config: { metric: { type: 'purchases' } },
      arms: [{ name: 'control', weight: 1, modelAlias: null, modelVersionId: null }, { name: 'treatment', weight: 1, modelAlias: null, modelVersionId: null }],
    });
    await saveSnapshot({ db: t.db }, {
      experimentId: experiment.id, asOf: new Date('2026-01-02T00:00:00Z'), decision: null,
      results: [{ metric: 'purchases_per_customer', role: 'primary', better: 'higher', arms: [], absolute: 0.1, relative: 0.05, ci: [-0.01, 0.11], absoluteCi: [-0.02, 0.2], pValue: 0.2, eValue: 1.3, conclusive: false, verdict: 'inconclusive', varianceReduction: null }],
      srm: { observed: { control: 1, treatment: 1 }, expected: { control: 1, treatment: 1 }, chiSquare: 0, pValue: 1, mismatch: false },
    });
  });
  afterAll(async () => { await t?.drop(); });

  it('assigns, records events and reads the experiment back with counts and results', async () => {
    const a = await gql(yoga, viewer, '{ assignment(experiment: "gql-exp", customerId: "cust-9") { arm modelAlias firstExposedAt } }');
    expect(codes(a)).toEqual([]);
    const arm = a.body.data?.assignment.arm as string;
    expect(['control', 'treatment']).toContain(arm);
    const events = [{ customerId: 'cust-9', type: 'purchase', value: 12.5, occurredAt: new Date(Date.now() + 1000).toISOString(), idempotencyKey: 'g-1' }, { customerId: 'cust-9', type: 'refund', occurredAt: '2026-01-01T00:00:00Z', idempotencyKey: 'g-2' }];
    const r = await gql(yoga, launcher, 'mutation($e: [CustomerEventInput!]!) { recordEvents(events: $e) { accepted duplicates rejected errors { index field message } } }', { e: events });
    expect(r.body.data?.recordEvents).toMatchObject({ accepted: 1, duplicates: 0, rejected: 1, errors: [{ index: 1, field: 'type' }] });
    const q = await gql(yoga, viewer, '{ experiment(name: "gql-exp") { name status exposures eventCounts arms { name exposures } current { metric relative ci pValue verdict } srm { mismatch } snapshots { asOf } } }');
    expect(codes(q)).toEqual([]);
    expect(q.body.data?.experiment).toMatchObject({ name: 'gql-exp', status: 'running', exposures: 1, eventCounts: { purchase: 1 }, current: [{ metric: 'purchases_per_customer', relative: 0.05, verdict: 'inconclusive' }], srm: { mismatch: false } });
    const list = await gql(yoga, viewer, '{ experiments { name } }');
    expect(list.body.data?.experiments).toEqual([{ name: 'gql-exp' }]);
  });

  it('needs the launcher role to record events and admin to decide; bad input gets a clear code', async () => {
    const denied = await gql(yoga, viewer, 'mutation { recordEvents(events: []) { accepted } }');
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    const decide = await gql(yoga, launcher, 'mutation { decideExperiment(experiment: "gql-exp", decision: ship) { name } }');
    expect(codes(decide)).toEqual(['FORBIDDEN']);
    const unknown = await gql(yoga, viewer, '{ assignment(experiment: "nope", customerId: "c") { arm } }');
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.body.errors?.[0]?.message).toMatch(/No experiment with id or name "nope"/);
    const noRef = await gql(yoga, viewer, '{ experiment { name } }');
    expect(codes(noRef)).toEqual(['BAD_USER_INPUT']);
    const extend = await gql(yoga, launcher, 'mutation { extendExperiment(experiment: "gql-exp", days: 100000) { name } }');
    expect(codes(extend)).toEqual(['BAD_USER_INPUT']);
    const huge = Array.from({ length: 10_001 }, (_, i) => ({ customerId: 'c', type: 'visit', occurredAt: '2026-01-01T00:00:00Z', idempotencyKey: `x${i}` }));
    const tooMany = await gql(yoga, launcher, 'mutation($e: [CustomerEventInput!]!) { recordEvents(events: $e) { accepted } }', { e: huge });
    // Either the request body limit or the batch limit answers; neither stores anything.
    expect(tooMany.status === 413 || codes(tooMany).includes('BAD_USER_INPUT')).toBe(true);
    const hostile = await gql(yoga, viewer, '{ assignment(experiment: "gql-exp", customerId: "' + 'x'.repeat(300) + '") { arm } }');
    expect(codes(hostile)).toEqual(['BAD_USER_INPUT']);
  });
});
