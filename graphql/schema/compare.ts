import type { CellDiff, CellSide, ChartDiff, MetricDiff, ParamDiff, RunComparison, RunHeader } from '../../export/run-diff.js';
import { compareRuns } from '../../services/compare.js';
import { exportRunHtml, exportRunIpynb } from '../../services/export/index.js';
import { builder } from '../builder.js';
import { RunRef } from './run.js';

// Run reports: comparison of two runs, and a run exported as .ipynb or HTML.

const RunHeaderRef = builder.objectRef<RunHeader>('RunHeader').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    notebook: t.exposeString('notebook'),
    version: t.exposeInt('version'),
    status: t.exposeString('status'),
  }),
});

const ParamDiffRef = builder.objectRef<ParamDiff>('ParamDiff').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    a: t.expose('a', { type: 'JSON', nullable: true }),
    b: t.expose('b', { type: 'JSON', nullable: true }),
    changed: t.exposeBoolean('changed'),
  }),
});

const CellSideRef = builder.objectRef<CellSide>('CellSide').implement({
  fields: (t) => ({
    status: t.exposeString('status'),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    cached: t.exposeBoolean('cached'),
  }),
});

const CellDiffRef = builder.objectRef<CellDiff>('CellDiff').implement({
  fields: (t) => ({
    cellId: t.exposeString('cellId'),
    kind: t.exposeString('kind'),
    a: t.field({ type: CellSideRef, nullable: true, resolve: (c) => c.a }),
    b: t.field({ type: CellSideRef, nullable: true, resolve: (c) => c.b }),
  }),
});

const MetricDiffRef = builder.objectRef<MetricDiff>('MetricDiff').implement({
  fields: (t) => ({
    cellId: t.exposeString('cellId'),
    name: t.exposeString('name'),
    a: t.exposeFloat('a', { nullable: true }),
    b: t.exposeFloat('b', { nullable: true }),
    delta: t.exposeFloat('delta', { nullable: true }),
  }),
});

const ChartDiffRef = builder.objectRef<ChartDiff>('ChartDiff').implement({
  fields: (t) => ({
    cellId: t.exposeString('cellId'),
    spec: t.expose('spec', { type: 'JSON', description: 'Vega-Lite v5 with both runs, told apart by the `run` field.' }),
  }),
});

const RunComparisonRef = builder.objectRef<RunComparison>('RunComparison').implement({
  description: 'Two runs side by side.',
  fields: (t) => ({
    a: t.field({ type: RunHeaderRef, resolve: (c) => c.a }),
    b: t.field({ type: RunHeaderRef, resolve: (c) => c.b }),
    params: t.field({ type: [ParamDiffRef], resolve: (c) => c.params }),
    sourceDiff: t.exposeString('sourceDiff', { description: 'Unified diff of the notebook versions; empty when identical.' }),
    cells: t.field({ type: [CellDiffRef], resolve: (c) => c.cells }),
    metrics: t.field({ type: [MetricDiffRef], resolve: (c) => c.metrics }),
    charts: t.field({ type: [ChartDiffRef], resolve: (c) => c.charts }),
  }),
});

builder.queryFields((t) => ({
  compareRuns: t.field({
    type: RunComparisonRef,
    args: { a: t.arg.id({ required: true }), b: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => compareRuns(ctx, String(args.a), String(args.b)),
  }),
}));

builder.objectFields(RunRef, (t) => ({
  exportIpynb: t.string({
    description: 'The run as an nbformat 4.5 notebook (JSON text of a .ipynb file).',
    resolve: (r, _args, ctx) => exportRunIpynb(ctx, r.id),
  }),
  exportHtml: t.string({
    description: 'The run as a self-contained HTML report (charts as inline SVG).',
    resolve: (r, _args, ctx) => exportRunHtml(ctx, r.id),
  }),
}));
