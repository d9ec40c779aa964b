import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import type { JsonValue } from '../core/mime.js';
import { modelAliasEvents, modelAliases, models, modelVersions, type Model, type ModelVersion } from '../db/schema/models.js';
import type { DbDeps } from './deps.js';
import { BadUserInputError, ConflictError, NotFoundError } from './errors.js';

/** Registry names are URL- and path-safe slugs: they name artifact directories. */
export const MODEL_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

const quoted = (s: unknown) => JSON.stringify(String(s).slice(0, 80));

export function checkModelName(name: string): string {
  if (typeof name !== 'string' || !MODEL_NAME_PATTERN.test(name)) {
    throw new BadUserInputError(`Model name ${quoted(name)} is not valid: use lowercase letters, digits and dashes, starting with a letter (at most 63), e.g. "purchase-intent".`);
  }
  return name;
}

export function checkAlias(alias: string): string {
  if (typeof alias !== 'string' || !ALIAS_PATTERN.test(alias)) {
    throw new BadUserInputError(`Alias ${quoted(alias)} is not valid: use lowercase letters, digits, "-" and "_", starting with a letter, e.g. "champion".`);
  }
  return alias;
}

export interface RegisterVersionInput {
  model: string;
  runId: string;
  cellId: string;
  /** Builds the artifact path once the version number is known. */
  artifactPath: (version: number) => string;
  artifactSha256: string;
  metrics: Record<string, JsonValue>;
  featureSpec: JsonValue;
  datasetId?: string | null;
  datasetHash?: string | null;
  notebookVersionId?: string | null;
  params?: Record<string, JsonValue>;
}

/**
 * Registers a model version, creating the model on first use. Idempotent on (run, cell): a retried
 * deploy gets the version it registered before. Version numbers are assigned under a row lock on
 * the model, so concurrent deploys never take the same number.
 */
export async function registerVersion(deps: DbDeps, input: RegisterVersionInput): Promise<{ version: ModelVersion; created: boolean }> {
  checkModelName(input.model);
  return deps.db.orm.transaction(async (tx) => {
    await tx.insert(models).values({ id: `mdl-${ulid()}`, name: input.model }).onConflictDoNothing({ target: models.name });
    const [model] = await tx.select().from(models).where(eq(models.name, input.model)).for('update');
    if (!model) throw new Error(`model ${input.model} vanished while registering a version`);
    const [existing] = await tx.select().from(modelVersions)
      .where(and(eq(modelVersions.runId, input.runId), eq(modelVersions.cellId, input.cellId)));
    if (existing) {
      if (existing.modelId !== model.id) {
        throw new ConflictError(`Cell "${input.cellId}" of run ${input.runId} already registered a version of another model; one deploy cell registers one model.`);
      }
      return { version: existing, created: false };
    }
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${modelVersions.version}), 0)::int + 1` })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model.id));
    const [row] = await tx.insert(modelVersions).values({
      id: `mv-${ulid()}`,
      modelId: model.id,
      version: next,
      artifactPath: input.artifactPath(next),
      artifactSha256: input.artifactSha256,
      metrics: input.metrics,
      featureSpec: input.featureSpec,
      runId: input.runId,
      cellId: input.cellId,
      datasetId: input.datasetId ?? null,
      datasetHash: input.datasetHash ?? null,
      notebookVersionId: input.notebookVersionId ?? null,
      params: input.params ?? {},
    }).returning();
    if (!row) throw new Error('inserting the model version returned no row');
    return { version: row, created: true };
  });
}

export async function getModel(deps: DbDeps, name: string): Promise<Model> {
  checkModelName(name);
  const [model] = await deps.db.orm.select().from(models).where(eq(models.name, name)).limit(1);
  if (!model) throw new NotFoundError(`No model named ${quoted(name)}; list models with the \`models\` query (a deploy cell registers them).`);
  return model;
}

export async function getVersion(deps: DbDeps, id: string): Promise<ModelVersion & { modelName: string }> {
  const [row] = await deps.db.orm.select({ v: modelVersions, name: models.name }).from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId)).where(eq(modelVersions.id, String(id))).limit(1);
  if (!row) throw new NotFoundError(`No model version with id ${quoted(id)}; version ids look like mv-01J….`);
  return { ...row.v, modelName: row.name };
}

/** The version a deploy cell registered, if it did (its retry and second phase reuse it). */
export async function versionForCell(deps: DbDeps, runId: string, cellId: string): Promise<(ModelVersion & { modelName: string }) | null> {
  const [row] = await deps.db.orm.select({ v: modelVersions, name: models.name }).from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(modelVersions.runId, runId), eq(modelVersions.cellId, cellId))).limit(1);
  return row ? { ...row.v, modelName: row.name } : null;
}

/** The version an alias points at now, or null (no such model or alias). */
export async function aliasTarget(deps: DbDeps, name: string, alias: string): Promise<ModelVersion | null> {
  const [row] = await deps.db.orm.select({ v: modelVersions }).from(modelAliases)
    .innerJoin(models, eq(models.id, modelAliases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(models.name, name), eq(modelAliases.alias, alias))).limit(1);
  return row?.v ?? null;
}

export async function listModels(deps: DbDeps): Promise<Model[]> {
  return deps.db.orm.select().from(models).orderBy(asc(models.name));
}

