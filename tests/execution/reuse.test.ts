import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { approvalSignal } from '../../workflows/definitions.js';
import { rerunFrom, retryFailed } from '../../services/reruns.js';
import { launchRun } from '../../services/runs.js';
import { startTestStack, type TestStack } from '../helpers/loom-stack.js';

const cell = (kind: string, header: string, body: string) => '```cell ' + kind + ' ' + header + '\n' + body + '\n```\n';
const notebook = (name: string, params: string, cells: string) => `---\nname: ${name}\nparams:\n${params}---\n${cells}`;

describe('content-addressed cache, rerun-from, retry-failed and two-phase cells', () => {
  let stack: TestStack;
  const deps = () => ({ db: stack.db, temporal: stack.env.client, kinds: stack.kinds });
  beforeAll(async () => {
    stack = await startTestStack({ driver: 'postgres' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const cached = async (runId: string) =>
    Object.fromEntries((await stack.cells(runId)).map((c) => [c.cellId, c.cachedFromRunId]));

  test('changing one param recomputes exactly the cells that depend on it', async () => {
    const source = notebook(
      'cache-demo',
      '  x: { type: int, default: 1 }\n  y: { type: int, default: 1 }\n',
      cell('echo', 'id=a', 'value: ${params.x}') +
        cell('echo', 'id=b needs=[a]', 'value: "${cells.a.value}-b"') +
        cell('echo', 'id=c needs=[]', 'value: ${params.y}'),
    );
    const first = await stack.launch(source);
    expect((await stack.waitForRun(first)).status).toBe('succeeded');
    expect(await cached(first)).toEqual({ a: null, b: null, c: null });

    const same = await stack.launch(source);
    expect((await stack.waitForRun(same)).status).toBe('succeeded');
    expect(await cached(same)).toEqual({ a: first, b: first, c: first });
    // Reused outputs are referenced to the origin run and keep their values.
    const b = (await stack.cells(same)).find((c) => c.cellId === 'b')!;
    expect(b.result).toMatchObject({ value: '1-b' });

    const changed = await stack.launch(source, { x: 2 });
    expect((await stack.waitForRun(changed)).status).toBe('succeeded');
    expect(await cached(changed)).toEqual({ a: null, b: null, c: first });
    expect((await stack.cells(changed)).find((c) => c.cellId === 'b')!.result).toMatchObject({ value: '2-b' });

    const uncached = await launchRun(deps(), { notebook: 'cache-demo', params: {}, launchedBy: 'test', cache: false });
    expect((await stack.waitForRun(uncached.id)).status).toBe('succeeded');
    expect(await cached(uncached.id)).toEqual({ a: null, b: null, c: null });
  });

  test('rerunFrom reuses what is upstream of the cell and recomputes the rest, with lineage both ways', async () => {
    const marker = path.join(stack.tmpDir, 'broken-marker');
    fs.writeFileSync(marker, 'x');
    const source = notebook(
      'rerun-demo',
      '  v: { type: string, default: first }\n',
      cell('echo', 'id=load', 'value: loaded') +
        cell('marker', 'id=fragile needs=[load]', `failWhileExists: ${JSON.stringify(marker)}`) +
        cell('echo', 'id=report needs=[fragile]', 'value: "${params.v}"'),
    );
    const failed = await stack.launch(source);
    expect((await stack.waitForRun(failed)).status).toBe('failed');
    expect((await stack.cells(failed)).map((c) => [c.cellId, c.status])).toEqual([['load', 'succeeded'], ['fragile', 'failed'], ['report', 'skipped']]);

    fs.rmSync(marker);
    const rerun = await rerunFrom(deps(), { runId: failed, cellId: 'fragile', params: { v: 'second' }, launchedBy: 'test' });
    expect(rerun.parentRunId).toBe(failed);
    expect((await stack.waitForRun(rerun.id)).status).toBe('succeeded');
    const cells = Object.fromEntries((await stack.cells(rerun.id)).map((c) => [c.cellId, c]));
    expect(cells.load!.cachedFromRunId).toBe(failed);
    expect(cells.fragile!.cachedFromRunId).toBeNull();
    expect(cells.report).toMatchObject({ status: 'succeeded', cachedFromRunId: null, result: expect.objectContaining({ value: 'second' }) });

    await expect(rerunFrom(deps(), { runId: failed, cellId: 'nope', launchedBy: 'test' })).rejects.toThrow(/Cell "nope" is not in "rerun-demo"/);
    await expect(rerunFrom(deps(), { runId: 'run-01JB2M8Q1Z3X4Y5W6V7T8S9R0P', cellId: 'load', launchedBy: 'test' })).rejects.toThrow(/does not exist/);
  });

  test('retryFailed reruns only failed and downstream cells', async () => {
    const marker = path.join(stack.tmpDir, 'retry-marker');
    fs.writeFileSync(marker, 'x');
    const source = notebook(
      'retry-demo',
      '  unused: { type: int, default: 0 }\n',
      cell('echo', 'id=ok1', 'value: 1') +
        cell('marker', 'id=bad needs=[ok1]', `failWhileExists: ${JSON.stringify(marker)}`) +
        cell('echo', 'id=after needs=[bad]', 'value: 3') +
        cell('echo', 'id=side needs=[]', 'value: 4'),
    );
    const failed = await stack.launch(source);
    expect((await stack.waitForRun(failed)).status).toBe('failed');
    await expect(retryFailed(deps(), { runId: (await stack.launch(notebook('retry-ok', '  a: { type: int, default: 0 }\n', cell('echo', 'id=e', 'value: 9')))), launchedBy: 'test' })).rejects.toThrow(/still|succeeded/);
    fs.rmSync(marker);
    const retry = await retryFailed(deps(), { runId: failed, launchedBy: 'test' });
    expect((await stack.waitForRun(retry.id)).status).toBe('succeeded');
    expect(await cached(retry.id)).toEqual({ ok1: failed, bad: null, after: null, side: failed });
  });

  test('a cell that asks for approval waits for the signal: approved, rejected, timed out', async () => {
    const source = (timeoutMs: number) => notebook('approval-demo', '  n: { type: int, default: 0 }\n', cell('approval', 'id=ship', `timeoutMs: ${timeoutMs}`) + cell('echo', 'id=after', 'value: done'));
    const waitFor = async (runId: string, status: string) => {
      for (let i = 0; i < 200; i++) {
        if ((await stack.cells(runId))[0]?.status === status) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`cell never reached ${status}`);
    };

    const approved = await stack.launch(source(60_000));
    await waitFor(approved, 'awaiting_approval');
    await stack.env.client.workflow.getHandle(approved).signal(approvalSignal, { cellId: 'ship', decision: 'approved', by: 'ana' });
    expect((await stack.waitForRun(approved)).status).toBe('succeeded');
    const ship = (await stack.cells(approved))[0]!;
    expect(ship.result).toMatchObject({ decision: 'approved by ana' });
    // Phase two's attempt is numbered after phase one's.
    expect((await stack.attempts(approved, 'ship')).map((a) => [a.attempt, a.status])).toEqual([[1, 'succeeded'], [2, 'succeeded']]);

    const rejected = await stack.launch(source(60_000), { n: 1 });
    await waitFor(rejected, 'awaiting_approval');
    await stack.env.client.workflow.getHandle(rejected).signal(approvalSignal, { cellId: 'ship', decision: 'rejected', by: 'bo', note: 'metrics too low' });
    const r = await stack.waitForRun(rejected);
    expect(r.status).toBe('failed');
    expect(r.error).toContain('not approved: rejected by bo: metrics too low');
    expect((await stack.cells(rejected))[1]!.status).toBe('skipped');

    const timedOut = await stack.launch(source(500), { n: 2 });
    const t = await stack.waitForRun(timedOut);
    expect(t.status).toBe('failed');
    expect(t.error).toContain('not approved: timed_out');
  });
});
