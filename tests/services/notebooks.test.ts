import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { notebooks, notebookVersions } from '../../db/schema/notebooks.js';
import { MAX_NOTEBOOK_BYTES, getNotebookVersion, saveNotebook } from '../../services/notebooks.js';
import { BadUserInputError, NotFoundError } from '../../services/errors.js';
import { createTestDatabase, DRIVERS, type TestDatabase } from '../helpers/databases.js';
import { notebookSource } from './fixtures.js';

describe.each(DRIVERS)('saveNotebook on %s', (driver) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(driver);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('stores version 1, returns it again for identical source, and adds version 2 for new source', async () => {
    const first = await saveNotebook(t, notebookSource());
    if ('issues' in first) throw new Error(JSON.stringify(first.issues));
    expect(first).toMatchObject({ created: true, version: { version: 1 }, notebook: { name: 'weekly-report', latestVersion: 1 } });

    const again = await saveNotebook(t, notebookSource());
    expect(again).toMatchObject({ created: false, version: { id: first.version.id, version: 1 } });

    const changed = await saveNotebook(t, notebookSource('weekly-report', 'select 2 as two'));
    expect(changed).toMatchObject({ created: true, version: { version: 2 }, notebook: { latestVersion: 2 } });
    expect((await getNotebookVersion(t, 'weekly-report')).version.version).toBe(2);
    expect((await getNotebookVersion(t, 'weekly-report', 1)).version.source).toBe(notebookSource());
  });

  it('gives concurrent saves of different sources distinct consecutive versions', async () => {
    const sources = Array.from({ length: 6 }, (_, i) => notebookSource('busy', `select ${i} as n`));
    const results = await Promise.all(sources.map((s) => saveNotebook(t, s)));
    const versions = results.map((r) => ('version' in r ? r.version.version : -1)).sort();
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    const [nb] = await t.db.orm.select().from(notebooks).where(eq(notebooks.name, 'busy'));
    expect(nb?.latestVersion).toBe(6);
  });

  it('returns located issues for an invalid notebook and stores nothing', async () => {
    const bad = notebookSource().replace('cell sql id=summary', 'cell sqll id=summary');
    const result = await saveNotebook(t, bad);
    if (!('issues' in result)) throw new Error('expected issues');
    expect(result.issues.length).toBeGreaterThan(0);
    const issue = result.issues[0]!;
    expect(issue.line).toBe(14);
    expect(issue.column).toBeGreaterThan(0);
    expect(issue.message).toMatch(/sqll/);
    expect(await t.db.orm.select().from(notebookVersions)).toHaveLength(0);
  });

  it('handles hostile source: empty, binary, oversized', async () => {
    for (const source of ['', '\u0000\u0001\u0002', '---\n'.repeat(10_000), '```cell\n'.repeat(5000)]) {
      const result = await saveNotebook(t, source);
      expect('issues' in result).toBe(true);
    }
    const huge = notebookSource() + '\n' + 'x'.repeat(MAX_NOTEBOOK_BYTES);
    await expect(saveNotebook(t, huge)).rejects.toThrow(BadUserInputError);
    await expect(saveNotebook(t, huge)).rejects.toThrow(/limit is 1048576 bytes/);
    expect(await t.db.orm.select().from(notebookVersions)).toHaveLength(0);
  });

  it('names missing notebooks and versions', async () => {
    await expect(getNotebookVersion(t, 'nope')).rejects.toThrow(NotFoundError);
    await saveNotebook(t, notebookSource());
    await expect(getNotebookVersion(t, 'weekly-report', 9)).rejects.toThrow(/has no version 9; its latest version is 1/);
  });
});