export async function listVersions(deps: DbDeps, modelId: string): Promise<ModelVersion[]> {
  return deps.db.orm.select().from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.version));
}

export interface AliasView { alias: string; versionId: string; version: number; updatedBy: string | null; reason: string | null; updatedAt: Date }

export async function listAliases(deps: DbDeps, modelId: string): Promise<AliasView[]> {
  return deps.db.orm.select({
    alias: modelAliases.alias, versionId: modelAliases.versionId, version: modelVersions.version,
    updatedBy: modelAliases.updatedBy, reason: modelAliases.reason, updatedAt: modelAliases.updatedAt,
  }).from(modelAliases).innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(eq(modelAliases.modelId, modelId)).orderBy(asc(modelAliases.alias));
}

export async function aliasHistory(deps: DbDeps, modelId: string, alias?: string) {
  return deps.db.orm.select().from(modelAliasEvents)
    .where(alias === undefined ? eq(modelAliasEvents.modelId, modelId) : and(eq(modelAliasEvents.modelId, modelId), eq(modelAliasEvents.alias, alias)))
    .orderBy(desc(modelAliasEvents.id));
}

export type VersionSelector = { alias: string; version?: undefined } | { version: number; alias?: undefined };

/** The version an alias points at, or a version by number. */
export async function resolve(deps: DbDeps, name: string, selector: VersionSelector): Promise<ModelVersion & { modelName: string }> {
  const model = await getModel(deps, name);
  if (selector.alias !== undefined) {
    checkAlias(selector.alias);
    const [row] = await deps.db.orm.select({ v: modelVersions }).from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, selector.alias))).limit(1);
    if (!row) {
      const known = (await listAliases(deps, model.id)).map((a) => a.alias);
      throw new NotFoundError(`Model "${name}" has no alias ${quoted(selector.alias)}; its aliases are: ${known.join(', ') || 'none yet (deploy a version first)'}.`);
    }
    return { ...row.v, modelName: model.name };
  }
  if (!Number.isInteger(selector.version) || selector.version < 1) {
    throw new BadUserInputError(`Version must be a positive integer, got ${quoted(selector.version)}.`);
  }
  const [v] = await deps.db.orm.select().from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, selector.version))).limit(1);
  if (!v) throw new NotFoundError(`Model "${name}" has no version ${selector.version}; see \`model(name: "${name}") { versions { version } }\`.`);
  return { ...v, modelName: model.name };
}

type AliasListener = (event: { modelName: string; alias: string; versionId: string }) => void;
const aliasListeners = new Set<AliasListener>();

/** In-process notice of alias moves, so this process's serving cache swaps at once. */
export function onAliasMoved(listener: AliasListener): () => void {
  aliasListeners.add(listener);
  return () => aliasListeners.delete(listener);
}

export interface AliasMove { model: string; alias: string; fromVersionId: string | null; toVersionId: string; moved: boolean }

/** Points `alias` at `versionId` and records the move; a move to where it already points records nothing. */
export async function setAlias(deps: DbDeps, name: string, alias: string, versionId: string, by: string, reason?: string | null): Promise<AliasMove> {
  checkAlias(alias);
  const model = await getModel(deps, name);
  const move = await deps.db.orm.transaction(async (tx) => {
    await tx.select({ id: models.id }).from(models).where(eq(models.id, model.id)).for('update');
    const [target] = await tx.select().from(modelVersions).where(eq(modelVersions.id, String(versionId))).limit(1);
    if (!target || target.modelId !== model.id) {
      throw new NotFoundError(`Model "${name}" has no version with id ${quoted(versionId)}.`);
    }
    const [current] = await tx.select().from(modelAliases).where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)));
    const from = current?.versionId ?? null;
    if (from === target.id) return { model: name, alias, fromVersionId: from, toVersionId: target.id, moved: false };
    const now = new Date();
    await tx.insert(modelAliases).values({ modelId: model.id, alias, versionId: target.id, updatedBy: by, reason: reason ?? null, updatedAt: now })
      .onConflictDoUpdate({ target: [modelAliases.modelId, modelAliases.alias], set: { versionId: target.id, updatedBy: by, reason: reason ?? null, updatedAt: now } });
    await tx.insert(modelAliasEvents).values({ modelId: model.id, alias, fromVersionId: from, toVersionId: target.id, by, reason: reason ?? null, at: now });
    return { model: name, alias, fromVersionId: from, toVersionId: target.id, moved: true };
  });
  if (move.moved) for (const l of aliasListeners) l({ modelName: name, alias, versionId: move.toVersionId });
  return move;
}

/** Moves `alias` back to the version it pointed at before its last move. */
export async function rollback(deps: DbDeps, name: string, alias: string, by: string, reason?: string | null): Promise<AliasMove> {
  checkAlias(alias);
  const model = await getModel(deps, name);
  const [last] = await aliasHistory(deps, model.id, alias);
  if (!last) throw new NotFoundError(`Model "${name}" has no alias ${quoted(alias)} to roll back.`);
  if (!last.fromVersionId) {
    throw new ConflictError(`Alias "${alias}" of "${name}" has pointed at only one version so far; there is nothing to roll back to. Use setModelAlias to point it elsewhere.`);
  }
  return setAlias(deps, name, alias, last.fromVersionId, by, reason ? `rollback: ${reason}` : 'rollback');
}
