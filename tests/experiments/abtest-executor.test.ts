import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abtestExecutor } from '../../activities/experiments/abtest.js';
import { abtestConfigSchema } from '../../kinds/abtest.js';
import { LoomInputError } from '../../core/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';

describe('abtest executor, first phase', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase('pglite'); });
  afterAll(async () => { await t?.drop(); });
  const config = (extra: Record<string, unknown>) => abtestConfigSchema.parse({ arms: { control: { weight: 1 }, treatment: { weight: 1 } }, metric: { type: 'purchases' }, ...extra });

  it('creates the experiment once per run and cell and asks for the experimentRun child', async () => {
    const { runId } = await insertTestRun(t.db);
    const cfg = config({ name: 'exec-once', arms: { control: { weight: 1, alias: 'none' }, treatment: { weight: 1, alias: 'none' } }, simulate: { customers: 50, seed: 2 } });
    const first = await abtestExecutor(makeCellContext(t.db, { runId, cellId: 'ab', config: cfg }));
    const retry = await abtestExecutor(makeCellContext(t.db, { runId, cellId: 'ab', config: cfg, attempt: 2 }));
    expect(first.pending).toMatchObject({ type: 'child', workflowType: 'experimentRun' });
    expect(retry.values.experiment).toBe(first.values.experiment);
    const [n] = await t.db.query<{ n: string }>('SELECT count(*) AS n FROM experiment_exposures WHERE experiment_id = $1', [first.values.experiment]);
    expect(Number(n!.n)).toBe(50);
  });

  it('refuses, with the fix, a model without the aliases, a missing model, and a name taken by another run', async () => {
    const { runId } = await insertTestRun(t.db);
    const run = (cfg: ReturnType<typeof config>, cellId = 'ab') => abtestExecutor(makeCellContext(t.db, { runId, cellId, config: cfg }));
    await expect(run(config({ name: 'e1' }))).rejects.toThrow(/routes to alias "champion" but no model is set; add model/);
    await expect(run(config({ name: 'e2', model: 'nobody' }))).rejects.toThrow(/model "nobody" has no "challenger" alias; deploy a version/);
    await expect(run(config({ name: 'e2', model: 'nobody' }))).rejects.toBeInstanceOf(LoomInputError);
    await expect(run(config({ name: 'exec-once', arms: { control: { weight: 1, alias: 'none' }, treatment: { weight: 1, alias: 'none' } } }), 'other')).rejects.toThrow(/an experiment named "exec-once" already exists/);
  });

  it('turns a failed experiment workflow into a clear cell error on the second phase', async () => {
    const { runId } = await insertTestRun(t.db);
    const cfg = config({ name: 'exec-fail', arms: { control: { weight: 1, alias: 'none' }, treatment: { weight: 1, alias: 'none' } } });
    await abtestExecutor(makeCellContext(t.db, { runId, cellId: 'ab', config: cfg }));
    await expect(abtestExecutor(makeCellContext(t.db, { runId, cellId: 'ab', config: cfg, resume: { type: 'child', ok: false, error: 'worker lost' } })))
      .rejects.toThrow(/experiment "exec-fail" failed: worker lost/);
  });
});
