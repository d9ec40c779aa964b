import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTransform } from '../../features/index.js';
import { loadModel } from '../../models/index.js';
import { setAlias } from '../../services/models.js';
import { Serving } from '../../services/serving/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { codes, gql, testYoga, tokenFor } from '../graphql/client.js';
import { testRows, testTransform } from './fixtures.js';
import { seedTwoVersions } from './seed-versions.js';

const PREDICT = `query($model: String!, $alias: String, $version: Int, $rows: JSON!) {
  predict(model: $model, alias: $alias, version: $version, rows: $rows) { model version alias threshold predictions { probability label } }
}`;

async function direct(file: string, rows: Record<string, unknown>[]): Promise<number[]> {
  const m = await loadModel(file);
  try {
    return Array.from(await m.predict(applyTransform(testTransform(), rows)));
  } finally {
    await m.release();
  }
}

describe('serving: predict and score (PGlite)', () => {
  let t: TestDatabase;
  let dir: string;
  let seeded: Awaited<ReturnType<typeof seedTwoVersions>>;
  let viewer: string;
  let admin: string;
  let launcher: string;
  const yoga = () => testYoga(t.db);

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-serving-'));
    seeded = await seedTwoVersions(t.db, dir, 'intent');
    await setAlias({ db: t.db }, 'intent', 'champion', seeded.versions[0].id, 'test');
    [viewer, admin, launcher] = [await tokenFor(t.db, 'viewer'), await tokenFor(t.db, 'admin'), await tokenFor(t.db, 'launcher')];
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('predicts through GraphQL exactly what the model file predicts directly', async () => {
    const rows = testRows(40, 3);
    const res = await gql(yoga(), viewer, PREDICT, { model: 'intent', alias: 'champion', rows });
    expect(res.body.errors).toBeUndefined();
    const out = res.body.data!.predict;
    expect(out).toMatchObject({ model: 'intent', version: 1, alias: 'champion', threshold: 0.5 });
    const expected = await direct(seeded.versions[0].artifactPath, rows);
    expect(out.predictions.map((p: any) => p.probability)).toEqual(expected);
    expect(out.predictions.map((p: any) => p.label)).toEqual(expected.map((p) => (p >= 0.5 ? 1 : 0)));
    expect(new Set(out.predictions.map((p: any) => p.label)).size).toBe(2);
    const byVersion = await gql(yoga(), viewer, PREDICT, { model: 'intent', version: 2, rows });
    expect(byVersion.body.data!.predict.predictions.map((p: any) => p.probability)).toEqual(await direct(seeded.versions[1].artifactPath, rows));
    expect(byVersion.body.data!.predict.threshold).toBe(0.6);
  });

  it('swaps to the new version as soon as the alias moves, without a restart', async () => {
    const rows = testRows(5, 11);
    const before = await gql(yoga(), viewer, PREDICT, { model: 'intent', rows });
    expect(before.body.data!.predict.version).toBe(1);
    const moved = await gql(yoga(), admin, `mutation($v: ID!) { setModelAlias(model: "intent", alias: "champion", versionId: $v, reason: "better") { moved fromVersionId toVersionId } }`, { v: seeded.versions[1].id });
    expect(moved.body.data!.setModelAlias).toEqual({ moved: true, fromVersionId: seeded.versions[0].id, toVersionId: seeded.versions[1].id });
    const after = await gql(yoga(), viewer, PREDICT, { model: 'intent', rows });
    expect(after.body.data!.predict.version).toBe(2);
    expect(after.body.data!.predict.predictions.map((p: any) => p.probability)).toEqual(await direct(seeded.versions[1].artifactPath, rows));
    const back = await gql(yoga(), admin, `mutation { rollbackModelAlias(model: "intent", alias: "champion", reason: "oops") { toVersionId } }`);
    expect(back.body.data!.rollbackModelAlias.toVersionId).toBe(seeded.versions[0].id);
    expect((await gql(yoga(), viewer, PREDICT, { model: 'intent', rows })).body.data!.predict.version).toBe(1);
  });

  it('lists models with versions, metrics, lineage and alias history', async () => {
    const res = await gql(yoga(), viewer, `{ models { name } model(name: "intent") { versions { version metrics lineage { runId datasetId datasetHash } }
      aliases { alias version updatedBy } aliasHistory { by reason } } }`);
    expect(res.body.errors).toBeUndefined();
    const m = res.body.data!.model;
    expect(res.body.data!.models.map((x: any) => x.name)).toContain('intent');
    expect(m.versions.map((v: any) => v.version)).toEqual([2, 1]);
    expect(m.versions[1].lineage).toEqual({ runId: seeded.runId, datasetId: seeded.datasetId, datasetHash: 'feat-hash' });
    expect(m.aliases).toEqual([{ alias: 'champion', version: 1, updatedBy: 'admin-test' }]);
    expect(m.aliasHistory[0].reason).toBe('rollback: oops');
  });

  it('answers bad requests with the row, the column and the fix', async () => {
    const ask = (vars: Record<string, unknown>, token = viewer) => gql(yoga(), token, PREDICT, { model: 'intent', ...vars });
    const rows = testRows(3, 5);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ model: 'ghost', rows }, 'NOT_FOUND', /No model named "ghost"/],
      [{ alias: 'canary', rows }, 'NOT_FOUND', /no alias "canary"; its aliases are: champion/],
      [{ version: 7, rows }, 'NOT_FOUND', /no version 7/],
      [{ alias: 'champion', version: 1, rows }, 'BAD_USER_INPUT', /either alias or version/],
      [{ rows: [{ ...rows[0], age: undefined }] }, 'BAD_USER_INPUT', /row 0\b.*"age"/],
      [{ rows: [rows[0], { ...rows[1], age: 'old' }] }, 'BAD_USER_INPUT', /row 1: column "age" expects a number/],
      [{ rows: [{ ...rows[0], coupon: 'X' }] }, 'BAD_USER_INPUT', /row 0\b.*"coupon"/],
      [{ rows: testRows(1001) }, 'BAD_USER_INPUT', /1001 rows; at most 1000/],
      [{ rows: { age: 3 } }, 'BAD_USER_INPUT', /must be a JSON list of objects/],
      [{ rows: 'DROP TABLE models' }, 'BAD_USER_INPUT', /must be a JSON list/],
      [{ rows: [[1, 2, 3]] }, 'BAD_USER_INPUT', /row 0 must be an object/],
      [{ rows: [JSON.parse('{"__proto__": {"polluted": true}, "age": 30, "channel": "web", "member": true, "review": "x"}')] }, 'BAD_USER_INPUT', /__proto__/],
      [{ rows: [{ ...rows[0], review: { $gt: '' } }] }, 'BAD_USER_INPUT', /column "review" expects text/],
      [{ rows: [{ ...rows[0], review: 'x'.repeat(200_000) }] }, 'BAD_USER_INPUT', /at most 100000/],
    ];
    for (const [vars, code, message] of cases) {
      const res = await ask(vars);
      expect(codes(res), JSON.stringify(vars).slice(0, 100)).toEqual([code]);
      expect(res.body.errors![0]!.message).toMatch(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const many = await ask({ rows: testRows(200).map((r) => ({ ...r, age: 'x' })) });
    expect(res200(many)).toMatch(/and \d+ more/);
    expect((many.body.errors![0]!.extensions as any).details.issues.length).toBeGreaterThan(5);
  });

  it('lets only admins move or roll back aliases, and only launchers approve', async () => {
    for (const token of [viewer, launcher]) {
      const res = await gql(yoga(), token, `mutation { rollbackModelAlias(model: "intent", alias: "champion") { moved } }`);
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    const approve = await gql(yoga(), viewer, `mutation { approveDeployment(runId: "run-x", cellId: "ship") { decision } }`);
    expect(codes(approve)).toEqual(['FORBIDDEN']);
    const missing = await gql(yoga(), launcher, `mutation { approveDeployment(runId: "run-x", cellId: "ship") { decision } }`);
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    const notWaiting = await gql(yoga(), launcher, `mutation($r: ID!) { rejectDeployment(runId: $r, cellId: "ship", note: "no") { decision } }`, { r: seeded.runId });
    expect(codes(notWaiting)).toEqual(['NOT_FOUND']);
    const longNote = await gql(yoga(), launcher, `mutation($r: ID!, $n: String) { rejectDeployment(runId: $r, cellId: "ship", note: $n) { decision } }`, { r: seeded.runId, n: 'x'.repeat(5000) });
    expect(codes(longNote)).toEqual(['BAD_USER_INPUT']);
  });

  it('scores a known customer from the feature table the version was trained on', async () => {
    const res = await gql(yoga(), viewer, `{ score(model: "intent", customerId: "c-7") { customerId version probability label datasetId } }`);
    expect(res.body.errors).toBeUndefined();
    const row = seeded.rows[7]!;
    const [expected] = await direct(seeded.versions[0].artifactPath, [row]);
    expect(res.body.data!.score).toMatchObject({ customerId: 'c-7', version: 1, datasetId: seeded.datasetId, probability: expected });
    const unknown = await gql(yoga(), viewer, `{ score(model: "intent", customerId: "c-999'; DROP TABLE runs;--") { probability } }`);
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.body.errors![0]!.message).toMatch(/is not in dataset/);
  });

  it('keeps at most maxModels sessions and still answers every version', async () => {
    const serving = new Serving({ maxModels: 1, maxBatchRows: 10 });
    try {
      const rows = testRows(4, 9);
      for (const v of [1, 2, 1, 2]) {
        const r = await serving.predict({ db: t.db }, 'intent', { version: v }, rows);
        expect(r.predictions.map((p) => p.probability)).toEqual(await direct(seeded.versions[v - 1]!.artifactPath, rows));
        expect(serving.models.size).toBe(1);
      }
      await expect(serving.predict({ db: t.db }, 'intent', { version: 1 }, testRows(11))).rejects.toThrow(/at most 10/);
    } finally {
      await serving.close();
    }
  });
});

function res200(res: { body: { errors?: { message: string }[] } }): string {
  return res.body.errors?.[0]?.message ?? '';
}
