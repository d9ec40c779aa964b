import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps, tz } from './columns.js';

export const ROLES = { viewer: 'viewer', launcher: 'launcher', admin: 'admin' } as const;
export type Role = (typeof ROLES)[keyof typeof ROLES];

/** API bearer tokens; only a sha256 of the secret is stored. */
export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').$type<Role>().notNull(),
  tokenHash: text('token_hash').notNull(),
  lastUsedAt: tz('last_used_at'),
  expiresAt: tz('expires_at'),
  revokedAt: tz('revoked_at'),
  ...timestamps,
}, (t) => [uniqueIndex('api_tokens_token_hash_idx').on(t.tokenHash)]);

export type ApiToken = typeof apiTokens.$inferSelect;
export type NewApiToken = typeof apiTokens.$inferInsert;
