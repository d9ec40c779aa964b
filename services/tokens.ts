import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { ulid } from 'ulid';
import { apiTokens, ROLES, type ApiToken, type Role } from '../db/schema/tokens.js';
import type { DbDeps } from './deps.js';
import { BadUserInputError, ConflictError, NotFoundError } from './errors.js';

const TOKEN_PREFIX = 'loom_';
/** Anything longer cannot be one of ours; refusing early keeps hashing cheap on hostile input. */
const MAX_BEARER_LENGTH = 256;
const MAX_NAME_LENGTH = 100;
/** `last_used_at` is a hint, not an audit log: writing it on every request would cost a write per read. */
const LAST_USED_RESOLUTION_MS = 60_000;

const ROLE_RANK: Record<Role, number> = { viewer: 0, launcher: 1, admin: 2 };

/** True when `role` grants at least what `required` grants (viewer < launcher < admin). */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[required];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(ROLES, value);
}

export function hashToken(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface CreateTokenInput {
  name: string;
  role: Role;
  expiresAt?: Date | undefined;
}

/** Creates an API token. The secret is returned once and never stored; only its sha256 is. */
export async function createToken(deps: DbDeps, input: CreateTokenInput): Promise<{ token: string; record: ApiToken }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || /[\p{Cc}]/u.test(name)) {
    throw new BadUserInputError(`Token name must be 1-${MAX_NAME_LENGTH} printable characters, e.g. "ci-launcher".`);
  }
  if (!isRole(input.role)) {
    throw new BadUserInputError(`Unknown role ${JSON.stringify(String(input.role).slice(0, 40))}: use viewer, launcher or admin.`);
  }
  if (input.expiresAt && !(input.expiresAt.getTime() > Date.now())) {
    throw new BadUserInputError('Token expiry must be a time in the future.');
  }
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const [record] = await deps.db.orm
    .insert(apiTokens)
    .values({ id: `tok-${ulid()}`, name, role: input.role, tokenHash: hashToken(token), expiresAt: input.expiresAt ?? null })
    .returning();
  if (!record) throw new Error('Inserting the API token returned no row');
  return { token, record };
}

/** The token record for a bearer secret, or null when it is unknown, expired or revoked. */
export async function authenticate(deps: DbDeps, bearer: string | null | undefined): Promise<ApiToken | null> {
  if (typeof bearer !== 'string' || bearer.length === 0 || bearer.length > MAX_BEARER_LENGTH) return null;
  const [record] = await deps.db.orm.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(bearer))).limit(1);
  if (!record) return null;
  const now = Date.now();
  if (record.revokedAt) return null;
  if (record.expiresAt && record.expiresAt.getTime() <= now) return null;
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const lastUsedAt = new Date(now);
    await deps.db.orm.update(apiTokens).set({ lastUsedAt }).where(eq(apiTokens.id, record.id));
    record.lastUsedAt = lastUsedAt;
  }
  return record;
}

/** Revokes a token; later requests with it are unauthenticated. */
export async function revokeToken(deps: DbDeps, id: string): Promise<ApiToken> {
  const [existing] = await deps.db.orm.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  if (!existing) throw new NotFoundError(`No API token with id ${JSON.stringify(id.slice(0, 80))}; list tokens to find its id.`);
  if (existing.revokedAt) throw new ConflictError(`API token "${existing.name}" is already revoked.`);
  const [record] = await deps.db.orm
    .update(apiTokens)
    .set({ revokedAt: new Date(), updatedAt: new Date() })
    .where(eq(apiTokens.id, id))
    .returning();
  if (!record) throw new NotFoundError(`No API token with id ${JSON.stringify(id.slice(0, 80))}.`);
  return record;
}

/**
 * Makes the configured bootstrap secret a valid admin token (development convenience for `npm start`).
 * Idempotent: a token with that hash is left as it is, even if revoked.
 */
export async function ensureBootstrapToken(deps: DbDeps, secret: string): Promise<{ created: boolean; record: ApiToken }> {
  if (secret.length < 24) throw new BadUserInputError('LOOM_BOOTSTRAP_TOKEN must be at least 24 characters.');
  const tokenHash = hashToken(secret);
  const inserted = await deps.db.orm
    .insert(apiTokens)
    .values({ id: `tok-${ulid()}`, name: 'bootstrap', role: 'admin', tokenHash })
    .onConflictDoNothing({ target: apiTokens.tokenHash })
    .returning();
  if (inserted[0]) return { created: true, record: inserted[0] };
  const [record] = await deps.db.orm.select().from(apiTokens).where(eq(apiTokens.tokenHash, tokenHash)).limit(1);
  if (!record) throw new Error('Bootstrap token vanished between insert and select');
  return { created: false, record };
}
