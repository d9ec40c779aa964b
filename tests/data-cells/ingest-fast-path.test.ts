import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedCopy } from '../../activities/ingest/copy-guard.js';
import { ingestExecutor } from '../../activities/ingest/executor.js';
import { ingestConfigSchema } from '../../kinds/ingest.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-ingest-fast-'));
let n = 0;
function fixture(content: string | Buffer): string {
  const file = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

const NOTES = ['', 'gift wrap', 'said "leave at door"', 'two\r\nlines', 'a, b', 'ÉTÉ – 10%', '\\.', ' padded '];
const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A clean file with every column type, NULLs, quoted text with commas, quotes and newlines, CRLF. */
function ordersCsv(rows: number, bad?: { row: number; line: string }): string {
  const lines = ['order_id,Customer ID,amount,discount,email,note,day,created_at,converted'];
  for (let i = 1; i <= rows; i++) {
    if (bad?.row === i) {
      lines.push(bad.line);
      continue;
    }
    lines.push([
      i, 10_000_000_000 + i * 7, (i * 1.37).toFixed(2), i % 3 === 0 ? '' : `${i % 50}.5e-1`, i % 5 === 0 ? '' : `user${i % 97}@example.com`,
      quote(NOTES[i % NOTES.length]!), `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      `2024-02-29T${String(i % 24).padStart(2, '0')}:05:0${i % 10}${i % 2 ? 'Z' : '+05:30'}`, i % 4 === 0 ? 'TRUE' : 'no',
    ].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}


async function ingestWith(on: TestDatabase, runId: string, cellId: string, config: Record<string, unknown>) {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => { lines.push(s); } });
  const ctx = makeCellContext(on.db, { runId, cellId, config: ingestConfigSchema.parse(config), log });
  const res = await ingestExecutor(ctx);
  const done = lines.map((l) => JSON.parse(l) as { msg: string; path?: string }).find((l) => l.msg === 'ingest loaded dataset');
  const [ds] = await on.db.query<{ columns: unknown; row_count: string; reject_count: string; content_hash: string; profile: unknown }>(
    'SELECT columns, row_count::text, reject_count::text, content_hash, profile FROM datasets WHERE id = $1', [res.values.dataset]);
  return {
    res, ctx, path: done?.path, ds,
    rows: await on.db.query<Record<string, string | null>>(`SELECT * FROM ${String(res.values.table)}`),
    text: await on.db.query<{ row: string }>(`SELECT to_jsonb(d)::text AS row FROM ${String(res.values.table)} AS d`),
    rejects: await on.db.query<{ line: number; reason: string; raw: string }>(
      'SELECT line::int AS line, reason, raw FROM dataset_rejects WHERE dataset_id = $1 ORDER BY line', [res.values.dataset]),
  };
}

/** Values as Postgres prints them, with the pseudonymised column reduced to NULL or not (salts differ per database). */
const withoutPii = (rows: { row: string }[]) => rows.map((r) => {
  const { email, ...rest } = JSON.parse(r.row) as Record<string, unknown>;
  return [email === null, rest];
});

describe.each(DRIVERS)('ingest fast path: COPY of clean files, the careful path for anything else (%s)', (driver) => {
  let t: TestDatabase;
  let runId: string;
  let server: http.Server;
  let base = '';
  let cell = 0;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    ({ runId } = await insertTestRun(t.db));
    // The same files over loopback HTTP always take the careful path.
    server = http.createServer((req, res) => fs.createReadStream(path.join(dir, path.basename(req.url ?? ''))).pipe(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await t?.drop();
  });

  const ingest = (config: Record<string, unknown>) => ingestWith(t, runId, `c${cell++}`, config);
  const same = (a: Awaited<ReturnType<typeof ingest>>, b: Awaited<ReturnType<typeof ingest>>) => {
    expect(a.text).toEqual(b.text);
    expect(a.rejects).toEqual(b.rejects);
    expect(a.ds!.columns).toEqual(b.ds!.columns);
    expect([a.ds!.row_count, a.ds!.reject_count]).toEqual([b.ds!.row_count, b.ds!.reject_count]);
    expect(a.res.outputHash).toBe(b.res.outputHash);
    expect(a.ds!.profile).toEqual(b.ds!.profile);
  };

  it('gives the same table, pseudonyms, profile and content hash as the careful path on a clean file', async () => {
    const name = fixture('\ufeff' + ordersCsv(2500));
    const cfg = { schema: { 'Customer ID': 'bigint', created_at: 'timestamp' }, pii: ['email'] };
    const fast = await ingest({ source: { csv: name }, ...cfg });
    const careful = await ingest({ source: { csv: `${base}/${path.basename(name)}` }, ...cfg });
    expect([fast.path, careful.path]).toEqual(['copy', 'careful']);
    expect(fast.res.values.rows).toBe(2500);
    same(fast, careful);
    const types = Object.fromEntries((fast.ds!.columns as { name: string; type: string }[]).map((c) => [c.name, c.type]));
    expect(types).toEqual({ order_id: 'integer', customer_id: 'bigint', amount: 'double', discount: 'double', email: 'text', note: 'text', day: 'date', created_at: 'timestamp', converted: 'boolean' });
    expect(fast.rows[2]).toMatchObject({ note: 'two\r\nlines', discount: null });
    expect(fast.rows.map((r) => r.note)).toContain('\\.');
    expect(fast.rows[4]!.email).toBeNull();
    expect(fast.rows[0]!.email).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(fast.rows)).not.toContain('example.com');
    expect(fast.ctx.progressCalls.at(-1)).toEqual({ rowsLoaded: 2500, rejects: 0 });
  });

  it('rejects exactly the bad row deep inside an otherwise clean file, with its line number', async () => {
    const rows = 60_000;
    const lines = ['id,score,label'];
    for (let i = 1; i <= rows; i++) lines.push(i === 59_990 ? `${i},12x,row${i}` : `${i},${i % 1000},row${i}`);
    const res = await ingest({ source: { csv: fixture(lines.join('\n') + '\n') } });
    expect(res.path).toBe('careful');
    expect(res.res.values.rows).toBe(rows - 1);
    expect(res.rejects).toEqual([{ line: 59_991, reason: 'column "score": "12x" is not an integer', raw: '59990,12x,row59990' }]);
    expect(res.rows.at(-1)).toEqual({ id: 60_000, score: 0, label: 'row60000' });
    expect(res.ctx.progressCalls.filter((p) => p.rowsLoaded === 10_000).length).toBeGreaterThanOrEqual(1);
  });

  it('leaves files it is unsure of to the careful path, with the same result as over HTTP', async () => {
    const files: (string | Buffer | [string, Record<string, unknown>])[] = [
      'a\n1\n\\.\n2\n', // a line COPY would read as the end of the data
      'a,b\n1,""\n2,x\n', // "" is NULL to the careful path, '' to COPY
      ['a,b\n 1 ,x\n2,y\n', { schema: { a: 'integer' } }], // typed values are trimmed
      ['a\ntrue\non\n', { schema: { a: 'boolean' } }], // Postgres takes "on", the careful path does not
      ['a\n2147483648\n1\n', { schema: { a: 'integer' } }],
      'a,b\n1,x"y\n2,z\n', // a bare quote is text to the careful path
      'a,b\n1,x\n2,y\n\n', // blank lines are skipped
      'a\n1\n\n2\n',
      'a,b\n1,x\r\n2,y\n', // mixed line endings
      'a,b\n1,\uFFFD\n2,y\n', // U+FFFD is read as bad UTF-8
      Buffer.concat([Buffer.from('a,b\n1,x\n2,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n3,z\n')]),
      'a,b\n1,x\n2,y,z\n3,w\n',
    ];
    for (const entry of files) {
      const [content, extra] = Array.isArray(entry) ? entry : [entry, {}];
      const name = fixture(content);
      const local = await ingest({ source: { csv: name }, maxErrorRatio: 0.5, ...extra });
      const viaHttp = await ingest({ source: { csv: `${base}/${path.basename(name)}` }, maxErrorRatio: 0.5, ...extra });
      expect(local.path, String(content)).toBe('careful');
      same(local, viaHttp);
    }
  });

  it('takes the fast path for quoted typed values and a last line without a newline', async () => {
    const name = fixture('"n","d"\n"1","2024-01-01"\n2,"2024-01-02"');
    const fast = await ingest({ source: { csv: name } });
    const careful = await ingest({ source: { csv: `${base}/${path.basename(name)}` } });
    expect(fast.path).toBe('copy');
    same(fast, careful);
    const bare = fixture('7,x\n8,"y, z"\n');
    const cfg = { header: false, schema: [{ name: 'n', type: 'integer' }, { name: 's', type: 'text' }] };
    const [a, b] = [await ingest({ source: { csv: bare }, ...cfg }), await ingest({ source: { csv: `${base}/${path.basename(bare)}` }, ...cfg })];
    expect([a.path, a.res.values.rows]).toEqual(['copy', 2]);
    same(a, b);
  });

  it.skipIf(driver === 'pglite')('notices a COPY that Postgres refuses after the last chunk instead of waiting forever', async () => {
    const chunks = async function* (...parts: (string | Buffer<ArrayBuffer>)[]) { yield* parts; };
    const rows = await t.db.transaction(async (tx) => {
      await tx.query('CREATE TEMP TABLE guarded (a integer CHECK (a < 5))');
      await tx.query('SAVEPOINT before_copy');
      const failure = await guardedCopy(tx, 'guarded', ['a'], chunks('1\n', Buffer.from('9\n')), t.db).then(() => undefined, (e: unknown) => e as Error);
      expect(failure?.message).toMatch(/COPY into guarded failed|violates check constraint/);
      // The connection is usable again, as the fallback to the careful path needs.
      await tx.query('ROLLBACK TO SAVEPOINT before_copy');
      await guardedCopy(tx, 'guarded', ['a'], chunks('1\n2\n'), t.db);
      return tx.query<{ n: string }>('SELECT count(*)::text AS n FROM guarded');
    });
    expect(rows).toEqual([{ n: '2' }]);
  });

  it('stops when cancelled mid-COPY and leaves nothing behind', async () => {
    const lines = ['id,v'];
    for (let i = 1; i <= 60_000; i++) lines.push(`${i},${i}`);
    const file = fixture(lines.join('\n'));
    const ctx = makeCellContext(t.db, { runId, cellId: 'cancelled', config: ingestConfigSchema.parse({ source: { csv: file } }) });
    ctx.progress = () => ctx.abort.abort();
    await expect(ingestExecutor(ctx)).rejects.toThrow(/cancelled|abort/i);
    const [d] = await t.db.query<{ n: string }>("SELECT count(*)::text AS n FROM datasets WHERE cell_id = 'cancelled'");
    expect(d!.n).toBe('0');
    const tables = await t.db.query("SELECT 1 FROM pg_tables WHERE schemaname = 'loom_data' AND tablename LIKE 'ds_%' AND tablename NOT IN (SELECT id FROM datasets)");
    expect(tables).toEqual([]);
  });
});

describe('ingest fast path on both databases', () => {
  it('stores the same values and gives the same content hash on PGlite and Postgres', async () => {
    const [pg, lite] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('pglite')]);
    try {
      const name = fixture(ordersCsv(1500));
      const cfg = { source: { csv: name }, schema: { 'Customer ID': 'bigint' }, pii: ['email'] };
      const [a, b] = await Promise.all([pg, lite].map(async (d) => ingestWith(d, (await insertTestRun(d.db)).runId, 'orders', cfg)));
      expect([a!.path, b!.path]).toEqual(['copy', 'copy']);
      expect(a!.res.outputHash).toBe(b!.res.outputHash);
      expect(withoutPii(b!.text)).toEqual(withoutPii(a!.text));
    } finally {
      await Promise.all([pg.drop(), lite.drop()]);
    }
  });
});
