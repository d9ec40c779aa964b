import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { CleanCsvScanner } from '../activities/ingest/clean-csv.js';
import { ingestExecutor } from '../activities/ingest/executor.js';
import { SQL_TYPES } from '../activities/ingest/infer.js';
import { csvRecords } from '../activities/ingest/records.js';
import { openDatabase, quoteIdent, type Database } from '../db/client.js';
import { ingestConfigSchema, type ColumnType } from '../kinds/ingest.js';
import { createPostgresDatabase } from '../tests/helpers/databases.js';
import { insertTestRun, makeCellContext } from '../tests/helpers/runs.js';
import { fmt, now, printTable } from './stats.js';
import { seededRandom as rng } from '../core/random.js';

export interface IngestOptions {
  rows: number;
  /** Also load the file into in-memory PGlite (for information). */
  pglite: boolean;
}

export const INGEST_DEFAULTS: IngestOptions = { rows: 1_000_000, pglite: true };

/** The generated file's columns and the types both loaders store them as. */
const COLUMNS: [string, ColumnType][] = [
  ['order_id', 'integer'],
  ['customer_id', 'bigint'],
  ['amount', 'double'],
  ['discount', 'double'],
  ['channel', 'text'],
  ['email', 'text'],
  ['note', 'text'],
  ['created_at', 'timestamp'],
  ['converted', 'boolean'],
  ['visits', 'integer'],
];

const CHANNELS = ['email', 'paid_search', 'organic', 'social', 'referral', 'display', 'affiliate'];
const NOTES = ['', 'gift wrap', 'call before delivery, please', 'said "leave at door"', 'repeat buyer', 'late, refunded shipping', 'ÉTÉ promo – 10%'];

function csvText(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes a CSV of `rows` orders with ints, bigints, floats, nullable floats, text, quoted text, timestamps and booleans. */
export async function generateOrdersCsv(file: string, rows: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const r = rng(20240601);
  const start = Date.UTC(2024, 0, 1);
  let buf = COLUMNS.map(([n]) => n).join(',') + '\n';
  for (let i = 1; i <= rows; i++) {
    const customer = 10_000_000_000 + Math.floor(r() * 5_000_000);
    const amount = (5 + r() * 495).toFixed(2);
    const discount = r() < 0.3 ? '' : (r() * 50).toFixed(2);
    const channel = CHANNELS[Math.floor(r() * CHANNELS.length)]!;
    const email = `user${customer % 1_000_000}@example.com`;
    const note = csvText(NOTES[Math.floor(r() * NOTES.length)]!);
    const created = new Date(start + Math.floor(r() * 365 * 86_400_000)).toISOString().slice(0, 19) + 'Z';
    const converted = r() < 0.12 ? 'true' : 'false';
    const visits = 1 + Math.floor(r() * 40);
    buf += `${i},${customer},${amount},${discount},${channel},${email},${note},${created},${converted},${visits}\n`;
    if (buf.length >= 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return fs.statSync(file).size;
}

interface LoomFigure {
  totalMs: number;
  /** From the start to the moment the dataset was committed (before profiling and sampling). */
  loadMs: number;
  rows: number;
}

async function loomIngest(db: Database, file: string, dataRoot: string): Promise<LoomFigure> {
  const { runId } = await insertTestRun(db);
  const config = ingestConfigSchema.parse({ source: { csv: file }, schema: Object.fromEntries(COLUMNS), maxErrorRatio: 0 });
  let lastProgress = 0;
  const ctx = makeCellContext(db, { runId, cellId: 'orders', config, dataRoots: [dataRoot] });
  ctx.progress = () => {
    lastProgress = now();
  };
  const t0 = now();
  const done = await ingestExecutor(ctx);
  const totalMs = now() - t0;
  fs.rmSync(ctx.artifactsDir, { recursive: true, force: true });
  return { totalMs, loadMs: lastProgress - t0, rows: Number(done.values.rows) };
}

/** Diagnostic: the fast path's reader alone (record structure and every typed value checked), no database. */
async function scanOnly(file: string): Promise<{ ms: number; rows: number }> {
  const scanner = new CleanCsvScanner({ types: COLUMNS.map(([, t]) => t), pii: COLUMNS.map(() => false), header: true });
  const t0 = now();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer<ArrayBuffer>>) scanner.push(chunk);
  scanner.end();
  return { ms: now() - t0, rows: scanner.rows };
}

/** Diagnostic: the careful path's CSV record reader alone (csv-parse with its options), no typing, no database. */
async function parseOnly(file: string): Promise<{ ms: number; rows: number }> {
  const t0 = now();
  let rows = -1; // the header is a record too
  for await (const r of csvRecords(fs.createReadStream(file, { encoding: 'utf8' }), ',')) {
    if (r.error === undefined) rows++;
  }
  return { ms: now() - t0, rows };
}

async function psqlCopy(url: string, file: string): Promise<{ ms: number; rows: number }> {
  const u = new URL(url);
  const db = await openDatabase({ url, migrate: false, maxConnections: 1 });
  try {
    await db.query(`CREATE TABLE bench_copy (${COLUMNS.map(([n, t]) => `${quoteIdent(n)} ${SQL_TYPES[t]}`).join(', ')})`);
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username) || 'postgres', '-d', u.pathname.slice(1),
      '-c', `\\copy bench_copy FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER)`];
    const env = { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) };
    const t0 = now();
    const child = spawn('psql', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    const [code] = (await once(child, 'exit')) as [number | null];
    const ms = now() - t0;
    if (code !== 0) throw new Error(`psql exited with ${code}`);
    const [row] = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM bench_copy');
    return { ms, rows: Number(row?.n ?? 0) };
  } finally {
    await db.close();
  }
}

