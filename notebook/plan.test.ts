import { describe, expect, it } from 'vitest';
import { planRun, resolveParams, parseNotebook, topologicalOrder, downstreamOf } from './index.js';
import { notebookSource, TEST_KINDS, VALID } from './test-kinds.js';

const ids = { runId: 'run-01', notebookVersionId: 'nbv-01' };

describe('resolveParams', () => {
  const notebook = parseNotebook(VALID, TEST_KINDS).notebook!;
  it('coerces command-line text and accepts typed JSON', () => {
    expect(resolveParams(notebook, { epochs: '30', rate: '0.5', size: 'large' }).params).toEqual({ dataset: 'data/sample/shoppers.csv', epochs: 30, rate: 0.5, size: 'large' });
    expect(resolveParams(notebook, { epochs: 30 }).issues).toEqual([]);
  });
  it('reports bad values, bounds, enum misses and unknown names, located at the declaration', () => {
    const { issues } = resolveParams(notebook, { epochs: 'abc', rate: 'NaN', size: 'medium', epoch: 3 });
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [1, 'params.epoch'],
      [7, 'params.epochs'],
      [8, 'params.rate'],
      [9, 'params.size'],
    ]);
    expect(issues[0]?.message).toMatch(/"epoch" is not declared.*did you mean "epochs"/);
    expect(issues[1]?.message).toBe('param "epochs" expects a whole number (int), got "abc"');
    expect(resolveParams(notebook, { epochs: '501' }).issues[0]?.message).toBe('param "epochs" must be at most 500, got 501');
    expect(resolveParams(notebook, { epochs: 20.5 }).issues[0]?.message).toMatch(/whole number/);
  });
  it('requires a value for params without a default', () => {
    const nb = parseNotebook(notebookSource('name: a\nparams: { day: { type: string } }'), TEST_KINDS).notebook!;
    expect(resolveParams(nb, {}).issues[0]?.message).toMatch(/has no default; give it a value \(--param day=…\)/);
    expect(resolveParams(nb, { day: 5 }).issues[0]?.message).toMatch(/expects a string, got 5/);
    expect(resolveParams(nb, { day: 'mon' }).params).toEqual({ day: 'mon' });
  });
});

describe('planRun', () => {
  it('produces the run plan: order, queues, merged retry and timeouts, substituted config, hashes', () => {
    const { plan, issues } = planRun(VALID, TEST_KINDS, { epochs: '30' }, ids);
    expect(issues).toEqual([]);
    expect(plan).toMatchObject({ runId: 'run-01', notebookName: 'spring-loyalty', notebookVersionId: 'nbv-01', params: { epochs: 30, size: 'small' } });
    const [sessions, features, intent] = plan!.cells;
    expect(sessions).toMatchObject({ id: 'sessions', queue: 'loom-cpu', config: { source: { csv: 'data/sample/shoppers.csv' }, pii: ['customer_id', 'email'] } });
    expect(features?.config).toEqual({ query: "select * from t where size = 'small'" });
    expect(intent).toMatchObject({
      id: 'intent',
      needs: ['features', 'sessions'],
      queue: 'loom-gpu',
      retry: { maximumAttempts: 5, initialIntervalMs: 5_000, backoffCoefficient: 2, maximumIntervalMs: 60_000, nonRetryableErrorTypes: ['LoomInputError', 'LoomGateFailed'] },
      timeouts: { startToCloseMs: 7_200_000, heartbeatMs: 60_000 },
      config: { dataset: '${cells.features.dataset}', epochs: 30, rate: 0.01 },
    });
    expect(intent?.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });
  it('hashes change with the params a cell uses, and only those', () => {
    const a = planRun(VALID, TEST_KINDS, {}, ids).plan!.cells;
    const b = planRun(VALID, TEST_KINDS, { epochs: 21 }, ids).plan!.cells;
    expect(b[0]?.inputHash).toBe(a[0]?.inputHash);
    expect(b[2]?.inputHash).not.toBe(a[2]?.inputHash);
  });
  it('validates the kind config again with the run values', () => {
    const src = notebookSource('name: a\nparams: { e: { type: int, default: 5 } }', '```cell finetune id=f\ndataset: x\nepochs: ${params.e}\n```');
    expect(planRun(src, TEST_KINDS, {}, ids).issues).toEqual([]);
    const { plan, issues } = planRun(src, TEST_KINDS, { e: '0' }, ids);
    expect(plan).toBeUndefined();
    expect(issues[0]).toMatchObject({ line: 9, column: 9, cellId: 'f', field: 'epochs' });
  });
  it('returns issues for an invalid notebook or params', () => {
    expect(planRun('nonsense', TEST_KINDS, {}, ids).plan).toBeUndefined();
    expect(planRun(VALID, TEST_KINDS, { epochs: 'many' }, ids).issues[0]?.field).toBe('params.epochs');
  });
});

describe('graph helpers', () => {
  const cells = [
    { id: 'c', needs: ['a', 'b'] },
    { id: 'a', needs: [] },
    { id: 'b', needs: ['a'] },
    { id: 'd', needs: [] },
  ];
  it('orders cells after what they need, keeping document order among ready cells', () => {
    expect(topologicalOrder(cells).map((c) => c.id)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('throws naming the cycle', () => {
    expect(() => topologicalOrder([{ id: 'x', needs: ['y'] }, { id: 'y', needs: ['x'] }])).toThrow(/x → y → x/);
  });
  it('finds what depends on a cell', () => {
    expect(downstreamOf(cells, 'b')).toEqual(new Set(['b', 'c']));
  });
});
