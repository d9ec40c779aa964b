import { relations } from 'drizzle-orm';
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { JsonValue } from '../../core/mime.js';
import type { RunStatus } from '../../core/status.js';
import { timestamps, tz } from './columns.js';
import { notebooks, notebookVersions } from './notebooks.js';

/** One run = one `campaignRun` workflow execution; `id` is the workflow id (`run-<ulid>`). */
export const runs = pgTable('runs', {
  id: text('id').primaryKey(),
  notebookId: text('notebook_id').notNull().references(() => notebooks.id, { onDelete: 'cascade' }),
  notebookVersionId: text('notebook_version_id').notNull().references(() => notebookVersions.id, { onDelete: 'restrict' }),
  params: jsonb('params').$type<Record<string, JsonValue>>().notNull(),
  status: text('status').$type<RunStatus>().notNull(),
  error: text('error'),
  /** Who launched it: an API token id, `cli` or `schedule:<id>`. */
  launchedBy: text('launched_by'),
  parentRunId: text('parent_run_id'),
  startedAt: tz('started_at'),
  finishedAt: tz('finished_at'),
  ...timestamps,
}, (t) => [
  index('runs_notebook_id_idx').on(t.notebookId, t.createdAt),
  index('runs_status_idx').on(t.status, t.createdAt),
  index('runs_created_at_idx').on(t.createdAt),
]);

export const runsRelations = relations(runs, ({ one }) => ({
  notebook: one(notebooks, { fields: [runs.notebookId], references: [notebooks.id] }),
  version: one(notebookVersions, { fields: [runs.notebookVersionId], references: [notebookVersions.id] }),
}));

export type Run = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
