import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { stateQuery } from '../../workflows/definitions.js';
import { cancelRun } from '../../services/runs.js';
import { startTestStack, type TestStack } from '../helpers/loom-stack.js';

const notebook = (name: string, cells: string, params = '') => `---
name: ${name}
${params}---
# ${name}
Prose stays prose.

${cells}`;

const cell = (kind: string, header: string, body: string) => '```cell ' + kind + ' ' + header + '\n' + body + '\n```\n';

describe('campaignRun on a real Temporal dev server and Postgres', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ driver: 'postgres' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('walks the graph in dependency order with independent branches in parallel', async () => {
    const source = notebook(
      'branches',
      cell('echo', 'id=start', 'value: "${params.greeting}"') +
        cell('wait', 'id=left needs=[start]', 'ms: 1200') +
        cell('wait', 'id=right needs=[start]', 'ms: 1200') +
        cell('echo', 'id=join needs=[left, right]', 'value: "${cells.start.value}-joined"'),
      'params:\n  greeting: { type: string, default: hello }\n',
    );
    const runId = await stack.launch(source, { greeting: 'hi' });
    const run = await stack.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    const cells = await stack.cells(runId);
    expect(cells.map((c) => [c.cellId, c.status])).toEqual([
      ['start', 'succeeded'], ['left', 'succeeded'], ['right', 'succeeded'], ['join', 'succeeded'],
    ]);
    const byId = Object.fromEntries(cells.map((c) => [c.cellId, c]));
    // Both branches started before either finished: they ran in parallel.
    expect(byId.left!.startedAt!.getTime()).toBeLessThan(byId.right!.finishedAt!.getTime());
    expect(byId.right!.startedAt!.getTime()).toBeLessThan(byId.left!.finishedAt!.getTime());
    // The join started only after both branches ended and resolved an upstream reference.
    expect(byId.join!.startedAt!.getTime()).toBeGreaterThanOrEqual(Math.max(byId.left!.finishedAt!.getTime(), byId.right!.finishedAt!.getTime()));
    expect(byId.join!.result).toMatchObject({ value: 'hi-joined' });
    const outcome = await stack.env.client.workflow.getHandle(runId).result();
    expect(outcome.status).toBe('succeeded');
  });

  test('a transient fault retried N times shows N+1 attempts, then succeeds', async () => {
    const runId = await stack.launch(notebook('flaky', cell('flaky', 'id=shaky', 'failures: 2')));
    const run = await stack.waitForRun(runId);
    expect(run.status).toBe('succeeded');
    const attempts = await stack.attempts(runId, 'shaky');
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'succeeded']]);
    expect(attempts[0]!.error).toContain('injected transient fault 1/2');
    const [shaky] = await stack.cells(runId);
    expect(shaky).toMatchObject({ status: 'succeeded', attempt: 3, error: null });
  });

  test('bad input is not retried, its message reaches the user verbatim, downstream cells are skipped', async () => {
    const message = 'column "spend" is not numeric at line 12: fix the file or declare the column as text';
    const runId = await stack.launch(
      notebook('bad', cell('invalid', 'id=broken', `message: '${message}'`) + cell('echo', 'id=after', 'value: 1') + cell('echo', 'id=independent needs=[]', 'value: 2')),
    );
    const run = await stack.waitForRun(runId);
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`cell "broken" failed: ${message}`);
    const attempts = await stack.attempts(runId, 'broken');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: 'failed', error: message, errorType: 'LoomInputError' });
    const cells = Object.fromEntries((await stack.cells(runId)).map((c) => [c.cellId, c]));
    expect(cells.broken).toMatchObject({ status: 'failed', error: message });
    expect(cells.after).toMatchObject({ status: 'skipped' });
    expect(cells.independent).toMatchObject({ status: 'succeeded' });
    const failure = await stack.env.client.workflow.getHandle(runId).result().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
  });

  test('a gpu cell runs on the loom-gpu worker', async () => {
    const runId = await stack.launch(notebook('gpu', cell('echo', 'id=cpu_cell', 'value: a') + cell('echo', 'id=gpu_cell queue=gpu', 'value: b')));
    expect((await stack.waitForRun(runId)).status).toBe('succeeded');
    const [cpuAttempt] = await stack.attempts(runId, 'cpu_cell');
    const [gpuAttempt] = await stack.attempts(runId, 'gpu_cell');
    expect(cpuAttempt!.workerIdentity).toMatch(/^loom-cpu@/);
    expect(gpuAttempt!.workerIdentity).toMatch(/^loom-gpu@/);
  });

  test('the state query shows live cells; cancellation cancels the running activity', async () => {
    const runId = await stack.launch(notebook('cancel', cell('wait', 'id=slow', 'ms: 60000') + cell('echo', 'id=never', 'value: x')));
    const handle = stack.env.client.workflow.getHandle(runId);
    for (let i = 0; i < 100; i++) {
      const [slow] = await stack.cells(runId);
      if (slow?.status === 'running' && slow.progress) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('running');
    expect(state.cells.map((c) => [c.id, c.status])).toEqual([['slow', 'running'], ['never', 'pending']]);
    await cancelRun({ db: stack.db, temporal: stack.env.client, kinds: stack.kinds }, runId);
    const run = await stack.waitForRun(runId);
    expect(run.status).toBe('cancelled');
    const cells = Object.fromEntries((await stack.cells(runId)).map((c) => [c.cellId, c.status]));
    expect(cells).toEqual({ slow: 'cancelled', never: 'cancelled' });
    // The activity itself hears of the cancellation at its next heartbeat and stops.
    let attempt = (await stack.attempts(runId, 'slow'))[0];
    for (let i = 0; i < 100 && attempt?.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      attempt = (await stack.attempts(runId, 'slow'))[0];
    }
    expect(attempt).toMatchObject({ status: 'cancelled' });
    expect((await stack.cells(runId))[0]).toMatchObject({ status: 'cancelled' });
  });
});
