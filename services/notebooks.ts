import crypto from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import { KINDS } from '../kinds/index.js';
import { parseNotebook, type NotebookIssue } from '../notebook/index.js';
import { notebooks, notebookVersions, type Notebook, type NotebookVersion } from '../db/schema/notebooks.js';
import type { DbDeps, ServiceDeps } from './deps.js';
import { BadUserInputError, NotFoundError } from './errors.js';

export type { NotebookIssue };

/** Largest notebook source accepted, in UTF-8 bytes. */
export const MAX_NOTEBOOK_BYTES = 1024 * 1024;

export type SaveNotebookResult =
  | { notebook: Notebook; version: NotebookVersion; created: boolean }
  | { issues: NotebookIssue[] };

export function contentHash(source: string): string {
  return crypto.createHash('sha256').update(source, 'utf8').digest('hex');
}

/**
 * Validates and stores a notebook source as a new immutable version. Identical source returns the
 * existing version; an invalid notebook is never stored and its located issues are returned.
 */
export async function saveNotebook(deps: Pick<ServiceDeps, 'db' | 'kinds'>, source: string): Promise<SaveNotebookResult> {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > MAX_NOTEBOOK_BYTES) {
    throw new BadUserInputError(
      `Notebook source is ${bytes} bytes; the limit is ${MAX_NOTEBOOK_BYTES} bytes (1 MiB). Move large data into files the notebook ingests.`,
    );
  }
  const { notebook, issues } = parseNotebook(source, deps.kinds ?? KINDS);
  if (!notebook || issues.length > 0) {
    return { issues: issues.length > 0 ? issues : [{ message: 'The notebook could not be read.', line: 1, column: 1 }] };
  }
  const hash = contentHash(source);
  const name = notebook.name;
  await deps.db.orm
    .insert(notebooks)
    .values({ id: `nb-${ulid()}`, name })
    .onConflictDoNothing({ target: notebooks.name });

  // The row lock serialises concurrent saves of one notebook; the unique (notebook_id, version)
  // index is the backstop should anything bypass it.
  return deps.db.orm.transaction(async (tx) => {
    const [nb] = await tx.select().from(notebooks).where(eq(notebooks.name, name)).for('update');
    if (!nb) throw new Error(`Notebook row "${name}" missing right after upsert`);
    const [same] = await tx
      .select()
      .from(notebookVersions)
      .where(and(eq(notebookVersions.notebookId, nb.id), eq(notebookVersions.contentHash, hash)))
      .orderBy(desc(notebookVersions.version))
      .limit(1);
    if (same) return { notebook: nb, version: same, created: false };
    const [max] = await tx
      .select({ v: sql<number>`coalesce(max(${notebookVersions.version}), 0)::int` })
      .from(notebookVersions)
      .where(eq(notebookVersions.notebookId, nb.id));
    const next = (max?.v ?? 0) + 1;
    const [version] = await tx
      .insert(notebookVersions)
      .values({ id: `nbv-${ulid()}`, notebookId: nb.id, version: next, source, contentHash: hash })
      .returning();
    const [updated] = await tx
      .update(notebooks)
      .set({ latestVersion: next, updatedAt: new Date() })
      .where(eq(notebooks.id, nb.id))
      .returning();
    if (!version || !updated) throw new Error(`Saving version ${next} of "${name}" returned no row`);
    return { notebook: updated, version, created: true };
  });
}

/** A notebook by name, or NOT_FOUND naming it. */
export async function getNotebook(deps: DbDeps, name: string): Promise<Notebook> {
  const [nb] = await deps.db.orm.select().from(notebooks).where(eq(notebooks.name, name)).limit(1);
  if (!nb) {
    throw new NotFoundError(`No notebook named ${JSON.stringify(name.slice(0, 200))}. Save it first (saveNotebook or \`loom save\`).`);
  }
  return nb;
}

/** One version of a notebook (the latest when `version` is omitted), or NOT_FOUND naming both. */
export async function getNotebookVersion(
  deps: DbDeps,
  name: string,
  version?: number,
): Promise<{ notebook: Notebook; version: NotebookVersion }> {
  const nb = await getNotebook(deps, name);
  const wanted = version ?? nb.latestVersion;
  if (!Number.isInteger(wanted) || wanted < 1) {
    throw new BadUserInputError(`Version must be a positive integer; notebook "${nb.name}" has versions 1-${nb.latestVersion}.`);
  }
  const [row] = await deps.db.orm
    .select()
    .from(notebookVersions)
    .where(and(eq(notebookVersions.notebookId, nb.id), eq(notebookVersions.version, wanted)))
    .limit(1);
  if (!row) {
    throw new NotFoundError(`Notebook "${nb.name}" has no version ${wanted}; its latest version is ${nb.latestVersion}.`);
  }
  return { notebook: nb, version: row };
}
