import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestExecutor } from '../../activities/ingest/executor.js';
import { LoomInputError } from '../../core/errors.js';
import { ingestConfigSchema } from '../../kinds/ingest.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../helpers/databases.js';
import { insertTestRun, makeCellContext } from '../helpers/runs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-ingest-'));
let n = 0;
function fixture(content: string | Buffer, ext = 'csv'): string {
  const file = path.join(dir, `f${n++}.${ext}`);
  fs.writeFileSync(file, content);
  return file;
}

describe.each(DRIVERS)('ingest of malformed and hostile input (%s)', (driver) => {
  let t: TestDatabase;
  let runId: string;
  let cell = 0;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    ({ runId } = await insertTestRun(t.db));
  });
  afterAll(async () => { await t?.drop(); });

  const ingest = (config: Record<string, unknown>, cellId = `c${cell++}`) =>
    ingestExecutor(makeCellContext(t.db, { runId, cellId, config: ingestConfigSchema.parse(config) }));
  const rows = (table: unknown) => t.db.query<Record<string, string | null>>(`SELECT * FROM ${String(table)}`);
  const rejects = (id: unknown) => t.db.query<{ line: number; reason: string; raw: string }>(
    'SELECT line::int AS line, reason, raw FROM dataset_rejects WHERE dataset_id = $1 ORDER BY line', [id]);
  const failure = (config: Record<string, unknown>) => ingest(config).then(() => undefined, (e: unknown) => e as Error);

  it('rejects ragged rows, bad UTF-8 and NUL with line numbers, loads the rest', async () => {
    const good = Array.from({ length: 60 }, (_, i) => `${i},name${i}`).join('\n');
    const file = fixture(Buffer.concat([
      Buffer.from(`id,name\n${good}\n1,2,3\n7\n`), Buffer.from([0x38, 0x2c, 0xff, 0xfe, 0x0a]), Buffer.from('9,a\0b\n10,ok\n'),
    ]));
    const res = await ingest({ source: { csv: file }, maxErrorRatio: 0.1 });
    expect(res.values.rows).toBe(61);
    const r = await rejects(res.values.dataset);
    expect(r.map((x) => [x.line, x.reason])).toEqual([
      [62, 'has 3 fields, expected 2'], [63, 'has 1 fields, expected 2'],
      [64, 'column "name" is not valid UTF-8'], [65, 'column "name" contains a NUL byte'],
    ]);
  });

  it('fails past maxErrorRatio with counts and the first reasons with line numbers; leaves nothing behind', async () => {
    const file = fixture('age,x\n1,a\nabc,b\n3,c\n' + Array.from({ length: 20 }, () => 'zz,d').join('\n') + '\n');
    const err = await failure({ source: { csv: file }, schema: { age: "integer" } });
    expect(err).toBeInstanceOf(LoomInputError);
    expect(err!.message).toMatch(/21 of 23 records were rejected/);
    expect(err!.message).toContain('line 3, column "age": "abc" is not an integer');
    const [d] = await t.db.query<{ n: string }>("SELECT count(*)::text AS n FROM datasets WHERE source = $1", [file]);
    expect(d!.n).toBe('0');
  });

  it('rejects later rows that do not fit the inferred type', async () => {
    const lines = Array.from({ length: 1200 }, (_, i) => `${i}`);
    lines[1100] = 'oops';
    const res = await ingest({ source: { csv: fixture(`n\n${lines.join('\n')}\n`) } });
    expect(res.values.rows).toBe(1199);
    expect((await rejects(res.values.dataset))[0]).toMatchObject({ line: 1102, reason: 'column "n": "oops" is not an integer' });
  });

  it('handles BOM, CRLF, quoted newlines and quotes', async () => {
    const res = await ingest({ source: { csv: fixture('\ufeffid,text\r\n1,"two\r\nlines"\r\n2,"say ""hi"""\r\n3,\\.\r\n') } });
    expect(res.values.rows).toBe(3);
    const r = await rows(res.values.table);
    expect(Object.keys(r[0]!)).toEqual(['id', 'text']);
    expect(r.map((x) => x.text)).toEqual(['two\r\nlines', 'say "hi"', '\\.']);
  });

  it('refuses an empty file and loads a header-only file as an empty dataset', async () => {
    const err = await failure({ source: { csv: fixture('') } });
    expect(err).toBeInstanceOf(LoomInputError);
    expect(err!.message).toMatch(/empty: expected a header row/);
    const res = await ingest({ source: { csv: fixture('a,b\n') } });
    expect(res.values.rows).toBe(0);
  });

  it('sanitises duplicate and hostile header names and keeps the originals', async () => {
    const long = 'x'.repeat(300);
    const res = await ingest({ source: { csv: fixture(`"""; DROP TABLE runs; --",,${long},Ünïcödé Name,a,A,a\n1,2,3,4,5,6,7\n`) } });
    const [d] = await t.db.query<{ columns: { name: string; originalName: string }[] }>('SELECT columns FROM datasets WHERE id = $1', [res.values.dataset]);
    expect(d!.columns.map((c) => c.name)).toEqual(['drop_table_runs', 'col_2', 'x'.repeat(63), 'unicode_name', 'a', 'a_2', 'a_3']);
    expect(d!.columns[0]!.originalName).toBe('"; DROP TABLE runs; --');
    expect(d!.columns[2]!.originalName).toBe(long);
    expect((await t.db.query('SELECT 1 FROM runs')).length).toBe(1);
  });

  it('applies a declared schema and rejects values that do not match it', async () => {
    const res = await ingest({ source: { csv: fixture('id,day,ok\n1,2024-02-29,true\n2,2023-02-29,false\n3,2024-03-01,maybe\n' + '4,2024-01-01,t\n'.repeat(60)) }, schema: { day: 'date', ok: 'boolean', id: 'bigint' } });
    expect(res.values.rows).toBe(61);
    expect((await rejects(res.values.dataset)).map((r) => r.reason)).toEqual([
      'column "day": "2023-02-29" is not a date (YYYY-MM-DD)', 'column "ok": "maybe" is not a boolean (true/false)',
    ]);
    const err = await failure({ source: { csv: fixture('a\n1\n') }, schema: { nope: 'text' } });
    expect(err!.message).toMatch(/schema names column "nope", which the file does not have. Columns: a/);
  });

  it('refuses a record over 1 MiB by line, naming the limit', async () => {
    const err = await failure({ source: { csv: fixture(`id,blob\n1,a\n2,${'x'.repeat(5 * 1024 * 1024)}\n3,c\n`) } });
    expect(err).toBeInstanceOf(LoomInputError);
    expect(err!.message).toMatch(/line 3: the record is larger than 1 MiB/);
  });

  it('hashes PII deterministically and never stores the raw value', async () => {
    const file = fixture('email,spend\nann@example.com,3\nbob@example.com,4\nann@example.com,5\n');
    const a = await ingest({ source: { csv: file }, pii: ['email'] });
    const b = await ingest({ source: { csv: file }, pii: ['email'] });
    const ra = await rows(a.values.table);
    const rb = await rows(b.values.table);
    expect(ra[0]!.email).toMatch(/^[0-9a-f]{32}$/);
    expect(ra[0]!.email).toBe(ra[2]!.email);
    expect(ra[0]!.email).not.toBe(ra[1]!.email);
    expect(rb.map((r) => r.email)).toEqual(ra.map((r) => r.email));
    const dump = JSON.stringify(await rows(a.values.table)) + JSON.stringify(await t.db.query('SELECT * FROM datasets'));
    expect(dump).not.toContain('example.com');
    const err = await failure({ source: { csv: file }, pii: ['phone'] });
    expect(err!.message).toMatch(/pii names column "phone"/);
  });

  it('refuses paths outside the data roots and non-loopback URLs', async () => {
    const outside = await failure({ source: { csv: '/etc/passwd' } });
    expect(outside).toBeInstanceOf(LoomInputError);
    expect(outside!.message).toMatch(/outside the allowed data directories.*LOOM_DATA_ROOTS/);
    const link = path.join(dir, `link${n++}.csv`);
    fs.symlinkSync('/etc/hostname', link);
    expect((await failure({ source: { csv: link } }))!.message).toMatch(/LOOM_DATA_ROOTS/);
    expect((await failure({ source: { csv: path.join(dir, 'missing.csv') } }))!.message).toMatch(/was not found/);
    for (const url of ['http://example.com/a.csv', 'http://10.0.0.1/a.csv', 'http://[fe80::1]/a.csv', 'http://127.0.0.1.evil.com/x']) {
      const err = await failure({ source: { csv: url } });
      expect(err).toBeInstanceOf(LoomInputError);
      expect(err!.message).toMatch(/is not allowed: ingest fetches only from this machine/);
    }
    expect((await failure({ source: { csv: 'file:///etc/passwd' } }))!.message).toMatch(/scheme "file:" is not supported/);
  });

  it('loads from a loopback URL and JSON Lines', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/data.jsonl') res.end('{"id":1,"tags":["a"],"ok":true}\n{"id":2,"ok":false}\nnot json\n{"id":3,"extra":1}\n');
      else if (req.url === '/data.csv') res.end('a,b\n1,2\n');
      else { res.statusCode = 404; res.end(); }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const csv = await ingest({ source: { csv: `${base}/data.csv` } });
      expect(csv.values.rows).toBe(1);
      const jl = await ingest({ source: { jsonl: `${base}/data.jsonl` }, maxErrorRatio: 0.5 });
      expect(jl.values.rows).toBe(3);
      expect((await rows(jl.values.table)).map((r) => r.tags)).toEqual(['["a"]', null, null]);
      expect((await rejects(jl.values.dataset))[0]!.reason).toMatch(/not valid JSON/);
      expect((await failure({ source: { csv: `${base}/missing.csv` } }))!.message).toMatch(/HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('replaces the dataset when the same (run, cell) runs again', async () => {
    const a = await ingest({ source: { csv: fixture('a\n1\n2\n') } }, 'again');
    const b = await ingest({ source: { csv: fixture('a\n1\n2\n3\n') } }, 'again');
    expect(b.values.dataset).toBe(a.values.dataset);
    expect((await rows(b.values.table)).length).toBe(3);
    const [d] = await t.db.query<{ n: string; rows: string }>("SELECT count(*)::text AS n, max(row_count)::text AS rows FROM datasets WHERE cell_id = 'again'");
    expect(d).toEqual({ n: '1', rows: '3' });
  });

  it('escapes user text in every HTML output', async () => {
    const res = await ingest({ source: { csv: fixture('"<script>x</script>"\n<img onerror=1>\n') } });
    const html = res.outputs.map((o) => String(o.data['text/html'])).join('');
    expect(html).not.toMatch(/<script>|<img/);
    expect(html).toContain('&lt;img onerror=1&gt;');
  });
});

describe('ingest config validation', () => {
  it('names the bad field and the fix', () => {
    const issues = (c: unknown) => ingestConfigSchema.safeParse(c).error?.issues.map((i) => i.message).join(' | ') ?? '';
    expect(issues({ source: { xml: 'a' } })).toMatch(/source must be \{ csv/);
    expect(issues({ source: { csv: 'a' }, encoding: 'latin1' })).toMatch(/only utf-8 is supported/);
    expect(issues({ source: { csv: 'a' }, delimiter: ';;' })).toMatch(/exactly one character/);
    expect(issues({ source: { csv: 'a' }, schema: { a: 'varchar' } })).toMatch(/types are integer, bigint/);
    expect(issues({ source: { csv: 'x'.repeat(5000) } })).toMatch(/longer than 4096/);
    expect(issues({ source: { csv: 'a' }, maxErrorRatio: 2 })).not.toBe('');
  });
});
