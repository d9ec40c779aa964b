import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoomInputError } from '../../core/errors.js';
import { runCells } from '../../db/schema/cells.js';
import { deployExecutor } from '../../activities/deploy/executor.js';
import { deployConfigSchema, type DeployConfig } from '../../kinds/deploy.js';
import { aliasHistory, getModel, listVersions, registerVersion, resolve, rollback, setAlias } from '../../services/models.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';
import { testTransform, WEIGHTS_A, writeTestModel } from './fixtures.js';

const config = (c: z.input<typeof deployConfigSchema>): DeployConfig => deployConfigSchema.parse(c);

describe('model registry (PGlite)', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-registry-'));
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const register = async (model: string, runId: string, cellId: string) => registerVersion({ db: t.db }, {
    model, runId, cellId, artifactPath: (n) => `/registry/${model}/${n}.onnx`, artifactSha256: 'abc', metrics: { auc: 0.9 },
    featureSpec: testTransform() as never,
  });

  it('registers once per (run, cell) and numbers versions without gaps under concurrency', async () => {
    const { runId } = await insertTestRun(t.db);
    const first = await register('idem', runId, 'deploy');
    const again = await register('idem', runId, 'deploy');
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.version.id).toBe(first.version.id);
    const concurrent = await Promise.all(['a', 'b', 'c', 'd'].map((c) => register('idem', runId, c)));
    const numbers = concurrent.map((r) => r.version.version).sort();
    expect(numbers).toEqual([2, 3, 4, 5]);
    const model = await getModel({ db: t.db }, 'idem');
    expect(await listVersions({ db: t.db }, model.id)).toHaveLength(5);
  });

  it('moves aliases with history and rolls back to the previous version', async () => {
    const deps = { db: t.db };
    const { runId } = await insertTestRun(t.db);
    const v1 = (await register('moves', runId, 'd1')).version;
    const v2 = (await register('moves', runId, 'd2')).version;
    expect((await setAlias(deps, 'moves', 'champion', v1.id, 'alice', 'first')).moved).toBe(true);
    expect((await setAlias(deps, 'moves', 'champion', v1.id, 'alice', 'again')).moved).toBe(false);
    await setAlias(deps, 'moves', 'champion', v2.id, 'bob', 'better auc');
    expect((await resolve(deps, 'moves', { alias: 'champion' })).id).toBe(v2.id);
    const back = await rollback(deps, 'moves', 'champion', 'carol', 'v2 misbehaves');
    expect(back).toMatchObject({ fromVersionId: v2.id, toVersionId: v1.id, moved: true });
    expect((await resolve(deps, 'moves', { alias: 'champion' })).version).toBe(1);
    const model = await getModel(deps, 'moves');
    const history = await aliasHistory(deps, model.id, 'champion');
    expect(history.map((h) => [h.fromVersionId, h.toVersionId, h.by])).toEqual([
      [v2.id, v1.id, 'carol'], [v1.id, v2.id, 'bob'], [null, v1.id, 'alice'],
    ]);
    expect(history[0]!.reason).toBe('rollback: v2 misbehaves');
    await setAlias(deps, 'moves', 'challenger', v2.id, 'bob');
    await expect(rollback(deps, 'moves', 'challenger', 'bob')).rejects.toThrow(/nothing to roll back to/);
    await expect(rollback(deps, 'moves', 'nope', 'bob')).rejects.toThrow(/no alias "nope"/);
  });

  it('refuses bad names, unknown models, aliases, versions and foreign version ids', async () => {
    const deps = { db: t.db };
    const { runId } = await insertTestRun(t.db);
    const other = (await register('other', runId, 'x')).version;
    await register('names', runId, 'y');
    await expect(resolve(deps, 'Robert"); DROP TABLE models;--', { alias: 'champion' })).rejects.toThrow(/not valid/);
    await expect(resolve(deps, 'ghost', { alias: 'champion' })).rejects.toThrow(/No model named "ghost"/);
    await expect(resolve(deps, 'names', { alias: 'champion' })).rejects.toThrow(/no alias "champion"/);
    await expect(resolve(deps, 'names', { version: 99 })).rejects.toThrow(/no version 99/);
    await expect(resolve(deps, 'names', { version: -1 })).rejects.toThrow(/positive integer/);
    await expect(setAlias(deps, 'names', 'champion', other.id, 'eve')).rejects.toThrow(/has no version with id/);
    await expect(setAlias(deps, 'names', 'x'.repeat(500), other.id, 'eve')).rejects.toThrow(/Alias "x+" is not valid/);
  });

  describe('deploy executor', () => {
    async function setup(withEval = true) {
      const { runId } = await insertTestRun(t.db);
      const model = writeTestModel(path.join(dir, runId), 'model.onnx', { weights: WEIGHTS_A, bias: 0 });
      const cells = [{ cellId: 'train', kind: 'finetune' }, ...(withEval ? [{ cellId: 'eval', kind: 'evaluate' }] : [])];
      await t.db.orm.insert(runCells).values(cells.map((c, position) => ({ runId, ...c, queue: 'loom-cpu', position, status: 'succeeded' as const })));
      const upstream = {
        train: { values: { model, sha256: 'x', epochs: 3, bestEpoch: 2, valLoss: 0.4, valAuc: 0.81 }, outputHash: 'h1' },
        ...(withEval ? { eval: { values: { auc: 0.83, f1: 0.7, threshold: 0.42, passed: true, model }, outputHash: 'h2' } } : {}),
      };
      return { runId, model, upstream };
    }

    it('registers the upstream finetune model, copies it into the registry and moves the alias', async () => {
      const { runId, upstream } = await setup();
      const ctx = makeCellContext(t.db, { runId, cellId: 'ship', config: config({ model: 'intent', alias: 'champion' }), upstream, dataRoots: [dir] });
      const done = await deployExecutor(ctx);
      expect(done.pending).toBeUndefined();
      expect(done.values).toMatchObject({ model: 'intent', version: 1, alias: 'champion' });
      const v = await resolve({ db: t.db }, 'intent', { alias: 'champion' });
      expect(v.artifactPath).toBe(path.join(ctx.artifactsDir, 'registry', 'intent', '1.onnx'));
      expect(fs.existsSync(v.artifactPath)).toBe(true);
      expect(v.metrics).toMatchObject({ auc: 0.83, threshold: 0.42, valAuc: 0.81 });
      expect(v.featureSpec).toEqual(testTransform());
      expect(v.notebookVersionId).toMatch(/^nbv_/);
      const again = await deployExecutor({ ...ctx, attempt: 2 });
      expect(again.values.versionId).toBe(v.id);
      const markdown = String(done.outputs[0]!.data['text/markdown']);
      expect(markdown).toContain('**champion** of **intent** now points at v1');
      expect(markdown).toContain('| auc | 0.8300 |');
    });

    it('asks for approval, then moves the alias or fails with the decision', async () => {
      const { runId, upstream } = await setup();
      const base = { runId, cellId: 'ship', config: config({ model: 'gated', approval: 'required', approvalTimeout: '2h' }), upstream, dataRoots: [dir] };
      const ctx = makeCellContext(t.db, base);
      const first = await deployExecutor(ctx);
      expect(first.pending).toMatchObject({ type: 'approval', timeoutMs: 2 * 3600_000 });
      expect(first.pending?.type === 'approval' && first.pending.summary).toContain('v1 (new)');
      await expect(resolve({ db: t.db }, 'gated', { alias: 'challenger' })).rejects.toThrow(/no alias/);
      const rejected = deployExecutor({ ...ctx, resume: { type: 'approval', decision: 'rejected', by: 'dana', note: 'AUC too low' } });
      await expect(rejected).rejects.toThrow(new LoomInputError('deployment of gated v1 rejected by dana: AUC too low'));
      await expect(deployExecutor({ ...ctx, resume: { type: 'approval', decision: 'timed_out' } })).rejects.toThrow(/timed out after 2h/);
      const ok = await deployExecutor({ ...ctx, resume: { type: 'approval', decision: 'approved', by: 'dana' } });
      expect(ok.values).toMatchObject({ version: 1, alias: 'challenger' });
      const v = await resolve({ db: t.db }, 'gated', { alias: 'challenger' });
      const history = await aliasHistory({ db: t.db }, v.modelId);
      expect(history[0]).toMatchObject({ by: 'dana', toVersionId: v.id });
    });

    it('refuses configs and upstreams it cannot deploy, naming the fix', async () => {
      expect(deployConfigSchema.safeParse({ model: 'Bad Name' }).success).toBe(false);
      expect(deployConfigSchema.safeParse({ model: 'm', alias: 'prod' }).success).toBe(false);
      expect(deployConfigSchema.safeParse({ model: 'm', approvalTimeout: '90d' }).success).toBe(false);
      expect(deployConfigSchema.safeParse({ model: 'm', approvalTimeout: 'soon' }).success).toBe(false);
      expect(deployConfigSchema.safeParse({ model: 'm', extra: 1 }).success).toBe(false);
      expect(deployConfigSchema.parse({ model: 'm' })).toMatchObject({ alias: 'challenger', approval: 'none', approvalTimeout: 86_400_000 });
      const { runId, upstream } = await setup(false);
      const mk = (over: object) => makeCellContext(t.db, { runId, cellId: 'ship', config: config({ model: 'refused' }), upstream, dataRoots: [dir], ...over });
      await expect(deployExecutor(mk({ config: config({ model: 'refused', from: 'nowhere' }) }))).rejects.toThrow(/"nowhere" is not upstream/);
      await expect(deployExecutor(mk({ upstream: { train: { values: { model: '/etc/passwd' }, outputHash: 'h' } } }))).rejects.toThrow(/outside the artifact store/);
      const junk = path.join(dir, 'junk.onnx');
      fs.writeFileSync(junk, 'not a model');
      await expect(deployExecutor(mk({ upstream: { train: { values: { model: junk }, outputHash: 'h' } } }))).rejects.toThrow(/cannot be deployed/);
      await expect(deployExecutor(mk({ upstream: {} }))).rejects.toThrow(/no finetune cell upstream/);
    });
  });
});

describe('model registry on Postgres: concurrent deploys over real parallel connections', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('gives eight concurrent registrations distinct consecutive versions, and a retried one its first version', async () => {
    const { runId } = await insertTestRun(t.db);
    const register = (cellId: string) => registerVersion({ db: t.db }, {
      model: 'parallel', runId, cellId, artifactPath: (n) => `/registry/parallel/${n}.onnx`, artifactSha256: 'abc', metrics: { auc: 0.9 },
      featureSpec: testTransform() as never,
    });
    const cells = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const results = await Promise.all([...cells, 'a', 'b'].map((c) => register(c)));
    const byCell = new Map<string, number>();
    for (const [i, r] of results.entries()) {
      const cell = [...cells, 'a', 'b'][i]!;
      const seen = byCell.get(cell);
      if (seen !== undefined) expect(r.version.version).toBe(seen);
      else byCell.set(cell, r.version.version);
    }
    expect([...byCell.values()].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const model = await getModel({ db: t.db }, 'parallel');
    expect(await listVersions({ db: t.db }, model.id)).toHaveLength(8);
  });
});
