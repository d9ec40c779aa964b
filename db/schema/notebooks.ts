import { relations } from 'drizzle-orm';
import { integer, pgTable, text, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';

/** A named notebook; its content lives in immutable versions. */
export const notebooks = pgTable('notebooks', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  latestVersion: integer('latest_version').notNull().default(0),
  ...timestamps,
}, (t) => [uniqueIndex('notebooks_name_idx').on(t.name)]);

/** One saved revision of a notebook's Markdown source; never updated after insert. */
export const notebookVersions = pgTable('notebook_versions', {
  id: text('id').primaryKey(),
  notebookId: text('notebook_id').notNull().references(() => notebooks.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  source: text('source').notNull(),
  /** sha256 of the source: saving identical text returns the existing version. */
  contentHash: text('content_hash').notNull(),
  createdAt: timestamps.createdAt,
}, (t) => [
  uniqueIndex('notebook_versions_notebook_id_version_idx').on(t.notebookId, t.version),
  index('notebook_versions_content_hash_idx').on(t.notebookId, t.contentHash),
]);

export const notebooksRelations = relations(notebooks, ({ many }) => ({ versions: many(notebookVersions) }));
export const notebookVersionsRelations = relations(notebookVersions, ({ one }) => ({
  notebook: one(notebooks, { fields: [notebookVersions.notebookId], references: [notebooks.id] }),
}));

export type Notebook = typeof notebooks.$inferSelect;
export type NewNotebook = typeof notebooks.$inferInsert;
export type NotebookVersion = typeof notebookVersions.$inferSelect;
export type NewNotebookVersion = typeof notebookVersions.$inferInsert;
