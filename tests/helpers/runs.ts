import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CellContext } from '../../activities/types.js';
import type { JsonValue } from '../../core/mime.js';
import type { Database } from '../../db/client.js';
import { logger } from '../../runtime/logger.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared real datasets, beside the repository (also in CI's clone). */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');

/** Inserts a notebook, a version and a run: the rows a dataset's foreign keys need. */
export async function insertTestRun(db: Database): Promise<{ runId: string; notebookId: string; versionId: string }> {
  const suffix = crypto.randomBytes(6).toString('hex');
  const notebookId = `nb_${suffix}`;
  const versionId = `nbv_${suffix}`;
  const runId = `run-${suffix}`;
  await db.query('INSERT INTO notebooks (id, name, latest_version) VALUES ($1, $2, 1)', [notebookId, `test-${suffix}`]);
  await db.query('INSERT INTO notebook_versions (id, notebook_id, version, source, content_hash) VALUES ($1, $2, 1, $3, $4)', [versionId, notebookId, '# test', suffix]);
  await db.query(`INSERT INTO runs (id, notebook_id, notebook_version_id, params, status) VALUES ($1, $2, $3, '{}'::jsonb, 'running')`, [runId, notebookId, versionId]);
  return { runId, notebookId, versionId };
}

export interface TestCellContext<C> extends CellContext<C> {
  /** Every `progress` call, in order. */
  progressCalls: Record<string, JsonValue>[];
  abort: AbortController;
}

/** A real CellContext for calling an executor directly; `runId`, `cellId` and `config` are required. */
export function makeCellContext<C>(db: Database, partial: Partial<CellContext<C>> & { runId: string; cellId: string; config: C }): TestCellContext<C> {
  const abort = new AbortController();
  const progressCalls: Record<string, JsonValue>[] = [];
  const ctx: TestCellContext<C> = {
    attempt: 1,
    upstream: {},
    db,
    artifactsDir: fs.mkdtempSync(path.join(os.tmpdir(), 'loom-artifacts-')),
    dataRoots: [SHARED_DATA, os.tmpdir()],
    progress: (d) => { progressCalls.push(d); },
    signal: abort.signal,
    log: logger.child({ cell: partial.cellId }),
    ...partial,
    progressCalls,
    abort,
  };
  return ctx;
}
