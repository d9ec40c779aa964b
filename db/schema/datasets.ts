import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { JsonValue } from '../../core/mime.js';
import { timestamps } from './columns.js';
import { runs } from './runs.js';

/** A column of a dataset table as Loom typed it. */
export interface DatasetColumn {
  name: string;
  type: 'integer' | 'bigint' | 'double' | 'boolean' | 'timestamp' | 'date' | 'text';
  nullable: boolean;
  pii?: boolean;
}

/**
 * A dataset is a real table in the `loom_data` schema, produced by one cell of one run.
 * `(run_id, cell_id)` is unique, so a retried cell replaces its dataset instead of adding one.
 */
export const datasets = pgTable('datasets', {
  id: text('id').primaryKey(),
  /** The producing cell id; what notebooks refer to. */
  name: text('name').notNull(),
  /** Unquoted table name inside `loom_data` (generated, never user text). */
  tableName: text('table_name').notNull(),
  runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  cellId: text('cell_id').notNull(),
  rowCount: bigint('row_count', { mode: 'number' }).notNull(),
  rejectCount: bigint('reject_count', { mode: 'number' }).notNull().default(0),
  columns: jsonb('columns').$type<DatasetColumn[]>().notNull(),
  /** Where it came from: file path or URL, or the SQL text. */
  source: text('source').notNull(),
  /** Hash of the loaded content, for caching and lineage. */
  contentHash: text('content_hash'),
  profile: jsonb('profile').$type<JsonValue>(),
  ...timestamps,
}, (t) => [
  uniqueIndex('datasets_run_id_cell_id_idx').on(t.runId, t.cellId),
  uniqueIndex('datasets_table_name_idx').on(t.tableName),
  index('datasets_name_idx').on(t.name),
]);

/** Rows that could not be loaded, with their line number and the reason. */
export const datasetRejects = pgTable('dataset_rejects', {
  datasetId: text('dataset_id').notNull().references(() => datasets.id, { onDelete: 'cascade' }),
  line: integer('line').notNull(),
  reason: text('reason').notNull(),
  /** The raw record, truncated to a few KiB. */
  raw: text('raw'),
}, (t) => [primaryKey({ name: 'dataset_rejects_pk', columns: [t.datasetId, t.line] })]);

export type Dataset = typeof datasets.$inferSelect;
export type NewDataset = typeof datasets.$inferInsert;
export type DatasetReject = typeof datasetRejects.$inferSelect;
