import { describe, expect, test } from 'vitest';
import { DRIVERS, createTestDatabase } from '../tests/helpers/databases.js';

describe.each(DRIVERS)('copyFrom on %s', (driver) => {
  test('loads more than one PGlite batch of CSV cut at arbitrary points, quoted newlines included', async () => {
    const { db, drop } = await createTestDatabase(driver);
    try {
      await db.query('CREATE TABLE loom_data.copy_probe (id integer, body text)');
      const rows = 70_000;
      const body = (i: number) => `line one of ${i}\nsays "hi", then ${'x'.repeat(100)}`;
      const csv = Array.from({ length: rows }, (_, i) => `${i},"${body(i).replace(/"/g, '""')}"\n`).join('');
      expect(csv.length).toBeGreaterThan(9 * 1024 * 1024);
      // Chunks of a prime size never line up with records.
      const chunks = async function* () {
        for (let at = 0; at < csv.length; at += 100_003) yield csv.slice(at, at + 100_003);
      };
      await db.copyFrom('loom_data.copy_probe', ['id', 'body'], chunks());
      const [r] = await db.query<{ n: number; ok: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE body = 'line one of ' || id || E'\\nsays "hi", then ' || repeat('x', 100))::int AS ok FROM loom_data.copy_probe`,
      );
      expect(r).toEqual({ n: rows, ok: rows });
    } finally {
      await drop();
    }
  });
});
