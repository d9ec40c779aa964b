import { relations } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { JsonValue } from '../../core/mime.js';
import { timestamps, tz } from './columns.js';
import { runs } from './runs.js';

/** A named model (e.g. `purchase-intent`); its trained artifacts are versions. */
export const models = pgTable('models', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  ...timestamps,
}, (t) => [uniqueIndex('models_name_idx').on(t.name)]);

/**
 * One registered model artifact with its metrics and lineage. `(run_id, cell_id)` is unique so a
 * retried deploy never registers a second version.
 */
export const modelVersions = pgTable('model_versions', {
  id: text('id').primaryKey(),
  modelId: text('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  /** Path of the inference `.onnx` in the artifact store (the feature transform is inside it). */
  artifactPath: text('artifact_path').notNull(),
  artifactSha256: text('artifact_sha256').notNull(),
  /** Evaluation metrics on the held-out test split (auc, pr_auc, log_loss, f1, threshold, …). */
  metrics: jsonb('metrics').$type<Record<string, JsonValue>>().notNull().default({}),
  /** The fitted feature transform, as stored in the model, for input validation in serving. */
  featureSpec: jsonb('feature_spec').$type<JsonValue>().notNull(),
  runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'restrict' }),
  cellId: text('cell_id').notNull(),
  datasetId: text('dataset_id'),
  datasetHash: text('dataset_hash'),
  notebookVersionId: text('notebook_version_id'),
  params: jsonb('params').$type<Record<string, JsonValue>>().notNull().default({}),
  createdAt: timestamps.createdAt,
}, (t) => [
  uniqueIndex('model_versions_model_id_version_idx').on(t.modelId, t.version),
  uniqueIndex('model_versions_run_id_cell_id_idx').on(t.runId, t.cellId),
]);

/** Aliases such as `champion` and `challenger`, each pointing at one version. */
export const modelAliases = pgTable('model_aliases', {
  modelId: text('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
  alias: text('alias').notNull(),
  versionId: text('version_id').notNull().references(() => modelVersions.id, { onDelete: 'restrict' }),
  updatedBy: text('updated_by'),
  reason: text('reason'),
  updatedAt: tz('updated_at').notNull().defaultNow(),
}, (t) => [primaryKey({ name: 'model_aliases_pk', columns: [t.modelId, t.alias] })]);

/** Every alias move, for audit and rollback. */
export const modelAliasEvents = pgTable('model_alias_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  modelId: text('model_id').notNull().references(() => models.id, { onDelete: 'cascade' }),
  alias: text('alias').notNull(),
  fromVersionId: text('from_version_id'),
  toVersionId: text('to_version_id'),
  by: text('by'),
  reason: text('reason'),
  at: tz('at').notNull().defaultNow(),
}, (t) => [index('model_alias_events_model_id_idx').on(t.modelId, t.alias, t.at)]);

export const modelsRelations = relations(models, ({ many }) => ({ versions: many(modelVersions) }));
export const modelVersionsRelations = relations(modelVersions, ({ one }) => ({
  model: one(models, { fields: [modelVersions.modelId], references: [models.id] }),
}));

export type Model = typeof models.$inferSelect;
export type ModelVersion = typeof modelVersions.$inferSelect;
export type NewModelVersion = typeof modelVersions.$inferInsert;
export type ModelAlias = typeof modelAliases.$inferSelect;
