import { ulid } from 'ulid';
import type { Database } from '../../db/client.js';
import { notebooks, notebookVersions } from '../../db/schema/notebooks.js';
import { runs } from '../../db/schema/runs.js';
import { cellAttempts, cellOutputs, runCells } from '../../db/schema/cells.js';

/**
 * Rows as the workers would leave them, written directly: these tests are about reading runs,
 * not about how they are produced.
 */
export async function seedRuns(db: Database, opts: { runs: number; cells: number; name?: string }): Promise<string[]> {
  const notebookId = `nb-${ulid()}`;
  const versionId = `nbv-${ulid()}`;
  await db.orm.insert(notebooks).values({ id: notebookId, name: opts.name ?? `seeded-${ulid()}`, latestVersion: 1 });
  await db.orm.insert(notebookVersions).values({ id: versionId, notebookId, version: 1, source: '# seeded', contentHash: 'h' });
  const ids: string[] = [];
  for (let r = 0; r < opts.runs; r++) {
    const runId = `run-${ulid()}`;
    ids.push(runId);
    await db.orm.insert(runs).values({ id: runId, notebookId, notebookVersionId: versionId, params: { r }, status: 'running' });
    for (let c = 0; c < opts.cells; c++) {
      const cellId = `cell${c}`;
      await db.orm.insert(runCells).values({ runId, cellId, kind: 'sql', queue: 'loom-cpu', position: c, status: 'succeeded', attempt: 2 });
      await db.orm.insert(cellAttempts).values([
        { runId, cellId, attempt: 1, status: 'failed', error: 'transient' },
        { runId, cellId, attempt: 2, status: 'succeeded' },
      ]);
      await db.orm.insert(cellOutputs).values([
        { runId, cellId, seq: 0, data: { 'text/plain': `out ${r}.${c}` } },
        { runId, cellId, seq: 1, data: { 'text/markdown': '**done**' } },
      ]);
    }
  }
  return ids;
}