/** Loom's `ingest` executor against `psql \copy` of the same file into the same column types. */
export async function benchIngest(opts: IngestOptions): Promise<void> {
  console.log(`\n## Ingest: ${opts.rows.toLocaleString('en')}-row CSV\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-bench-ingest-'));
  const file = path.join(dir, 'orders.csv');
  const pg = await createPostgresDatabase();
  const db = await openDatabase({ url: pg.url });
  try {
    const g0 = now();
    const bytes = await generateOrdersCsv(file, opts.rows);
    console.log(`generated ${file}: ${(bytes / 2 ** 20).toFixed(1)} MiB, ${COLUMNS.length} columns, in ${fmt((now() - g0) / 1000)} s\n`);

    const copy = await psqlCopy(pg.url, file);
    if (copy.rows !== opts.rows) throw new Error(`psql loaded ${copy.rows} rows, expected ${opts.rows}`);
    const loom = await loomIngest(db, file, dir);
    if (loom.rows !== opts.rows) throw new Error(`Loom loaded ${loom.rows} rows, expected ${opts.rows}`);
    let lite: LoomFigure | undefined;
    if (opts.pglite) {
      const mem = await openDatabase({});
      try {
        lite = await loomIngest(mem, file, dir);
      } finally {
        await mem.close();
      }
    }

    const scanned = await scanOnly(file);
    if (scanned.rows !== opts.rows) throw new Error(`the scanner saw ${scanned.rows} rows, expected ${opts.rows}`);
    const parsed = await parseOnly(file);
    if (parsed.rows !== opts.rows) throw new Error(`the reader saw ${parsed.rows} rows, expected ${opts.rows}`);

    const perSec = (ms: number) => (opts.rows / ms) * 1000;
    const rows: string[][] = [
      ['psql \\copy (Postgres)', fmt(copy.ms / 1000, 2), fmt(perSec(copy.ms), 0), '1.00'],
      ['Loom ingest, load + commit (Postgres)', fmt(loom.loadMs / 1000, 2), fmt(perSec(loom.loadMs), 0), fmt(copy.ms / loom.loadMs, 2)],
      ['Loom ingest, whole cell incl. profile (Postgres)', fmt(loom.totalMs / 1000, 2), fmt(perSec(loom.totalMs), 0), fmt(copy.ms / loom.totalMs, 2)],
    ];
    if (lite) {
      rows.push(
        ['Loom ingest, load + commit (PGlite, in memory)', fmt(lite.loadMs / 1000, 2), fmt(perSec(lite.loadMs), 0), fmt(copy.ms / lite.loadMs, 2)],
        ['Loom ingest, whole cell incl. profile (PGlite)', fmt(lite.totalMs / 1000, 2), fmt(perSec(lite.totalMs), 0), fmt(copy.ms / lite.totalMs, 2)],
      );
    }
    rows.push(
      ['(diagnostic) fast path reader alone: structure + typed values checked, no database', fmt(scanned.ms / 1000, 2), fmt(perSec(scanned.ms), 0), fmt(copy.ms / scanned.ms, 2)],
      ['(diagnostic) careful path CSV reader alone (csv-parse), no typing, no database', fmt(parsed.ms / 1000, 2), fmt(perSec(parsed.ms), 0), fmt(copy.ms / parsed.ms, 2)],
    );
    printTable(['loader', 'seconds', 'rows/s', 'ratio vs psql (rows/s)'], rows);
    const ratio = copy.ms / loom.totalMs;
    console.log(`\nRatio Loom ingest / psql \\copy, rows per second (whole cell): ${fmt(ratio, 2)}; goal >= 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'}`);
    console.log(`Ratio Loom ingest / psql \\copy, rows per second (load + commit only): ${fmt(copy.ms / loom.loadMs, 2)}`);
  } finally {
    await db.close();
    await pg.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
