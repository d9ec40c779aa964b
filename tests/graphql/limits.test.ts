import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { codes, gql, testYoga, tokenFor } from './client.js';
import type { LoomYoga } from '../../graphql/yoga.js';

const MAX_BODY = 1024 * 1024;

describe('GraphQL limits on hostile requests', () => {
  let t: TestDatabase;
  let yoga: LoomYoga;
  let token: string;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    yoga = testYoga(t.db, undefined, MAX_BODY);
    token = await tokenFor(t.db, 'admin');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('rejects 50 levels of nesting by depth', async () => {
    // The schema has no cycles, so 50 levels cannot be valid; the depth limit must still be the
    // reason given, checked before any resolver runs.
    const query = `{ ${'runs { edges { node { '.repeat(17)}id${' } } }'.repeat(17)} }`;
    const res = await gql(yoga, token, query);
    expect(res.status).toBe(400);
    expect(res.body.errors?.some((e) => /depth/i.test(e.message))).toBe(true);
    expect(res.body.data ?? undefined).toBeUndefined();
  });

  it('rejects 1,000 aliases', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: me { name }`).join(' ');
    const res = await gql(yoga, token, `{ ${aliases} }`);
    expect(res.body.errors?.[0]?.message).toMatch(/alias/i);
    expect(res.body.data ?? undefined).toBeUndefined();
  });

  it('rejects a 10 MB body with 413 before parsing, by Content-Length and by counting a chunked stream', async () => {
    const huge = JSON.stringify({ query: '{ me { name } }', variables: { pad: 'x'.repeat(10 * 1024 * 1024) } });
    const declared = await gql(yoga, token, '', undefined, {
      body: huge,
      headers: { 'content-type': 'application/json', 'content-length': String(huge.length), authorization: `Bearer ${token}` },
    });
    expect(declared.status).toBe(413);
    expect(codes(declared)).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
    expect(declared.body.errors?.[0]?.message).toMatch(/larger than 1048576 bytes/);

    // A stream has no Content-Length, so only counting can stop it.
    const bytes = new TextEncoder().encode(huge);
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, offset + 64 * 1024));
        offset += 64 * 1024;
      },
    });
    const streamed = await gql(yoga, token, '', undefined, { body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(codes(streamed)).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
    expect(offset).toBeLessThan(bytes.length);
  });

  it('rejects huge variables and a huge source string the same way', async () => {
    const res = await gql(yoga, token, 'mutation($s: String!) { saveNotebook(source: $s) { created } }', { s: 'a'.repeat(2 * MAX_BODY) });
    expect(res.status).toBe(413);
  });

  it('answers malformed JSON with 400 and a readable message', async () => {
    const res = await gql(yoga, token, '', undefined, { body: '{"query": "{ me { name } }"' });
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*\.js:\d+/);
    expect(res.body.errors?.[0]?.message).toMatch(/JSON/i);
  });

  it('rejects batched requests', async () => {
    const res = await gql(yoga, token, '', undefined, { body: JSON.stringify([{ query: '{ me { name } }' }, { query: '{ me { role } }' }]) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.data ?? undefined).toBeUndefined();
  });

  it('rejects unknown fields without suggesting real ones', async () => {
    const res = await gql(yoga, token, '{ me { nam } }');
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(res.body.errors?.[0]?.message).not.toMatch(/"name"/);
  });

  it('rejects too many tokens', async () => {
    const fields = Array.from({ length: 12_000 }, () => 'name').join(' ');
    const res = await gql(yoga, token, `{ me { ${fields} } }`);
    expect(res.body.errors?.[0]?.message).toMatch(/Token limit of 10000/);
  });

  it('rejects a page size over 100 naming the argument', async () => {
    const res = await gql(yoga, token, '{ runs(first: 101) { edges { cursor } } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0]?.message).toMatch(/"first" must be an integer from 1 to 100/);
    const cursor = await gql(yoga, token, '{ runs(first: 5, after: "garbage!!") { edges { cursor } } }');
    expect(codes(cursor)).toEqual(['BAD_USER_INPUT']);
  });

  it('counts page sizes into the cost limit', async () => {
    const res = await gql(yoga, token, '{ runs(first: 1000) { edges { node { cells { outputs { data } } } } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/Cost limit of 5000 exceeded/);
  });

  it('masks unexpected failures: stable code, no stack, no SQL', async () => {
    // Fault injected on purpose: the table a resolver reads is gone.
    await t.db.query('DROP TABLE datasets CASCADE');
    const res = await gql(yoga, token, '{ datasets(first: 5) { edges { node { id } } } }');
    expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(res.text).not.toMatch(/select|relation|failed query|stack|\.ts:|\.js:/i);
  });
});
