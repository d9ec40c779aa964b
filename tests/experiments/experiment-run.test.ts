import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cellOutputs, experiments, experimentSnapshots } from '../../db/schema/index.js';
import { aliasTarget } from '../../services/models.js';
import { launchRunFromSource } from '../../services/runs.js';
import { MIME } from '../../core/mime.js';
import { TEST_KINDS } from '../helpers/test-kinds.js';
import { registerChampionAndChallenger, startExperimentHarness, type ExperimentHarness } from './harness.js';

let h: ExperimentHarness;
beforeAll(async () => { h = await startExperimentHarness('postgres'); });
afterAll(async () => { await h?.close(); });

function notebook(name: string, cell: string): string {
  return `---\nname: ${name}\n---\n# A/B\n\n\`\`\`cell abtest id=ab\n${cell}\n\`\`\`\n`;
}

async function runToEnd(source: string) {
  const run = await launchRunFromSource({ db: h.db, temporal: h.env.client, kinds: TEST_KINDS }, { source, params: {}, launchedBy: 'test' });
  // Awaiting the result lets the time-skipping server jump over the experiment's timers.
  const outcome = await h.env.client.workflow.getHandle(run.id).result().catch((e: unknown) => e);
  return { runId: run.id, outcome };
}

describe('abtest cell and experimentRun workflow (time-skipping server)', () => {
  it('stops early on a planted effect and promotes the challenger to champion', async () => {
    const ids = await registerChampionAndChallenger(h.db, 'intent-effect');
    const { runId, outcome } = await runToEnd(notebook('ab-effect', [
      'name: ab-effect',
      'model: intent-effect',
      'arms: { control: { weight: 50, alias: champion }, treatment: { weight: 50, alias: challenger } }',
      'metric: { type: repeat_purchase, days: 7 }',
      'guardrails: [{ type: negative_review_rate, days: 7 }]',
      'minDuration: 7d',
      'maxDuration: 40d',
      'simulate: { customers: 6000, seed: 7, effect: 1.5 }',
    ].join('\n')));
    expect(outcome).not.toBeInstanceOf(Error);
    const [exp] = await h.db.orm.select().from(experiments).where(eq(experiments.name, 'ab-effect'));
    expect(exp?.decision).toBe('ship');
    const snaps = await h.db.orm.select().from(experimentSnapshots).where(eq(experimentSnapshots.experimentId, exp!.id));
    // Stopped before the maximum of 40 daily analyses.
    expect(snaps.length).toBeGreaterThanOrEqual(7);
    expect(snaps.length).toBeLessThan(40);
    expect((await aliasTarget({ db: h.db }, 'intent-effect', 'champion'))?.id).toBe(ids.challenger);
    const outputs = await h.db.orm.select().from(cellOutputs).where(eq(cellOutputs.runId, runId));
    const kinds = outputs.flatMap((o) => Object.keys(o.data));
    expect(kinds).toContain(MIME.vegaLite);
    expect(kinds).toContain(MIME.html);
  });

  it('runs an A/A test to its maximum duration and leaves the champion in place', async () => {
    const ids = await registerChampionAndChallenger(h.db, 'intent-aa');
    const { outcome } = await runToEnd(notebook('ab-aa', [
      'name: ab-aa',
      'model: intent-aa',
      'arms: { control: { weight: 1, alias: champion }, treatment: { weight: 1, alias: challenger } }',
      'metric: { type: purchases }',
      'maxDuration: 21d',
      'simulate: { customers: 3000, seed: 3, effect: 0 }',
    ].join('\n')));
    expect(outcome).not.toBeInstanceOf(Error);
    const [exp] = await h.db.orm.select().from(experiments).where(eq(experiments.name, 'ab-aa'));
    expect(exp?.decision).toBe('inconclusive');
    const snaps = await h.db.orm.select().from(experimentSnapshots).where(eq(experimentSnapshots.experimentId, exp!.id));
    expect(snaps).toHaveLength(21);
    expect((await aliasTarget({ db: h.db }, 'intent-aa', 'champion'))?.id).toBe(ids.champion);
    // The challenger is rolled back to the champion's version.
    expect((await aliasTarget({ db: h.db }, 'intent-aa', 'challenger'))?.id).toBe(ids.champion);
  });
});

