import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import * as schema from './schema/index.js';
import { CsvBlobBatcher } from './csv-blob-batcher.js';

export type LoomOrm = PgDatabase<PgQueryResultHKT, typeof schema>;

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Raw SQL on one connection (or inside one transaction). Parameters are always bound, never spliced. */
export interface SqlConn {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Streams CSV text into `COPY <table> (<columns>) FROM STDIN (FORMAT csv)`. `table` and `columns`
   * must already be quoted identifiers built with `quoteIdent`.
   */
  copyFrom(table: string, columns: string[], csvChunks: AsyncIterable<string | Uint8Array<ArrayBuffer>>): Promise<void>;
}

export interface Database extends SqlConn {
  driver: 'pglite' | 'postgres';
  orm: LoomOrm;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlConn) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres URL; when unset, PGlite at `pgliteDir` (or in memory when that is unset too). */
  url?: string | undefined;
  pgliteDir?: string | undefined;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Postgres pool size. @default 10 */
  maxConnections?: number;
}

/** Double-quotes an SQL identifier; the only way user-visible names reach SQL text. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.length > 63 || name.includes('\0')) {
    throw new Error(`Invalid SQL identifier ${JSON.stringify(name.slice(0, 80))}: must be 1-63 characters without NUL`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** PGlite reads COPY input from a Blob; this bounds one Blob so a large load never sits in memory whole. */
const PGLITE_COPY_CHUNK_BYTES = 8 * 1024 * 1024;

function pgliteConn(pg: Pick<PGlite, 'query'>): SqlConn {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      const res = await pg.query<T>(text, params);
      return res.rows;
    },
    async copyFrom(table, columns, csvChunks) {
      const statement = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`;
      const batcher = new CsvBlobBatcher(PGLITE_COPY_CHUNK_BYTES);
      const send = async (parts: Uint8Array[] | undefined) => {
        if (parts) await pg.query(statement, [], { blob: new Blob(parts as Uint8Array<ArrayBuffer>[]) });
      };
      for await (const chunk of csvChunks) await send(batcher.push(chunk));
      await send(batcher.finish());
    },
  };
}

function postgresConn(sql: postgres.Sql | postgres.TransactionSql): SqlConn {
  return {
    async query<T>(text: string, params: unknown[] = []) {
      const rows = await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as T[];
    },
    async copyFrom(table, columns, csvChunks) {
      const writable = await sql.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`).writable();
      await pipeline(Readable.from(csvChunks), writable);
    },
  };
}

/** Opens the database: Postgres when `url` is set, embedded PGlite otherwise. Migrates by default. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const shouldMigrate = options.migrate ?? true;
  if (options.url) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connection: { application_name: 'loom' },
    });
    const orm = drizzlePostgres(client, { schema });
    if (shouldMigrate) await migratePostgres(orm, { migrationsFolder: MIGRATIONS_DIR });
    return {
      driver: 'postgres',
      orm: orm as unknown as LoomOrm,
      ...postgresConn(client),
      transaction: (fn) => client.begin((tx) => fn(postgresConn(tx))) as Promise<never>,
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (options.pgliteDir) fs.mkdirSync(options.pgliteDir, { recursive: true });
  const pg = await PGlite.create(options.pgliteDir ? { dataDir: options.pgliteDir } : {});
  const orm = drizzlePglite(pg, { schema });
  if (shouldMigrate) await migratePglite(orm, { migrationsFolder: MIGRATIONS_DIR });
  return {
    driver: 'pglite',
    orm: orm as unknown as LoomOrm,
    ...pgliteConn(pg),
    transaction: (fn) => pg.transaction((tx) => fn(pgliteConn(tx))),
    close: () => pg.close(),
  };
}
