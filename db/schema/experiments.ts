import { bigserial, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { JsonValue } from '../../core/mime.js';
import { timestamps, tz } from './columns.js';

/**
 * One A/B test. `(run_id, cell_id)` is unique so a retried `abtest` cell never creates a second
 * experiment; `salt` feeds the assignment hash and never changes after creation.
 */
export const experiments = pgTable('experiments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  modelName: text('model_name'),
  salt: text('salt').notNull(),
  /** running | stopped | decided */
  status: text('status').notNull(),
  config: jsonb('config').$type<Record<string, JsonValue>>().notNull(),
  startedAt: tz('started_at').notNull().defaultNow(),
  decidedAt: tz('decided_at'),
  /** ship | keep | inconclusive | blocked */
  decision: text('decision'),
  reason: text('reason'),
  runId: text('run_id'),
  cellId: text('cell_id'),
  ...timestamps,
}, (t) => [
  uniqueIndex('experiments_name_idx').on(t.name),
  uniqueIndex('experiments_run_cell_idx').on(t.runId, t.cellId),
]);

/** The arms of an experiment, with the model alias (and the version it pointed at) each routes to. */
export const experimentArms = pgTable('experiment_arms', {
  experimentId: text('experiment_id').notNull().references(() => experiments.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  weight: doublePrecision('weight').notNull(),
  position: integer('position').notNull(),
  modelAlias: text('model_alias'),
  modelVersionId: text('model_version_id'),
}, (t) => [primaryKey({ name: 'experiment_arms_pk', columns: [t.experimentId, t.name] })]);

/** First exposure of a customer to an experiment; the primary key makes the first one win. */
export const experimentExposures = pgTable('experiment_exposures', {
  experimentId: text('experiment_id').notNull().references(() => experiments.id, { onDelete: 'cascade' }),
  customerId: text('customer_id').notNull(),
  arm: text('arm').notNull(),
  firstExposedAt: tz('first_exposed_at').notNull(),
}, (t) => [
  primaryKey({ name: 'experiment_exposures_pk', columns: [t.experimentId, t.customerId] }),
  index('experiment_exposures_arm_idx').on(t.experimentId, t.arm),
]);

/** Customer events (purchase, visit, review); the idempotency key makes retried batches harmless. */
export const customerEvents = pgTable('customer_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  customerId: text('customer_id').notNull(),
  type: text('type').notNull(),
  value: doublePrecision('value'),
  occurredAt: tz('occurred_at').notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  receivedAt: tz('received_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('customer_events_idempotency_key_idx').on(t.idempotencyKey),
  // Every metric query joins exposures to events by customer, filtered by type and time.
  index('customer_events_customer_type_time_idx').on(t.customerId, t.type, t.occurredAt),
]);

/** One analysis of an experiment at `as_of` (simulated or real time), written by the workflow. */
export const experimentSnapshots = pgTable('experiment_snapshots', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  experimentId: text('experiment_id').notNull().references(() => experiments.id, { onDelete: 'cascade' }),
  takenAt: tz('taken_at').notNull().defaultNow(),
  asOf: tz('as_of').notNull(),
  results: jsonb('results').$type<JsonValue>().notNull(),
  srm: jsonb('srm').$type<JsonValue>().notNull(),
  decision: text('decision'),
}, (t) => [uniqueIndex('experiment_snapshots_as_of_idx').on(t.experimentId, t.asOf)]);

export type Experiment = typeof experiments.$inferSelect;
export type ExperimentArm = typeof experimentArms.$inferSelect;
export type ExperimentSnapshot = typeof experimentSnapshots.$inferSelect;
