import { relations } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { CellStatus } from '../../core/status.js';
import type { JsonValue } from '../../core/mime.js';
import { timestamps, tz } from './columns.js';
import { runs } from './runs.js';

/** Current state of each cell in a run (one row per run and cell, upserted). */
export const runCells = pgTable('run_cells', {
  runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  cellId: text('cell_id').notNull(),
  kind: text('kind').notNull(),
  queue: text('queue').notNull(),
  /** Position in the notebook, for display order. */
  position: integer('position').notNull(),
  status: text('status').$type<CellStatus>().notNull(),
  attempt: integer('attempt').notNull().default(0),
  inputHash: text('input_hash'),
  /** Content address of this cell's inputs (input hash + upstream output hashes + kind version). */
  cacheKey: text('cache_key'),
  /** Set when the output was reused from an earlier run instead of computed. */
  cachedFromRunId: text('cached_from_run_id'),
  error: text('error'),
  /** Latest heartbeat details (rows loaded, epoch, loss), small JSON. */
  progress: jsonb('progress').$type<JsonValue>(),
  /** Small values the cell handed downstream (dataset id, row count). */
  result: jsonb('result').$type<Record<string, JsonValue>>(),
  startedAt: tz('started_at'),
  finishedAt: tz('finished_at'),
  ...timestamps,
}, (t) => [
  primaryKey({ name: 'run_cells_pk', columns: [t.runId, t.cellId] }),
  index('run_cells_cache_key_idx').on(t.cacheKey),
]);

/** Every attempt of every cell, keyed by (run, cell, attempt): a retried write is an upsert. */
export const cellAttempts = pgTable('cell_attempts', {
  runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  cellId: text('cell_id').notNull(),
  attempt: integer('attempt').notNull(),
  status: text('status').$type<CellStatus>().notNull(),
  error: text('error'),
  errorType: text('error_type'),
  workerIdentity: text('worker_identity'),
  startedAt: tz('started_at'),
  finishedAt: tz('finished_at'),
}, (t) => [primaryKey({ name: 'cell_attempts_pk', columns: [t.runId, t.cellId, t.attempt] })]);

/** Cell outputs as Jupyter MIME bundles, ordered by `seq` within a cell. */
export const cellOutputs = pgTable('cell_outputs', {
  runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
  cellId: text('cell_id').notNull(),
  seq: integer('seq').notNull(),
  data: jsonb('data').$type<Record<string, JsonValue>>().notNull(),
  metadata: jsonb('metadata').$type<Record<string, JsonValue>>().notNull().default({}),
  createdAt: timestamps.createdAt,
}, (t) => [primaryKey({ name: 'cell_outputs_pk', columns: [t.runId, t.cellId, t.seq] })]);

export const runCellsRelations = relations(runCells, ({ one }) => ({
  run: one(runs, { fields: [runCells.runId], references: [runs.id] }),
}));

export type RunCell = typeof runCells.$inferSelect;
export type NewRunCell = typeof runCells.$inferInsert;
export type CellAttempt = typeof cellAttempts.$inferSelect;
export type NewCellAttempt = typeof cellAttempts.$inferInsert;
export type CellOutput = typeof cellOutputs.$inferSelect;
export type NewCellOutput = typeof cellOutputs.$inferInsert;
