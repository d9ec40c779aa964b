import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../../db/schema/index.js';
import type { Database, LoomOrm } from '../../db/client.js';
import { runCells } from '../../db/schema/cells.js';
import { runs } from '../../db/schema/runs.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { codes, gql, testYoga, tokenFor } from './client.js';
import { seedRuns } from './seed.js';

const PAGE_QUERY = `query($first: Int!, $after: String) {
  runs(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id status params notebook { name } notebookVersion { version }
      cells { cellId kind queue status attempt durationMs inputHash progress
        attempts { attempt status error startedAt finishedAt }
        outputs { seq data metadata } }
    } }
  }
}`;

describe('runs over GraphQL (Postgres)', () => {
  let t: TestDatabase;
  let sql: postgres.Sql;
  let counted: Database;
  let queries: string[] = [];
  let token: string;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    sql = postgres(t.url!, { max: 2, onnotice: () => {} });
    // The same database through an ORM that records every statement it sends.
    const orm = drizzle(sql, { schema, logger: { logQuery: (q) => queries.push(q) } }) as unknown as LoomOrm;
    counted = { ...t.db, orm };
    token = await tokenFor(t.db, 'viewer');
    await seedRuns(t.db, { runs: 12, cells: 3, name: 'weekly' });
  });
  afterAll(async () => {
    await sql.end();
    await t.drop();
  });

  it('loads a page of runs with cells, attempts and outputs in a fixed number of queries', async () => {
    const yoga = testYoga(counted);
    await gql(yoga, token, '{ me { name } }'); // settles last_used_at so it is not written below
    const count = async (first: number) => {
      queries = [];
      const res = await gql(yoga, token, PAGE_QUERY, { first });
      expect(res.body.errors).toBeUndefined();
      return { n: queries.length, edges: res.body.data!.runs.edges as any[] };
    };
    const small = await count(2);
    const large = await count(10);
    expect(large.edges).toHaveLength(10);
    expect(large.edges[0].node.cells).toHaveLength(3);
    expect(large.edges[0].node.cells[0].attempts.map((a: any) => a.attempt)).toEqual([1, 2]);
    expect(large.edges[0].node.cells[0].outputs[1].data).toEqual({ 'text/markdown': '**done**' });
    // token, runs, cells, attempts, outputs, notebooks, versions
    expect(large.n).toBe(small.n);
    expect(large.n).toBeLessThanOrEqual(7);
  });

  it('pages newest first without gaps or repeats', async () => {
    const yoga = testYoga(t.db);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await gql(yoga, token, PAGE_QUERY, { first: 5, after });
      const conn = res.body.data!.runs;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('filters by notebook and status, and names an unknown notebook', async () => {
    const yoga = testYoga(t.db);
    const running = await gql(yoga, token, '{ runs(first: 50, notebook: "weekly", status: running) { edges { node { id } } } }');
    expect(running.body.data!.runs.edges).toHaveLength(12);
    const none = await gql(yoga, token, '{ runs(first: 50, status: failed) { edges { node { id } } } }');
    expect(none.body.data!.runs.edges).toHaveLength(0);
    const unknown = await gql(yoga, token, '{ runs(first: 5, notebook: "nope") { edges { node { id } } } }');
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(unknown.body.errors?.[0]?.message).toMatch(/No notebook named "nope"/);
    const bad = await gql(yoga, token, '{ runs(first: 5, status: exploded) { edges { node { id } } } }');
    expect(codes(bad)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('streams runUpdated over SSE until the run finishes', async () => {
    const [runId] = await seedRuns(t.db, { runs: 1, cells: 2 });
    const yoga = testYoga(t.db);
    const res = await yoga.fetch('http://loom.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `subscription { runUpdated(id: "${runId}") { status cells { cellId status attempt progress } } }` }),
    });
    expect(res.status).toBe(200);
    const events = readEvents(res.body!);
    const first = await events.next();
    expect(first.value.runUpdated.status).toBe('running');

    await t.db.orm.update(runCells).set({ progress: { rows: 500 } }).where(eq(runCells.runId, runId!));
    const second = await events.next();
    expect(second.value.runUpdated.cells[0].progress).toEqual({ rows: 500 });

    await t.db.orm.update(runs).set({ status: 'succeeded' }).where(eq(runs.id, runId!));
    const third = await events.next();
    expect(third.value.runUpdated.status).toBe('succeeded');
    expect((await events.next()).done).toBe(true);
  });

  it('stops polling when the subscriber disconnects', async () => {
    const [runId] = await seedRuns(t.db, { runs: 1, cells: 1 });
    const yoga = testYoga(counted);
    const abort = new AbortController();
    const res = await yoga.fetch('http://loom.test/graphql', {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `subscription { runUpdated(id: "${runId}") { status } }` }),
    });
    const events = readEvents(res.body!);
    await events.next();
    abort.abort();
    await events.return(undefined);
    await new Promise((r) => setTimeout(r, 300));
    queries = [];
    await new Promise((r) => setTimeout(r, 1_500));
    expect(queries).toEqual([]);
  });

  it('reports a subscription to an unknown run as NOT_FOUND', async () => {
    const yoga = testYoga(t.db);
    const res = await yoga.fetch('http://loom.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'subscription { runUpdated(id: "run-missing") { status } }' }),
    });
    const first = await readEvents(res.body!, true).next();
    expect(JSON.stringify(first.value)).toMatch(/NOT_FOUND/);
  });
});

/** Parses `data:` lines of an SSE stream into GraphQL results (their `data`, or the whole result). */
async function* readEvents(body: ReadableStream<Uint8Array>, raw = false): AsyncGenerator<any, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let idx;
      while ((idx = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, idx);
        buffer = buffer.slice(idx + 2);
        if (/^event: complete/m.test(block)) return;
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
        if (!data) continue;
        const parsed = JSON.parse(data);
        yield raw ? parsed : parsed.data;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