describe('experimentRun on its own', () => {
  it('blocks promotion when the split has a sample ratio mismatch', async () => {
    const ids = await registerChampionAndChallenger(h.db, 'intent-srm');
    const { createExperiment } = await import('../../services/experiments/store.js');
    const start = new Date('2026-02-01T00:00:00Z');
    const { experiment } = await createExperiment({ db: h.db }, {
      name: 'ab-srm', modelName: 'intent-srm', runId: 'run-srm', cellId: 'ab', startedAt: start,
      config: { metric: { type: 'purchases', better: 'higher' }, guardrails: [], alpha: 0.05, sequential: { nStar: 5000 }, cuped: true },
      arms: [
        { name: 'control', weight: 1, modelAlias: 'champion', modelVersionId: ids.champion },
        { name: 'treatment', weight: 1, modelAlias: 'challenger', modelVersionId: ids.challenger },
      ],
    });
    // Exposures 1200 : 800 on a 50/50 split: treatment exposures are being lost.
    await h.db.query(
      `INSERT INTO experiment_exposures (experiment_id, customer_id, arm, first_exposed_at)
       SELECT $1, 'c' || i, CASE WHEN i <= 1200 THEN 'control' ELSE 'treatment' END, $2::timestamptz FROM generate_series(1, 2000) i`,
      [experiment.id, start.toISOString()]);
    const outcome = await h.env.client.workflow.execute('experimentRun', {
      taskQueue: 'loom-cpu', workflowId: `experiment-${experiment.id}`,
      args: [{ experimentId: experiment.id, startMs: start.getTime(), analyzeEveryMs: 86_400_000, minDurationMs: 7 * 86_400_000, maxDurationMs: 28 * 86_400_000, simulateTickMs: 1000 }],
    }) as { decision: string; promoted: boolean; analyses: number };
    expect(outcome.decision).toBe('blocked');
    expect(outcome.promoted).toBe(false);
    expect(outcome.analyses).toBe(1);
    const [exp] = await h.db.orm.select().from(experiments).where(eq(experiments.id, experiment.id));
    expect(exp?.reason).toMatch(/sample ratio mismatch/);
    expect((await aliasTarget({ db: h.db }, 'intent-srm', 'champion'))?.id).toBe(ids.champion);
  });

  it('keeps a 60-day experiment with daily analysis far below history limits by continuing as new', async () => {
    const run = await launchRunFromSource({ db: h.db, temporal: h.env.client, kinds: TEST_KINDS }, {
      source: notebook('ab-60d', ['name: ab-60d', 'arms: { control: { weight: 1, alias: none }, treatment: { weight: 1, alias: none } }', 'metric: { type: purchases }', 'maxDuration: 60d', 'simulate: { customers: 300, seed: 1, effect: 0 }'].join('\n')),
      params: {}, launchedBy: 'test',
    });
    await h.env.client.workflow.getHandle(run.id).result();
    const [exp] = await h.db.orm.select().from(experiments).where(eq(experiments.name, 'ab-60d'));
    expect(exp?.decision).toBe('inconclusive');
    const snaps = await h.db.orm.select().from(experimentSnapshots).where(eq(experimentSnapshots.experimentId, exp!.id));
    expect(snaps).toHaveLength(60);
    // Walk the chain of runs of the child workflow: each history stays small.
    const lengths: number[] = [];
    for (const r of await listRuns(`experiment-${exp!.id}`)) {
      const history = await h.env.client.workflow.getHandle(`experiment-${exp!.id}`, r).fetchHistory();
      lengths.push(history.events?.length ?? 0);
    }
    expect(lengths.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...lengths)).toBeLessThan(400);
  });
});

describe('operator controls', () => {
  it('an admin decides manually over GraphQL; the workflow promotes and says who decided', async () => {
    const ids = await registerChampionAndChallenger(h.db, 'intent-manual');
    const { createExperiment } = await import('../../services/experiments/store.js');
    const { testYoga, tokenFor, gql, codes } = await import('../graphql/client.js');
    const start = new Date('2026-03-01T00:00:00Z');
    const { experiment } = await createExperiment({ db: h.db }, {
      name: 'ab-manual', modelName: 'intent-manual', runId: 'run-manual', cellId: 'ab', startedAt: start,
      config: { metric: { type: 'purchases', better: 'higher' }, guardrails: [], alpha: 0.05, sequential: { nStar: 5000 }, cuped: true },
      arms: [
        { name: 'control', weight: 1, modelAlias: 'champion', modelVersionId: ids.champion },
        { name: 'treatment', weight: 1, modelAlias: 'challenger', modelVersionId: ids.challenger },
      ],
    });
    const handle = await h.env.client.workflow.start('experimentRun', {
      taskQueue: 'loom-cpu', workflowId: `experiment-${experiment.id}`,
      args: [{ experimentId: experiment.id, startMs: start.getTime(), analyzeEveryMs: 86_400_000, minDurationMs: 86_400_000, maxDurationMs: 28 * 86_400_000, simulateTickMs: null }],
    });
    const yoga = testYoga(h.db, h.env.client);
    const res = await gql(yoga, await tokenFor(h.db, 'admin'), 'mutation { decideExperiment(experiment: "ab-manual", decision: ship, reason: "launch deadline") { name } }');
    expect(codes(res)).toEqual([]);
    const outcome = await handle.result() as { decision: string; promoted: boolean; reason: string };
    expect(outcome).toMatchObject({ decision: 'ship', promoted: true });
    expect(outcome.reason).toMatch(/decided manually by admin-test: launch deadline/);
    expect((await aliasTarget({ db: h.db }, 'intent-manual', 'champion'))?.id).toBe(ids.challenger);
    const again = await gql(yoga, await tokenFor(h.db, 'launcher'), 'mutation { stopExperiment(experiment: "ab-manual") { name } }');
    expect(codes(again)).toEqual(['CONFLICT']);
  });
});

/** Every run id of a workflow id, following continue-as-new from the first run. */
async function listRuns(workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  const first = await h.env.client.workflow.getHandle(workflowId).describe();
  // The latest run is what describe() returns; walk back through each history's start event.
  let cur: string | undefined = first.runId;
  while (cur) {
    ids.push(cur);
    const history: Awaited<ReturnType<ReturnType<typeof h.env.client.workflow.getHandle>['fetchHistory']>> = await h.env.client.workflow.getHandle(workflowId, cur).fetchHistory();
    const previous: string | null | undefined = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    cur = previous ?? undefined;
  }
  return ids;
}
