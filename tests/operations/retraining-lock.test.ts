import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCells } from '../../db/schema/cells.js';
import { deployExecutor } from '../../activities/deploy/executor.js';
import { abtestExecutor } from '../../activities/experiments/abtest.js';
import { deployConfigSchema } from '../../kinds/deploy.js';
import { abtestConfigSchema } from '../../kinds/abtest.js';
import { aliasHistory, resolve } from '../../services/models.js';
import { createExperiment, listExperiments } from '../../services/experiments/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';
import { WEIGHTS_A, WEIGHTS_B, writeTestModel } from '../registry/fixtures.js';

const deployConfig = (c: z.input<typeof deployConfigSchema>) => deployConfigSchema.parse(c);
const abtestConfig = (c: z.input<typeof abtestConfigSchema>) => abtestConfigSchema.parse(c);

/**
 * While an experiment is live on a model, a retraining run (typically the nightly schedule) may
 * train and evaluate, but must not move the model's aliases or start a second experiment.
 */
describe('experiment-aware retraining (Postgres)', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-lock-'));
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function trainedRun(weights: number[]) {
    const { runId } = await insertTestRun(t.db);
    const model = writeTestModel(path.join(dir, runId), 'model.onnx', { weights, bias: 0 });
    await t.db.orm.insert(runCells).values([{ runId, cellId: 'train', kind: 'finetune', queue: 'loom-gpu', position: 0, status: 'succeeded' as const }]);
    const upstream = { train: { values: { model, sha256: 'x', epochs: 3, bestEpoch: 2, valLoss: 0.4, valAuc: 0.8 }, outputHash: `h-${runId}` } };
    return { runId, upstream };
  }

  it('registers the retrained version but holds the alias and the new experiment, saying why', async () => {
    // The campaign that is being measured: v1 is challenger, its experiment is running.
    const first = await trainedRun(WEIGHTS_A);
    const shipped = await deployExecutor(makeCellContext(t.db, { runId: first.runId, cellId: 'ship', config: deployConfig({ model: 'intent', alias: 'challenger' }), upstream: first.upstream, dataRoots: [dir] }));
    expect(shipped.values).toMatchObject({ version: 1, alias: 'challenger' });
    const { experiment } = await createExperiment({ db: t.db }, {
      name: 'spring-test', modelName: 'intent', config: {}, runId: first.runId, cellId: 'loyalty',
      arms: [{ name: 'control', weight: 1, modelAlias: null, modelVersionId: null }, { name: 'treatment', weight: 1, modelAlias: 'challenger', modelVersionId: String(shipped.values.versionId) }],
    });

    // Tonight's retrain.
    const nightly = await trainedRun(WEIGHTS_B);
    const held = await deployExecutor(makeCellContext(t.db, { runId: nightly.runId, cellId: 'ship', config: deployConfig({ model: 'intent', alias: 'challenger' }), upstream: nightly.upstream, dataRoots: [dir] }));
    expect(held.values).toMatchObject({ version: 2, held: true, heldBy: 'spring-test' });
    expect(String(held.outputs[0]!.data['text/markdown'])).toMatch(/Deploy held: experiment \*\*spring-test\*\* is still running on \*\*intent\*\*/);
    const challenger = await resolve({ db: t.db }, 'intent', { alias: 'challenger' });
    expect(challenger.version).toBe(1);
    expect(await aliasHistory({ db: t.db }, challenger.modelId, 'challenger')).toHaveLength(1);

    const abtest = await abtestExecutor(makeCellContext(t.db, {
      runId: nightly.runId, cellId: 'loyalty',
      config: abtestConfig({ model: 'intent', arms: { control: { weight: 1, alias: 'champion' }, treatment: { weight: 1, alias: 'challenger' } }, metric: { type: 'repeat_purchase', days: 14 } }),
    }));
    expect(abtest.pending).toBeUndefined();
    expect(abtest.values).toMatchObject({ held: true, heldBy: 'spring-test', experiment: experiment.id });
    expect((await listExperiments({ db: t.db })).map((e) => e.name)).toEqual(['spring-test']);

    // Once the experiment has decided, the next retrain moves the alias again.
    await t.db.query(`UPDATE experiments SET status = 'decided' WHERE id = $1`, [experiment.id]);
    const later = await trainedRun(WEIGHTS_B);
    const moved = await deployExecutor(makeCellContext(t.db, { runId: later.runId, cellId: 'ship', config: deployConfig({ model: 'intent', alias: 'challenger' }), upstream: later.upstream, dataRoots: [dir] }));
    expect(moved.values).toMatchObject({ version: 3, alias: 'challenger' });
    expect(moved.values.held).toBeUndefined();
    expect((await resolve({ db: t.db }, 'intent', { alias: 'challenger' })).version).toBe(3);
  });
});
