import type { Experiment, ExperimentArm, ExperimentSnapshot } from '../../db/schema/experiments.js';
import type { MetricResult, SrmCheck } from '../../experiments/analysis.js';
import { assignCustomer, type Assignment } from '../../services/experiments/assignment.js';
import { decideExperiment, extendExperiment, MANUAL_DECISIONS, stopExperiment } from '../../services/experiments/control.js';
import { recordEvents, type IntakeResult, type RowError } from '../../services/experiments/events.js';
import { armsOf, eventCounts, exposureCounts, findExperiment, listExperiments, snapshotsOf } from '../../services/experiments/store.js';
import { BadUserInputError } from '../../services/errors.js';
import { builder } from '../builder.js';

const ArmRef = builder.objectRef<ExperimentArm & { exposures: number }>('ExperimentArm').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    weight: t.exposeFloat('weight'),
    modelAlias: t.exposeString('modelAlias', { nullable: true, description: 'Registry alias this arm serves (null: no model).' }),
    modelVersionId: t.exposeString('modelVersionId', { nullable: true, description: 'The version the alias pointed at when the experiment started.' }),
    exposures: t.exposeInt('exposures', { description: 'Customers first exposed in this arm.' }),
  }),
});

const MetricResultRef = builder.objectRef<MetricResult>('ExperimentMetricResult').implement({
  fields: (t) => ({
    metric: t.exposeString('metric'),
    role: t.exposeString('role', { description: 'primary or guardrail (guardrails only ever block).' }),
    better: t.exposeString('better'),
    arms: t.field({ type: 'JSON', resolve: (m) => m.arms }),
    absolute: t.exposeFloat('absolute', { nullable: true, description: 'Treatment − control (CUPED-adjusted when enabled).' }),
    relative: t.exposeFloat('relative', { nullable: true, description: 'Relative lift, treatment / control − 1.' }),
    ci: t.exposeFloatList('ci', { nullable: true, description: 'Always-valid interval on the relative lift.' }),
    absoluteCi: t.exposeFloatList('absoluteCi', { nullable: true }),
    pValue: t.exposeFloat('pValue', { nullable: true, description: 'Always-valid p-value.' }),
    eValue: t.exposeFloat('eValue', { nullable: true }),
    verdict: t.exposeString('verdict', { description: 'better, worse, inconclusive or insufficient_data.' }),
  }),
});

const SrmRef = builder.objectRef<SrmCheck>('ExperimentSrm').implement({
  description: 'Sample-ratio check of exposures against the configured weights; a mismatch (p < 0.001) blocks promotion.',
  fields: (t) => ({
    observed: t.field({ type: 'JSON', resolve: (s) => s.observed }),
    expected: t.field({ type: 'JSON', resolve: (s) => s.expected }),
    chiSquare: t.exposeFloat('chiSquare'),
    pValue: t.exposeFloat('pValue'),
    mismatch: t.exposeBoolean('mismatch'),
  }),
});

const SnapshotRef = builder.objectRef<ExperimentSnapshot>('ExperimentSnapshot').implement({
  fields: (t) => ({
    asOf: t.expose('asOf', { type: 'DateTime', description: 'Analysis time (simulated time in simulation mode).' }),
    takenAt: t.expose('takenAt', { type: 'DateTime' }),
    decision: t.exposeString('decision', { nullable: true }),
    results: t.field({ type: [MetricResultRef], resolve: (s) => s.results as unknown as MetricResult[] }),
    srm: t.field({ type: SrmRef, resolve: (s) => s.srm as unknown as SrmCheck }),
  }),
});

const ExperimentRef = builder.objectRef<Experiment>('Experiment').implement({
  description: 'An A/B test of a model\'s champion against its challenger on a loyalty metric.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    modelName: t.exposeString('modelName', { nullable: true }),
    status: t.exposeString('status', { description: 'running or decided.' }),
    decision: t.exposeString('decision', { nullable: true, description: 'ship, keep, inconclusive or blocked.' }),
    reason: t.exposeString('reason', { nullable: true }),
    config: t.field({ type: 'JSON', resolve: (e) => e.config }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    runId: t.exposeString('runId', { nullable: true }),
    cellId: t.exposeString('cellId', { nullable: true }),
    arms: t.field({
      type: [ArmRef],
      resolve: async (e, _a, ctx) => {
        const [arms, counts] = await Promise.all([armsOf(ctx, e.id), exposureCounts(ctx, e.id)]);
        return arms.map((a) => ({ ...a, exposures: counts[a.name] ?? 0 }));
      },
    }),
    exposures: t.int({ resolve: async (e, _a, ctx) => Object.values(await exposureCounts(ctx, e.id)).reduce((s, n) => s + n, 0) }),
    eventCounts: t.field({ type: 'JSON', description: 'Events of exposed customers since exposure, by type.', resolve: (e, _a, ctx) => eventCounts(ctx, e.id) }),
    snapshots: t.field({ type: [SnapshotRef], description: 'Every analysis, oldest first.', resolve: (e, _a, ctx) => snapshotsOf(ctx, e.id) }),
    current: t.field({
      type: [MetricResultRef],
      description: 'Results of the latest analysis, per metric.',
      resolve: async (e, _a, ctx) => ((await snapshotsOf(ctx, e.id)).at(-1)?.results ?? []) as unknown as MetricResult[],
    }),
    srm: t.field({
      type: SrmRef,
      nullable: true,
      resolve: async (e, _a, ctx) => ((await snapshotsOf(ctx, e.id)).at(-1)?.srm ?? null) as unknown as SrmCheck | null,
    }),
  }),
});

