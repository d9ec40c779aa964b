import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../../db/schema/tokens.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../helpers/databases.js';
import {
  authenticate,
  createToken,
  ensureBootstrapToken,
  hashToken,
  revokeToken,
  roleAtLeast,
} from '../../services/tokens.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../services/errors.js';

describe.each(DRIVERS)('tokens on %s', (driver) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(driver);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('stores only the hash and authenticates the secret shown once', async () => {
    const { token, record } = await createToken(t, { name: 'ci', role: 'launcher' });
    expect(token).toMatch(/^loom_[A-Za-z0-9_-]{43}$/);
    const [row] = await t.db.orm.select().from(apiTokens).where(eq(apiTokens.id, record.id));
    expect(row?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const who = await authenticate(t, token);
    expect(who?.id).toBe(record.id);
    expect(who?.role).toBe('launcher');
    expect(who?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('updates last_used_at at most once a minute', async () => {
    const { token, record } = await createToken(t, { name: 'ci', role: 'viewer' });
    const first = await authenticate(t, token);
    const second = await authenticate(t, token);
    expect(second?.lastUsedAt?.getTime()).toBe(first?.lastUsedAt?.getTime());
    const old = new Date(Date.now() - 120_000);
    await t.db.orm.update(apiTokens).set({ lastUsedAt: old }).where(eq(apiTokens.id, record.id));
    const third = await authenticate(t, token);
    expect(third!.lastUsedAt!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });

  it('refuses unknown, malformed, oversized, expired and revoked tokens', async () => {
    expect(await authenticate(t, undefined)).toBeNull();
    expect(await authenticate(t, '')).toBeNull();
    expect(await authenticate(t, 'loom_nope')).toBeNull();
    expect(await authenticate(t, `loom_${'x'.repeat(10_000)}`)).toBeNull();
    expect(await authenticate(t, "' OR 1=1 --")).toBeNull();
    const expired = await createToken(t, { name: 'old', role: 'admin', expiresAt: new Date(Date.now() + 50) });
    await new Promise((r) => setTimeout(r, 80));
    expect(await authenticate(t, expired.token)).toBeNull();
    const revoked = await createToken(t, { name: 'gone', role: 'admin' });
    await revokeToken(t, revoked.record.id);
    expect(await authenticate(t, revoked.token)).toBeNull();
    await expect(revokeToken(t, revoked.record.id)).rejects.toBeInstanceOf(ConflictError);
    await expect(revokeToken(t, 'tok-missing')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects bad names, roles and past expiry with a message naming the field', async () => {
    await expect(createToken(t, { name: '', role: 'viewer' })).rejects.toThrow(/Token name/);
    await expect(createToken(t, { name: 'x'.repeat(101), role: 'viewer' })).rejects.toThrow(/Token name/);
    await expect(createToken(t, { name: 'a\u0000b', role: 'viewer' })).rejects.toBeInstanceOf(BadUserInputError);
    await expect(createToken(t, { name: 'x', role: 'root' as never })).rejects.toThrow(/Unknown role "root"/);
    await expect(createToken(t, { name: 'x', role: 'viewer', expiresAt: new Date(0) })).rejects.toThrow(/future/);
  });

  it('creates the bootstrap admin token once', async () => {
    const secret = 'dev-secret-that-is-long-enough-1234';
    const a = await ensureBootstrapToken(t, secret);
    const b = await ensureBootstrapToken(t, secret);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.record.id).toBe(a.record.id);
    expect((await authenticate(t, secret))?.role).toBe('admin');
    await expect(ensureBootstrapToken(t, 'short')).rejects.toThrow(/at least 24/);
  });
});

describe('roles', () => {
  it('orders viewer < launcher < admin', () => {
    expect(roleAtLeast('admin', 'launcher')).toBe(true);
    expect(roleAtLeast('launcher', 'launcher')).toBe(true);
    expect(roleAtLeast('viewer', 'launcher')).toBe(false);
    expect(roleAtLeast('launcher', 'admin')).toBe(false);
  });
});
