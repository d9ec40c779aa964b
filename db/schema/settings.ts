import { pgTable, text } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';

/** Installation-wide values created once (e.g. the PII hashing salt). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  ...timestamps,
});
