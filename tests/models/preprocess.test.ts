import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocessExecutor } from '../../activities/preprocess/executor.js';
import { readFeatureSplit } from '../../activities/preprocess/feature-table.js';
import type { CellResult } from '../../core/run-plan.js';
import { LoomInputError } from '../../core/errors.js';
import { featureShape, parseTransform } from '../../features/index.js';
import { preprocessConfigSchema } from '../../kinds/preprocess.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';
import { ingestCsv, writeShopCsv } from './preprocess-fixture.js';

const baseConfig = {
  label: { column: 'recommended' },
  id: 'customer_id',
  features: { numeric: ['age'], categorical: ['dept'], boolean: ['member'], text: ['review'] },
  split: { validation: 0.2, test: 0.2 },
  text: { buckets: 4096, maxTokens: 32 },
};

describe('preprocess cell', () => {
  let t: TestDatabase;
  let runId: string;
  let upstream: Record<string, CellResult>;

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    runId = (await insertTestRun(t.db)).runId;
    upstream = await ingestCsv(t.db, runId, 'shop', writeShopCsv());
  });
  afterAll(async () => { await t.drop(); });

  const run = (config: unknown, cellId = 'features', rid = runId) =>
    preprocessExecutor(makeCellContext(t.db, { runId: rid, cellId, config: preprocessConfigSchema.parse(config), upstream }));

  it('writes a stratified, seeded feature table and a transform fitted on train only', async () => {
    const done = await run(baseConfig);
    const v = done.values;
    expect(v.rows).toBe(240);
    expect(v.maxTokens).toBe(32);
    const transform = parseTransform(fs.readFileSync(String(v.transform), 'utf8'));
    expect(transform.label).toEqual({ column: 'recommended', positive: '1' });
    const table = String(v.table);
    const splits = await t.db.query<{ split: string; n: number; pos: number }>(`SELECT split, count(*)::int AS n, sum(label)::int AS pos FROM ${table} GROUP BY 1 ORDER BY 1`);
    // 144 positives and 96 negatives; 20% of each class to test and validation.
    expect(splits).toEqual([{ split: 'test', n: 48, pos: 29 }, { split: 'train', n: 144, pos: 86 }, { split: 'validation', n: 48, pos: 29 }]);

    // No leakage: the fitted mean is the mean over the train rows alone.
    const src = String(upstream.shop!.values.table);
    const [means] = await t.db.query<{ train: number; all: number }>(
      `SELECT avg(s.age) FILTER (WHERE f.split = 'train')::float8 AS train, avg(s.age)::float8 AS all
       FROM (SELECT row_number() OVER (ORDER BY ctid) AS rid, age FROM ${src}) s JOIN ${table} f ON f.row_id = s.rid`);
    expect(transform.numeric[0]!.mean).toBeCloseTo(means!.train, 9);
    expect(Math.abs(means!.train - means!.all)).toBeGreaterThan(1e-6);

    const batch = await readFeatureSplit(t.db, table, 'test', featureShape(transform));
    expect(batch.size).toBe(48);
    expect(batch.dense.length).toBe(48 * transform.denseNames.length);
    expect(Array.from(batch.labels!).reduce((a, b) => a + b, 0)).toBe(29);
    expect(batch.tokens.some((x) => x > 0)).toBe(true);
    const ids = await t.db.query<{ entity_id: string }>(`SELECT entity_id FROM ${table} WHERE row_id = 1`);
    expect(ids[0]!.entity_id).toBe('c0');
    expect(done.outputs.map((o) => o.metadata?.loom)).toEqual(['summary', 'splits', 'class-balance']);
    expect(done.outputs[2]!.data['application/vnd.vegalite.v5+json']).toMatchObject({ mark: 'bar' });
  });

  it('is deterministic across runs and idempotent for a retried attempt', async () => {
    const a = await run(baseConfig);
    const again = await run(baseConfig);
    expect({ ...again.values, transform: 0 }).toEqual({ ...a.values, transform: 0 });
    expect(again.outputHash).toBe(a.outputHash);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${String(a.values.table)}`) as [{ n: number }];
    expect(n).toBe(240);
    const other = await run(baseConfig, 'features', (await insertTestRun(t.db)).runId);
    expect(other.outputHash).toBe(a.outputHash);
    const seeded = await run({ ...baseConfig, split: { ...baseConfig.split, seed: 7 } }, 'seed7');
    expect(seeded.outputHash).not.toBe(a.outputHash);
  });

  it('infers feature kinds with auto: true', async () => {
    const done = await run({ label: { column: 'recommended' }, id: 'customer_id' }, 'auto');
    const summary = done.outputs[0]!.data['application/json'] as { features: Record<string, string[]> };
    // Reviews here are short and repeat, so they count as categories; customer_id is unique per row and left out.
    expect(summary.features).toEqual({ numeric: ['age'], categorical: ['dept', 'review'], boolean: ['member'], text: [] });
  });

  const fails = async (config: unknown, pattern: RegExp) => {
    const err = await run(config, 'bad').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoomInputError);
    expect((err as Error).message).toMatch(pattern);
  };

  it('refuses unknown columns, non-binary and one-class labels, an empty train split, mistyped features', async () => {
    await fails({ ...baseConfig, features: { numeric: ['agee'] } }, /features\.numeric\.0: column "agee" is not in dataset "shop"\. Its columns are: customer_id, age/);
    await fails({ ...baseConfig, label: { column: 'dept' } }, /more than two values .*Map it to two values/);
    await fails({ ...baseConfig, label: { column: 'recommended', positive: 'yes' } }, /label\.positive: "yes" is not a value of "recommended"/);
    await fails({ ...baseConfig, features: { numeric: ['review'] } }, /column "review" is text, not a number/);
    await fails({ ...baseConfig, features: { numeric: ['recommended'] } }, /is the label column/);
    await fails({ ...baseConfig, from: 'nowhere' }, /from: "nowhere" is not an upstream cell/);
    await fails({ ...baseConfig, features: { text: ['review'], categorical: ['review'] } }, /already listed/);
  });

  it('refuses a dataset whose label has one class, and splits that leave train empty', async () => {
    const rid = (await insertTestRun(t.db)).runId;
    const tiny = await ingestCsv(t.db, rid, 'tiny', writeTinyCsv([1, 1, 1]));
    const one = await preprocessExecutor(makeCellContext(t.db, { runId: rid, cellId: 'p', upstream: tiny, config: preprocessConfigSchema.parse({ label: { column: 'y' }, features: { numeric: ['x'] } }) })).catch((e: unknown) => e);
    expect((one as Error).message).toMatch(/every row of "y" is "1"; a classifier needs both outcomes/);
    const two = await ingestCsv(t.db, rid, 'two', writeTinyCsv([0, 1]));
    const empty = await preprocessExecutor(makeCellContext(t.db, { runId: rid, cellId: 'p2', upstream: two, config: preprocessConfigSchema.parse({ label: { column: 'y' }, features: { numeric: ['x'] }, split: { validation: 0.5, test: 0.49 } }) })).catch((e: unknown) => e);
    expect((empty as Error).message).toMatch(/The train split is empty \(train 0, validation 2, test 0\)/);
  });
});

function writeTinyCsv(labels: number[]): string {
  const file = `${fs.mkdtempSync('/tmp/loom-tiny-')}/tiny.csv`;
  fs.writeFileSync(file, ['x,y', ...labels.map((y, i) => `${i},${y}`)].join('\n') + '\n');
  return file;
}

describe('preprocess config', () => {
  it('applies defaults for any tabular + text dataset', () => {
    const c = preprocessConfigSchema.parse({ label: { column: 'y' } });
    expect(c.features.auto).toBe(true);
    expect(c.split).toEqual({ validation: 0.15, test: 0.15, stratify: true, seed: 42 });
    expect(c.text).toEqual({ buckets: 262144, maxTokens: 256, wordNgrams: [1, 2], charNgrams: null });
  });
  it.each([
    [{ label: { column: 'y' }, bogus: 1 }, /bogus/],
    [{}, /label/],
    [{ label: { column: 'y' }, split: { validation: 0.5, test: 0.5 } }, /leave rows for training/],
    [{ label: { column: 'y' }, split: { validation: -0.1 } }, /between 0 and 0.9/],
    [{ label: { column: 'x'.repeat(5000) } }, /at most 200 characters/],
    [{ label: { column: 'y' }, text: { wordNgrams: [3, 1] } }, /min ≤ max/],
    [{ label: { column: 'y' }, text: { buckets: 2 ** 30 } }, /buckets/],
    [{ label: { column: 'y' }, features: { categorical: [{ column: 'a', topK: 3, hashBuckets: 8 }] } }, /not both/],
    [{ label: { column: 'y' }, features: { numeric: Array.from({ length: 501 }, (_, i) => `c${i}`) } }, /at most 500/],
  ])('refuses %#', (config, pattern) => {
    const r = preprocessConfigSchema.safeParse(config);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues)).toMatch(pattern);
  });
});
