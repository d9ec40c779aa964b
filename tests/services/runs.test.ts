import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client, Connection } from '@temporalio/client';
import { runCells } from '../../db/schema/cells.js';
import { runs } from '../../db/schema/runs.js';
import type { RunPlan } from '../../core/run-plan.js';
import { TASK_QUEUES } from '../../core/queues.js';
import { saveNotebook } from '../../services/notebooks.js';
import { cancelRun, getRun, launchRun, launchRunFromSource, listRuns } from '../../services/runs.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../services/errors.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../helpers/databases.js';
import { startDevServer } from '../helpers/temporal.js';
import { notebookSource } from './fixtures.js';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServer();
});
afterAll(async () => {
  await env?.teardown();
});

describe.each(DRIVERS)('runs on %s', (driver) => {
  let t: TestDatabase;
  const deps = () => ({ db: t.db, temporal: env.client });
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    const saved = await saveNotebook(t, notebookSource());
    if ('issues' in saved) throw new Error(JSON.stringify(saved.issues));
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores the run and its cells, then starts the workflow with the plan', async () => {
    const run = await launchRun(deps(), { notebook: 'weekly-report', params: { days: 30 }, launchedBy: 'cli' });
    expect(run.id).toMatch(/^run-[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(run.status).toBe('queued');
    expect(run.params).toEqual({ days: 30 });
    const cells = await t.db.orm.select().from(runCells).where(eq(runCells.runId, run.id)).orderBy(runCells.position);
    expect(cells.map((c) => [c.cellId, c.status, c.position, c.queue])).toEqual([
      ['summary', 'pending', 0, TASK_QUEUES.cpu],
      ['again', 'pending', 1, TASK_QUEUES.cpu],
    ]);
    expect(cells.every((c) => typeof c.inputHash === 'string' && c.inputHash.length > 0)).toBe(true);

    const handle = env.client.workflow.getHandle(run.id);
    const described = await handle.describe();
    expect(described.type).toBe('campaignRun');
    expect(described.taskQueue).toBe(TASK_QUEUES.cpu);
    expect(described.status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0];
    const plan = JSON.parse(Buffer.from(payload!.data!).toString('utf8')) as RunPlan;
    expect(plan).toMatchObject({ runId: run.id, notebookName: 'weekly-report', params: { days: 30 } });
    expect(plan.cells.map((c) => c.id)).toEqual(['summary', 'again']);
    expect(plan.cells[0]!.config).toMatchObject({ query: 'select 30 as days' });
  });

  it('refuses bad params with BAD_USER_INPUT naming the param, and stores no run', async () => {
    const before = (await t.db.orm.select().from(runs)).length;
    const err = await launchRun(deps(), { notebook: 'weekly-report', params: { days: 500 }, launchedBy: 'cli' }).catch((e) => e);
    expect(err).toBeInstanceOf(BadUserInputError);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.message).toMatch(/days/);
    const wrongType = await launchRun(deps(), { notebook: 'weekly-report', params: { days: 'lots' }, launchedBy: 'cli' }).catch((e) => e);
    expect(wrongType.message).toMatch(/days/);
    await expect(launchRun(deps(), { notebook: 'weekly-report', params: [] as never, launchedBy: 'cli' })).rejects.toThrow(/JSON object/);
    await expect(launchRun(deps(), { notebook: 'ghost', params: {}, launchedBy: 'cli' })).rejects.toThrow(NotFoundError);
    await expect(launchRun(deps(), { notebook: 'weekly-report', version: 7, params: {}, launchedBy: 'cli' })).rejects.toThrow(/no version 7/);
    expect((await t.db.orm.select().from(runs)).length).toBe(before);
  });

  it('marks the run failed with the reason when Temporal refuses the start', async () => {
    // Fault injected on purpose: a client whose server does not exist.
    const connection = await Connection.connect({ address: env.connection.options.address, connectTimeout: 2_000 });
    const broken = new Client({ connection, namespace: 'no-such-namespace' });
    const run = await launchRun({ db: t.db, temporal: broken }, { notebook: 'weekly-report', params: {}, launchedBy: 'cli' });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Temporal did not start the run/);
    expect(run.error).toMatch(/no-such-namespace/);
    await connection.close();
  });

  it('cancels a running run and refuses finished or unknown runs', async () => {
    const run = await launchRun(deps(), { notebook: 'weekly-report', params: {}, launchedBy: 'cli' });
    await cancelRun(deps(), run.id);
    const described = await env.client.workflow.getHandle(run.id).describe();
    // With no worker the cancel request waits in history; it was accepted, not refused.
    const history = await env.client.workflow.getHandle(run.id).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
    expect(['RUNNING', 'CANCELLED']).toContain(described.status.name);

    await t.db.orm.update(runs).set({ status: 'succeeded' }).where(eq(runs.id, run.id));
    await expect(cancelRun(deps(), run.id)).rejects.toThrow(ConflictError);
    await expect(cancelRun(deps(), 'run-unknown')).rejects.toThrow(NotFoundError);

    const other = await launchRun(deps(), { notebook: 'weekly-report', params: {}, launchedBy: 'cli' });
    await env.client.workflow.getHandle(other.id).terminate('test');
    await expect(cancelRun(deps(), other.id)).rejects.toThrow(/already finished in Temporal \(terminated\)/);
  });

  it('launches from source: saves (or reuses) the version and runs it', async () => {
    const run = await launchRunFromSource(deps(), { source: notebookSource(), params: { days: 3 }, launchedBy: 'cli' });
    expect((await getRun(t, run.id))?.params).toEqual({ days: 3 });
    const bad = await launchRunFromSource(deps(), { source: 'no front matter', params: {}, launchedBy: 'cli' }).catch((e) => e);
    expect(bad).toBeInstanceOf(BadUserInputError);
    expect(bad.message).toMatch(/line \d+:\d+/);
  });

  it('lists runs newest first with keyset pages and filters', async () => {
    const all = await listRuns(t, { first: 100 });
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listRuns(t, { first: 2, after });
      seen.push(...page.runs.map((r) => r.id));
      if (!page.hasNextPage) break;
      after = page.runs.at(-1)!.cursor;
    }
    expect(seen).toEqual(all.runs.map((r) => r.id));
    expect(new Set(seen).size).toBe(seen.length);
    const failed = await listRuns(t, { first: 100, status: 'failed' });
    expect(failed.runs.every((r) => r.status === 'failed')).toBe(true);
    expect(failed.runs.length).toBeGreaterThan(0);
    await expect(listRuns(t, { first: 0 })).rejects.toThrow(/"first"/);
    await expect(listRuns(t, { first: 5, after: 'bm90IGpzb24' })).rejects.toThrow(/cursor/);
    await expect(listRuns(t, { first: 5, status: 'exploded' as never })).rejects.toThrow(/Unknown run status/);
  });
});
