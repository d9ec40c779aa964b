import crypto from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../db/client.js';

/** Server for tests that need real Postgres; each test gets its own database on it. */
export const TEST_POSTGRES_URL = process.env.LOOM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DriverName = 'pglite' | 'postgres';
export const DRIVERS: DriverName[] = ['pglite', 'postgres'];

export interface TestDatabase {
  db: Database;
  /** Postgres URL of this test's own database (undefined for PGlite). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** Creates a fresh, empty, migrated Postgres database and returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `loom_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** A migrated database of the given driver: in-memory PGlite, or a new database on the test server. */
export async function createTestDatabase(driver: DriverName): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const db = await openDatabase({});
    return { db, url: undefined, drop: () => db.close() };
  }
  const pg = await createPostgresDatabase();
  const db = await openDatabase({ url: pg.url });
  return {
    db,
    url: pg.url,
    drop: async () => {
      await db.close();
      await pg.drop();
    },
  };
}