const AssignmentRef = builder.objectRef<Assignment>('Assignment').implement({
  fields: (t) => ({
    experimentId: t.exposeString('experimentId'),
    arm: t.exposeString('arm'),
    modelName: t.exposeString('modelName', { nullable: true }),
    modelAlias: t.exposeString('modelAlias', { nullable: true, description: 'Call this alias of the model (null: serve no model).' }),
    modelVersionId: t.exposeString('modelVersionId', { nullable: true }),
    firstExposedAt: t.expose('firstExposedAt', { type: 'DateTime' }),
  }),
});

const RowErrorRef = builder.objectRef<RowError>('EventRowError').implement({
  fields: (t) => ({ index: t.exposeInt('index'), field: t.exposeString('field'), message: t.exposeString('message') }),
});

const IntakeRef = builder.objectRef<IntakeResult>('RecordEventsPayload').implement({
  fields: (t) => ({
    accepted: t.exposeInt('accepted', { description: 'New events stored.' }),
    duplicates: t.exposeInt('duplicates', { description: 'Valid events already stored under the same idempotency key.' }),
    rejected: t.exposeInt('rejected'),
    errors: t.field({ type: [RowErrorRef], description: 'The first 100 problems, by row index.', resolve: (r) => r.errors }),
  }),
});

const EventInput = builder.inputType('CustomerEventInput', {
  fields: (t) => ({
    customerId: t.string({ required: true }),
    type: t.string({ required: true, description: 'purchase, visit or review.' }),
    value: t.float({ required: false, description: 'Order value, pages viewed, or star rating.' }),
    occurredAt: t.string({ required: true, description: 'ISO 8601 timestamp.' }),
    idempotencyKey: t.string({ required: true, description: 'Unique per event; resending it is harmless.' }),
  }),
});

const ref = (args: { id?: string | number | null; name?: string | null }): string => {
  const v = args.id ?? args.name;
  if (v === undefined || v === null || v === '') throw new BadUserInputError('Give the experiment\'s id or name.');
  return String(v);
};

builder.queryFields((t) => ({
  experiments: t.field({
    type: [ExperimentRef],
    description: 'Newest first.',
    args: { first: t.arg.int({ required: false, description: 'At most 500.' }) },
    resolve: (_r, args, ctx) => listExperiments(ctx, args.first ?? 100),
  }),
  experiment: t.field({
    type: ExperimentRef,
    nullable: true,
    args: { id: t.arg.id({ required: false }), name: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => findExperiment(ctx, ref(args)),
  }),
  assignment: t.field({
    type: AssignmentRef,
    description: 'The customer\'s arm and the model alias to call; logs the first exposure.',
    args: { experiment: t.arg.string({ required: true }), customerId: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => assignCustomer(ctx, { experiment: args.experiment, customerId: args.customerId }),
  }),
}));

const ManualDecisionEnum = builder.enumType('ManualDecision', { values: [...MANUAL_DECISIONS] });

builder.mutationFields((t) => ({
  recordEvents: t.field({
    type: IntakeRef,
    description: 'Stores customer events (at most 10,000 per call); idempotent by key.',
    args: { events: t.arg({ type: [EventInput], required: true }) },
    resolve: (_r, args, ctx) => recordEvents(ctx, args.events),
  }),
  stopExperiment: t.field({
    type: ExperimentRef,
    description: 'Stops at once and decides on the data so far.',
    args: { experiment: t.arg.string({ required: true }), reason: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => stopExperiment(ctx, { experiment: args.experiment, by: ctx.token.name, reason: args.reason }),
  }),
  extendExperiment: t.field({
    type: ExperimentRef,
    args: { experiment: t.arg.string({ required: true }), days: t.arg.int({ required: true }) },
    resolve: (_r, args, ctx) => extendExperiment(ctx, { experiment: args.experiment, days: args.days, by: ctx.token.name }),
  }),
  decideExperiment: t.field({
    type: ExperimentRef,
    description: 'Overrides the statistics: ship promotes the challenger, keep rolls it back.',
    args: { experiment: t.arg.string({ required: true }), decision: t.arg({ type: ManualDecisionEnum, required: true }), reason: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => decideExperiment(ctx, { experiment: args.experiment, decision: args.decision, by: ctx.token.name, reason: args.reason }),
  }),
}));
