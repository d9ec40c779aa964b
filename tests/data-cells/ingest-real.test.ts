import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestExecutor } from '../../activities/ingest/executor.js';
import { ingestConfigSchema } from '../../kinds/ingest.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext, SHARED_DATA } from '../helpers/runs.js';

describe.each(DRIVERS)('ingest of real public data (%s)', (driver) => {
  let t: TestDatabase;
  beforeEach(async () => { t = await createTestDatabase(driver); });
  afterEach(async () => { await t.drop(); });

  it('loads hillstrom.csv: 64,000 typed rows, profile computed in SQL', async () => {
    const { runId } = await insertTestRun(t.db);
    const config = ingestConfigSchema.parse({ source: { csv: path.join(SHARED_DATA, 'hillstrom.csv') } });
    const ctx = makeCellContext(t.db, { runId, cellId: 'customers', config });
    const res = await ingestExecutor(ctx);
    expect(res.values.rows).toBe(64_000);
    const table = String(res.values.table);
    const [agg] = await t.db.query<{ n: string; spend: string; mens: string }>(
      `SELECT count(*)::text AS n, sum(spend)::numeric(12,2)::text AS spend, sum(mens)::text AS mens FROM ${table}`);
    expect(agg?.n).toBe('64000');
    expect(Number(agg?.spend)).toBeGreaterThan(0);
    const [ds] = await t.db.query<{ columns: { name: string; type: string }[]; reject_count: string }>(
      'SELECT columns, reject_count::text FROM datasets WHERE id = $1', [res.values.dataset]);
    const types = Object.fromEntries(ds!.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ recency: 'integer', history: 'double', spend: 'double', segment: 'text', visit: 'integer' });
    expect(ds!.reject_count).toBe('0');
    expect(ctx.progressCalls.some((p) => p.rowsLoaded === 10_000)).toBe(true);
    const profile = res.outputs.find((o) => o.metadata?.loom === 'profile')!.data['application/json'] as { name: string; distinct: number; nulls: number }[];
    expect(profile.find((p) => p.name === 'segment')).toMatchObject({ distinct: 3, nulls: 0 });
    expect(res.outputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads amazon_cells_labelled.txt: 991 rows, 9 space-separated lines rejected with line numbers', async () => {
    const { runId } = await insertTestRun(t.db);
    const config = ingestConfigSchema.parse({
      source: { csv: path.join(SHARED_DATA, 'amazon_cells_labelled.txt') }, delimiter: '\t', header: false,
      schema: [{ name: 'sentence', type: 'text' }, { name: 'label', type: 'integer' }], maxErrorRatio: 0.02,
    });
    const res = await ingestExecutor(makeCellContext(t.db, { runId, cellId: 'reviews', config }));
    expect(res.values.rows).toBe(991);
    const rejects = await t.db.query<{ line: number; reason: string }>(
      'SELECT line::int AS line, reason FROM dataset_rejects WHERE dataset_id = $1 ORDER BY line', [res.values.dataset]);
    expect(rejects).toHaveLength(9);
    for (const r of rejects) expect(r.reason).toBe('has 1 fields, expected 2');
    const fs = await import('node:fs');
    const lines = fs.readFileSync(path.join(SHARED_DATA, 'amazon_cells_labelled.txt'), 'utf8').split('\n');
    for (const r of rejects) expect(lines[r.line - 1]).not.toContain('\t');
  });
});
