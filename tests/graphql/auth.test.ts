import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { apiTokens } from '../../db/schema/tokens.js';
import { createToken } from '../../services/tokens.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { codes, gql, testYoga, tokenFor } from './client.js';
import type { LoomYoga } from '../../graphql/yoga.js';

describe('GraphQL authentication and roles', () => {
  let t: TestDatabase;
  let yoga: LoomYoga;
  let viewer: string;
  let launcher: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    yoga = testYoga(t.db);
    [viewer, launcher, admin] = [await tokenFor(t.db, 'viewer'), await tokenFor(t.db, 'launcher'), await tokenFor(t.db, 'admin')];
  });
  afterAll(async () => {
    await t.drop();
  });

  it('answers me with the token name and role', async () => {
    const res = await gql(yoga, viewer, '{ me { name role } }');
    expect(res.body).toEqual({ data: { me: { name: 'viewer-test', role: 'viewer' } } });
  });

  it('refuses requests without a valid token with 401 UNAUTHENTICATED', async () => {
    const missing = await gql(yoga, undefined, '{ me { name } }');
    expect(missing.status).toBe(401);
    expect(codes(missing)).toEqual(['UNAUTHENTICATED']);
    expect(missing.body.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
    expect(missing.body.data ?? undefined).toBeUndefined();

    const wrong = await gql(yoga, 'loom_notarealtoken', '{ me { name } }');
    expect(wrong.status).toBe(401);
    expect(codes(wrong)).toEqual(['UNAUTHENTICATED']);

    const malformed = await gql(yoga, undefined, '{ me { name } }', undefined, {
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
    });
    expect(codes(malformed)).toEqual(['UNAUTHENTICATED']);
    expect(malformed.body.errors?.[0]?.message).toMatch(/Bearer <token>/);
  });

  it('refuses expired and revoked tokens', async () => {
    const { token, record } = await createToken(t, { name: 'short-lived', role: 'admin', expiresAt: new Date(Date.now() + 60_000) });
    expect(codes(await gql(yoga, token, '{ me { name } }'))).toEqual([]);
    await t.db.orm.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, record.id));
    expect(codes(await gql(yoga, token, '{ me { name } }'))).toEqual(['UNAUTHENTICATED']);

    const other = await createToken(t, { name: 'to-revoke', role: 'viewer' });
    const revoked = await gql(yoga, admin, 'mutation($id: ID!) { revokeApiToken(id: $id) { name revokedAt } }', { id: other.record.id });
    expect(revoked.body.data?.revokeApiToken.name).toBe('to-revoke');
    expect(codes(await gql(yoga, other.token, '{ me { name } }'))).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a viewer read but not launch, cancel or save, however the mutation is spelled', async () => {
    const direct = await gql(yoga, viewer, 'mutation { launchRun(notebook: "x") { id } }');
    expect(direct.status).toBe(403);
    expect(codes(direct)).toEqual(['FORBIDDEN']);
    expect(direct.body.errors?.[0]?.message).toMatch(/needs the launcher role.*viewer role/);

    const aliased = await gql(yoga, viewer, 'mutation { a: __typename b: cancelRun(id: "run-x") { id } }');
    expect(codes(aliased)).toEqual(['FORBIDDEN']);

    const viaFragment = await gql(
      yoga,
      viewer,
      'mutation M { ...F } fragment F on Mutation { ... on Mutation { saveNotebook(source: "x") { created } } }',
    );
    expect(codes(viaFragment)).toEqual(['FORBIDDEN']);
  });

  it('keeps token management to admins and shows the new secret once', async () => {
    const asLauncher = await gql(yoga, launcher, 'mutation { createApiToken(name: "x", role: admin) { secret } }');
    expect(codes(asLauncher)).toEqual(['FORBIDDEN']);

    const created = await gql(yoga, admin, 'mutation { createApiToken(name: "ci", role: launcher) { secret apiToken { id name role } } }');
    const secret = created.body.data?.createApiToken.secret as string;
    expect(secret).toMatch(/^loom_/);
    const me = await gql(yoga, secret, '{ me { name role } }');
    expect(me.body.data?.me).toEqual({ name: 'ci', role: 'launcher' });
  });

  it('names the problem when a token mutation gets bad input', async () => {
    const badRole = await gql(yoga, admin, 'mutation { createApiToken(name: "x", role: root) { secret } }');
    expect(codes(badRole)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const longName = await gql(yoga, admin, 'mutation($n: String!) { createApiToken(name: $n, role: viewer) { secret } }', { n: 'n'.repeat(500) });
    expect(codes(longName)).toEqual(['BAD_USER_INPUT']);
    expect(longName.body.errors?.[0]?.message).toMatch(/Token name must be/);
    const badDate = await gql(yoga, admin, 'mutation { createApiToken(name: "x", role: viewer, expiresAt: "tomorrow") { secret } }');
    expect(badDate.body.errors?.[0]?.message).toMatch(/ISO 8601/);
    const missing = await gql(yoga, admin, 'mutation { revokeApiToken(id: "tok-nope") { id } }');
    expect(codes(missing)).toEqual(['NOT_FOUND']);
  });
});
