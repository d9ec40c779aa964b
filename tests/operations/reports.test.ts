import fs from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIME } from '../../core/mime.js';
import { vegaLiteToSvg } from '../../export/vega-svg.js';
import { runAccounting, notebookUsage } from '../../services/accounting.js';
import { compareRuns } from '../../services/compare.js';
import { exportRunHtml, exportRunIpynb } from '../../services/export/index.js';
import { launchRunFromSource } from '../../services/runs.js';
import { BadUserInputError, NotFoundError } from '../../services/errors.js';
import { formatComparison } from '../../cli/commands/diff.js';
import { gql, testYoga, tokenFor } from '../graphql/client.js';
import { REPO_ROOT, SHARED_DATA, startTestStack, type TestStack } from '../helpers/loom-stack.js';
import { campaign, OPS_EXECUTORS, OPS_KINDS } from './support.js';

// The package is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = ((AjvDraft04 as any).default ?? AjvDraft04) as typeof AjvDraft04.default;
const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/reference/nbformat/nbformat.v4.5.schema.json'), 'utf8'));
const CSV = path.join(SHARED_DATA, 'cdnow_customers_summary.csv');

describe('run reports on real runs', () => {
  let stack: TestStack;
  let deps: { db: TestStack['db']; kinds: TestStack['kinds'] };
  let runA: string;
  let runB: string;
  let runC: string;

  beforeAll(async () => {
    stack = await startTestStack({ driver: 'pglite', kinds: OPS_KINDS, executors: OPS_EXECUTORS });
    deps = { db: stack.db, kinds: stack.kinds };
    runA = await stack.launch(campaign(CSV), { min_frequency: 2, auc: 0.8 });
    runB = await stack.launch(campaign(CSV), { min_frequency: 5, auc: 0.9 });
    // A second version of the notebook (the metric cell is slower).
    runC = await stack.launch(campaign(CSV, 400), {});
    for (const id of [runA, runB, runC]) expect((await stack.waitForRun(id)).status).toBe('succeeded');
  });
  afterAll(async () => stack?.close());

  it('exports a run to .ipynb that validates against the nbformat 4.5 schema', async () => {
    const text = await exportRunIpynb(deps, runA);
    const nb = JSON.parse(text);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(nb), JSON.stringify(validate.errors)).toBe(true);
    expect(nb.metadata.loom).toMatchObject({ runId: runA, notebook: 'cdnow-repeat', version: 1, params: { min_frequency: 2, auc: 0.8 }, status: 'succeeded' });
    expect(nb.cells.map((c: any) => c.cell_type)).toEqual(['markdown', 'code', 'markdown', 'code', 'code']);
    expect(nb.cells[0].source).toContain('# CDNOW repeat buyers');
    const code = nb.cells.filter((c: any) => c.cell_type === 'code');
    expect(code.map((c: any) => c.execution_count)).toEqual([1, 2, 3]);
    expect(code.map((c: any) => c.metadata.loom.cellId)).toEqual(['customers', 'repeaters', 'model']);
    expect(code[0].metadata.language).toBe('yaml');
    expect(code[1].source).toContain('FROM customers WHERE frequency >= ${params.min_frequency}');
    const chart = code[2].outputs.find((o: any) => o.data[MIME.vegaLite]);
    expect(chart.output_type).toBe('display_data');
    expect(chart.data[MIME.vegaLite].mark).toBe('line');
    expect(code[0].outputs.length).toBeGreaterThan(0);
  });

  it('exports a self-contained HTML report with charts as inline SVG and escaped prose', async () => {
    const html = await exportRunHtml(deps, runA);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;prose is escaped&quot;)&lt;/script&gt;');
    expect(html).toContain('<strong>again</strong>');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(Buffer.byteLength(html)).toBeLessThan(512 * 1024);
  });

  it('renders no chart data from files or URLs', async () => {
    const svg = await vegaLiteToSvg({ data: { url: '/etc/passwd', format: { type: 'csv' } }, mark: 'text', encoding: { text: { field: 'root' } } });
    expect(svg).not.toContain('root:');
  });

  it('compares two runs with different params, and two notebook versions', async () => {
    const cmp = await compareRuns(deps, runA, runB);
    expect(cmp.params).toEqual([
      { name: 'auc', a: 0.8, b: 0.9, changed: true },
      { name: 'min_frequency', a: 2, b: 5, changed: true },
    ]);
    expect(cmp.sourceDiff).toBe('');
    expect(cmp.cells.map((c) => [c.cellId, c.a?.status, c.b?.status, c.a?.attempts])).toEqual([
      ['customers', 'succeeded', 'succeeded', 1],
      ['repeaters', 'succeeded', 'succeeded', 1],
      ['model', 'succeeded', 'succeeded', 1],
    ]);
    const auc = cmp.metrics.find((m) => m.cellId === 'model' && m.name === 'auc')!;
    expect(auc.a).toBe(0.8);
    expect(auc.b).toBe(0.9);
    expect(auc.delta).toBeCloseTo(0.1, 12);
    // The aggregate query yields one row whatever the threshold: a numeric result with no change.
    const rows = cmp.metrics.find((m) => m.cellId === 'repeaters' && m.name === 'rows');
    expect(rows).toMatchObject({ a: 1, b: 1, delta: 0 });
    const [chart] = cmp.charts;
    const values = (chart!.spec as any).data.values as { run: string }[];
    expect(new Set(values.map((v) => v.run))).toEqual(new Set([runA, runB]));
    expect(values).toHaveLength(10);
    expect((chart!.spec as any).encoding.color).toEqual({ field: 'run', type: 'nominal', title: 'run' });
    expect(await vegaLiteToSvg(chart!.spec)).toContain('<svg');

    const table = formatComparison(cmp);
    expect(table).toContain('same notebook source');
    expect(table).toMatch(/│ model\s+│ auc\s+│ 0\.8\s+│ 0\.9\s+│ \+0\.1\s+│/);

    const versions = await compareRuns(deps, runA, runC);
    expect(versions.a.version).toBe(1);
    expect(versions.b.version).toBe(2);
    expect(versions.sourceDiff).toContain('-ms: 300');
    expect(versions.sourceDiff).toContain('+ms: 400');
  });

  it('accounts time from the attempt timestamps', async () => {
    const acct = await runAccounting(deps, runA);
    const cells = await stack.cells(runA);
    for (const c of acct.cells) {
      const attempts = await stack.attempts(runA, c.cellId);
      const spent = attempts.reduce((s, a) => s + (a.finishedAt!.getTime() - a.startedAt!.getTime()), 0);
      expect(c.attemptMs).toBe(spent);
      expect(c.attempts).toBe(attempts.length);
      const row = cells.find((r) => r.cellId === c.cellId)!;
      expect(c.wallMs).toBe(row.finishedAt!.getTime() - attempts[0]!.startedAt!.getTime());
    }
    const [customers, repeaters, model] = acct.cells;
    const startOf = async (id: string) => (await stack.attempts(runA, id))[0]!.startedAt!.getTime();
    const endOf = (id: string) => cells.find((r) => r.cellId === id)!.finishedAt!.getTime();
    expect(repeaters!.readyAt!.getTime()).toBe(endOf('customers'));
    expect(repeaters!.queueWaitMs).toBe((await startOf('repeaters')) - endOf('customers'));
    expect(model!.queueWaitMs).toBe((await startOf('model')) - endOf('repeaters'));
    expect(customers!.gpuSeconds).toBe(0);
    expect(model!.queue).toBe('loom-gpu');
    expect(model!.gpuSeconds).toBeGreaterThanOrEqual(0.3);
    expect(model!.gpuSeconds).toBe(model!.attemptMs / 1000);
    expect(acct.gpuSeconds).toBe(model!.gpuSeconds);

    const day = new Date();
    const usage = await notebookUsage(deps, { notebook: 'cdnow-repeat', from: new Date(day.getTime() - 86_400_000), to: new Date(day.getTime() + 86_400_000) });
    const totalGpu = (await Promise.all([runA, runB, runC].map((id) => runAccounting(deps, id)))).reduce((s, a) => s + a.gpuSeconds, 0);
    expect(usage.reduce((s, u) => s + u.runs, 0)).toBe(3);
    expect(usage.reduce((s, u) => s + u.gpuSeconds, 0)).toBeCloseTo(totalGpu, 3);
    expect(usage.reduce((s, u) => s + u.attempts, 0)).toBe(9);
  });

  it('refuses unknown and malformed run ids and bad ranges', async () => {
    await expect(exportRunIpynb(deps, 'run-01JB2M8Q1Z3X4Y5W6V7T8S9R0P')).rejects.toThrow(NotFoundError);
    await expect(exportRunHtml(deps, "run-x'; drop table runs; --")).rejects.toThrow(BadUserInputError);
    await expect(compareRuns(deps, runA, 'r'.repeat(100_000))).rejects.toThrow(/is not a run id/);
    await expect(compareRuns(deps, runA, runA)).rejects.toThrow(/compare two different runs/);
    await expect(notebookUsage(deps, { notebook: 'cdnow-repeat', from: new Date('2025-03-02'), to: new Date('2025-03-01') })).rejects.toThrow(/must be after/);
    await expect(notebookUsage(deps, { notebook: 'cdnow-repeat', from: new Date('2020-01-01'), to: new Date('2025-03-01') })).rejects.toThrow(/at most 366 days/);
    await expect(notebookUsage(deps, { notebook: 'nope', from: new Date('2025-03-01'), to: new Date('2025-03-02') })).rejects.toThrow(NotFoundError);
  });

  it('serves exports, comparison, accounting and a GPU cell waiting for a worker over GraphQL', async () => {
    const yoga = testYoga(stack.db, stack.env.client);
    const viewer = await tokenFor(stack.db, 'viewer');
    const res = await gql(yoga, viewer, `query($a: ID!, $b: ID!) {
      run(id: $a) { exportIpynb exportHtml accounting { gpuSeconds cells { cellId queueWaitMs } } }
      compareRuns(a: $a, b: $b) { params { name changed } metrics { cellId name delta } charts { cellId } }
    }`, { a: runA, b: runB });
    expect(res.body.errors).toBeUndefined();
    expect(JSON.parse(res.body.data!.run.exportIpynb).nbformat_minor).toBe(5);
    expect(res.body.data!.run.exportHtml).toContain('<svg');
    expect(res.body.data!.run.accounting.gpuSeconds).toBeGreaterThan(0);
    expect(res.body.data!.compareRuns.charts).toEqual([{ cellId: 'model' }]);
    const bad = await gql(yoga, viewer, 'query { compareRuns(a: "run-nope", b: "x") { sourceDiff } }');
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const forbidden = await gql(yoga, viewer, 'mutation { triggerSchedule(notebook: "cdnow-repeat") { id } }');
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Two GPU cells ready at once on a one-GPU worker: the second waits for it.
    const busy = await launchRunFromSource({ db: stack.db, temporal: stack.env.client, kinds: stack.kinds }, {
      source: `---\nname: gpu-queue\n---\n\`\`\`cell echo id=start\nvalue: 1\n\`\`\`\n\n\`\`\`cell curve id=first needs=[start]\nauc: 0.5\nms: 3000\n\`\`\`\n\n\`\`\`cell curve id=second needs=[start]\nauc: 0.6\nms: 3000\n\`\`\`\n`,
      params: {},
      launchedBy: 'test',
    });
    let seen: string[] = [];
    const deadline = Date.now() + 20_000;
    while (!seen.includes('waiting for a GPU worker') && Date.now() < deadline) {
      const live = await gql(yoga, viewer, 'query($id: ID!) { run(id: $id) { cells { cellId status displayStatus } } }', { id: busy.id });
      seen = live.body.data!.run.cells.map((c: any) => c.displayStatus);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toContain('waiting for a GPU worker');
    expect((await stack.waitForRun(busy.id)).status).toBe('succeeded');
  });
});
