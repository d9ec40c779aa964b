import type { Model, ModelVersion } from '../../db/schema/models.js';
import { aliasHistory, getModel, listAliases, listModels, listVersions, rollback, setAlias, type AliasMove, type AliasView } from '../../services/models.js';
import { builder } from '../builder.js';

const LineageRef = builder.objectRef<ModelVersion>('ModelLineage').implement({
  description: 'Where a version came from: the run and cell that deployed it, the dataset it was trained on.',
  fields: (t) => ({
    runId: t.exposeString('runId'),
    cellId: t.exposeString('cellId'),
    datasetId: t.exposeString('datasetId', { nullable: true }),
    datasetHash: t.exposeString('datasetHash', { nullable: true }),
    notebookVersionId: t.exposeString('notebookVersionId', { nullable: true }),
    params: t.expose('params', { type: 'JSON' }),
  }),
});

const ModelVersionRef = builder.objectRef<ModelVersion>('ModelVersion').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    version: t.exposeInt('version'),
    metrics: t.expose('metrics', { type: 'JSON', description: 'Held-out metrics (auc, pr_auc, log_loss, f1, threshold, …).' }),
    lineage: t.field({ type: LineageRef, resolve: (v) => v }),
    artifactSha256: t.exposeString('artifactSha256'),
    featureSpec: t.expose('featureSpec', { type: 'JSON', description: 'The feature transform serving applies to rows.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ModelAliasRef = builder.objectRef<AliasView>('ModelAlias').implement({
  fields: (t) => ({
    alias: t.exposeString('alias'),
    version: t.exposeInt('version'),
    versionId: t.exposeString('versionId'),
    updatedBy: t.exposeString('updatedBy', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

type AliasEvent = Awaited<ReturnType<typeof aliasHistory>>[number];
const AliasEventRef = builder.objectRef<AliasEvent>('ModelAliasEvent').implement({
  fields: (t) => ({
    alias: t.exposeString('alias'),
    fromVersionId: t.exposeString('fromVersionId', { nullable: true }),
    toVersionId: t.exposeString('toVersionId', { nullable: true }),
    by: t.exposeString('by', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const ModelRef = builder.objectRef<Model>('Model').implement({
  description: 'A registered model: its versions (newest first), aliases and alias history.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    versions: t.field({ type: [ModelVersionRef], resolve: (m, _a, ctx) => listVersions(ctx, m.id) }),
    aliases: t.field({ type: [ModelAliasRef], resolve: (m, _a, ctx) => listAliases(ctx, m.id) }),
    aliasHistory: t.field({ type: [AliasEventRef], description: 'Newest first.', resolve: (m, _a, ctx) => aliasHistory(ctx, m.id) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AliasMoveRef = builder.objectRef<AliasMove>('ModelAliasMove').implement({
  fields: (t) => ({
    model: t.exposeString('model'),
    alias: t.exposeString('alias'),
    fromVersionId: t.exposeString('fromVersionId', { nullable: true }),
    toVersionId: t.exposeString('toVersionId'),
    moved: t.exposeBoolean('moved', { description: 'False when the alias already pointed there.' }),
  }),
});

builder.queryFields((t) => ({
  models: t.field({ type: [ModelRef], description: 'Every registered model, by name.', resolve: (_r, _a, ctx) => listModels(ctx) }),
  model: t.field({
    type: ModelRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => getModel(ctx, args.name),
  }),
}));

builder.mutationFields((t) => ({
  setModelAlias: t.field({
    type: AliasMoveRef,
    args: {
      model: t.arg.string({ required: true }),
      alias: t.arg.string({ required: true }),
      versionId: t.arg.id({ required: true }),
      reason: t.arg.string({ required: false }),
    },
    resolve: (_r, args, ctx) => setAlias(ctx, args.model, args.alias, String(args.versionId), ctx.token.name, args.reason?.slice(0, 2_000) ?? null),
  }),
  rollbackModelAlias: t.field({
    type: AliasMoveRef,
    description: 'Points the alias back at the version it pointed at before its last move.',
    args: { model: t.arg.string({ required: true }), alias: t.arg.string({ required: true }), reason: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => rollback(ctx, args.model, args.alias, ctx.token.name, args.reason?.slice(0, 2_000) ?? null),
  }),
}));
