import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestExecutor } from '../../activities/ingest/executor.js';
import { sqlExecutor } from '../../activities/sql/executor.js';
import type { CellResult } from '../../core/run-plan.js';
import { LoomInputError } from '../../core/errors.js';
import { ingestConfigSchema } from '../../kinds/ingest.js';
import { sqlConfigSchema } from '../../kinds/sql.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext, SHARED_DATA } from '../helpers/runs.js';

describe.each(DRIVERS)('sql cell (%s)', (driver) => {
  let t: TestDatabase;
  let runId: string;
  let upstream: Record<string, CellResult>;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    ({ runId } = await insertTestRun(t.db));
    const load = async (cellId: string, file: string, extra: Record<string, unknown> = {}) => {
      const config = ingestConfigSchema.parse({ source: { csv: path.join(SHARED_DATA, file) }, ...extra });
      const r = await ingestExecutor(makeCellContext(t.db, { runId, cellId, config }));
      return { values: r.values, outputHash: r.outputHash };
    };
    upstream = {
      customers: await load('customers', 'hillstrom.csv'),
      reviews: await load('reviews', 'amazon_cells_labelled.txt', {
        delimiter: '\t', header: false, schema: [{ name: 'sentence', type: 'text' }, { name: 'label', type: 'integer' }],
      }),
    };
  });
  afterAll(async () => { await t?.drop(); });

  const run = (cellId: string, config: Record<string, unknown>) =>
    sqlExecutor(makeCellContext(t.db, { runId, cellId, config: sqlConfigSchema.parse(config), upstream }));

  it('aggregates and joins two datasets into a new typed dataset', async () => {
    const res = await run('by_segment', {
      query: `SELECT c.segment, count(*) AS customers, avg(c.spend) AS avg_spend, max(r.n) AS review_count
              FROM customers c CROSS JOIN (SELECT count(*) AS n FROM reviews WHERE label = 1) r
              GROUP BY c.segment ORDER BY c.segment;`,
    });
    expect(res.values.rows).toBe(3);
    const rows = await t.db.query<{ segment: string; customers: string; review_count: string }>(
      `SELECT segment, customers::text, review_count::text FROM ${res.values.table} ORDER BY segment`);
    expect(rows.map((r) => r.segment)).toEqual(['Mens E-Mail', 'No E-Mail', 'Womens E-Mail']);
    expect(rows.reduce((s, r) => s + Number(r.customers), 0)).toBe(64_000);
    const [pos] = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${upstream.reviews!.values.table} WHERE label = 1`);
    expect(rows[0]!.review_count).toBe(pos!.n);
    const [ds] = await t.db.query<{ columns: { name: string; type: string }[] }>('SELECT columns FROM datasets WHERE id = $1', [res.values.dataset]);
    expect(ds!.columns.map((c) => [c.name, c.type])).toEqual([['segment', 'text'], ['customers', 'bigint'], ['avg_spend', 'double'], ['review_count', 'bigint']]);
  });

  it('uses configured aliases and replaces, not duplicates, on a rerun', async () => {
    const cfg = { query: 'SELECT recency, spend FROM h WHERE spend > 0', datasets: { h: String(upstream.customers!.values.dataset) } };
    const a = await run('spenders', cfg);
    const b = await run('spenders', cfg);
    expect(b.values.dataset).toBe(a.values.dataset);
    expect(b.outputHash).toBe(a.outputHash);
    const [n] = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${b.values.table}`);
    expect(Number(n!.n)).toBe(b.values.rows);
    const [d] = await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM datasets WHERE cell_id = $1', ['spenders']);
    expect(d!.n).toBe('1');
  });

  const refused = async (config: Record<string, unknown>, message: RegExp) => {
    const err = await run('bad', config).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoomInputError);
    expect((err as Error).message).toMatch(message);
  };

  it('refuses writes', async () => {
    await refused({ query: 'DELETE FROM customers' }, /read-only query.*DELETE is not allowed/);
    await refused({ query: 'WITH d AS (DELETE FROM customers RETURNING *) SELECT * FROM d' }, /read-only/);
    await refused({ query: "SELECT nextval('x')" }, /./);
    const [n] = await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${upstream.customers!.values.table}`);
    expect(n!.n).toBe('64000');
  });

  it('refuses tables and functions outside the datasets', async () => {
    await refused({ query: 'SELECT * FROM runs' }, /does not exist.*may read only datasets.*customers/);
    await refused({ query: 'SELECT * FROM public.runs' }, /Access refused: permission denied/);
    await refused({ query: 'SELECT * FROM public.api_tokens' }, /Access refused/);
    await refused({ query: "SELECT pg_read_file('/etc/passwd')" }, /Access refused: permission denied for function pg_read_file/);
  });

  it('refuses more than one statement', async () => {
    await refused({ query: 'SELECT 1; DROP TABLE runs' }, /exactly one statement/);
    await refused({ query: 'SELECT 1) x; DROP TABLE runs; SELECT * FROM (SELECT 1' }, /multiple commands|one statement|syntax error/);
    const [r] = await t.db.query<{ n: string }>('SELECT count(*)::text AS n FROM runs');
    expect(r!.n).toBe('1');
  });

  // Embedded PGlite runs queries on the single WASM thread and has no timer to interrupt them.
  it.skipIf(driver === 'pglite')('cancels a query past its timeout', async () => {
    await refused({ query: 'SELECT 1 AS x FROM pg_sleep(3)', timeout: '200ms' }, /longer than its timeout of 200 ms/);
  });

  it('reports syntax errors with the Postgres message and position', async () => {
    await refused({ query: 'SELECT segment\nFROM customers\nWHER spend > 0' }, /syntax error at line 3, column 6: syntax error at or near "spend"/);
  });

  it('refuses duplicate result column names and unknown dataset aliases', async () => {
    await refused({ query: 'SELECT 1 AS a, 2 AS a' }, /distinct name/);
    await refused({ query: 'SELECT 1', datasets: { x: 'ds_nope' } }, /does not exist/);
  });

  it('rejects malformed config: empty, oversized, bad alias, bad timeout', () => {
    expect(sqlConfigSchema.safeParse({ query: '  ' }).success).toBe(false);
    expect(sqlConfigSchema.safeParse({ query: `SELECT '${'x'.repeat(100_001)}'` }).error?.issues[0]?.message).toMatch(/longer than 100 KB/);
    expect(sqlConfigSchema.safeParse({ query: 'SELECT 1', datasets: { 'a; drop': 'x' } }).success).toBe(false);
    expect(sqlConfigSchema.safeParse({ query: 'SELECT 1', timeout: '1 week' }).error?.issues[0]?.message).toMatch(/timeout/);
  });
});
