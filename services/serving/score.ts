import { and, desc, eq, sql } from 'drizzle-orm';
import { quoteIdent } from '../../db/client.js';
import { datasets, type Dataset } from '../../db/schema/datasets.js';
import { inputColumns, parseTransform } from '../../features/index.js';
import type { DbDeps } from '../deps.js';
import { BadUserInputError, NotFoundError } from '../errors.js';
import type { Prediction, Serving } from './serving.js';

/** Entity column of a preprocess feature table when the transform does not name one. */
export const DEFAULT_ENTITY_COLUMN = 'entity_id';

export interface ScoreResult extends Prediction {
  customerId: string;
  model: string;
  version: number;
  versionId: string;
  alias: string;
  threshold: number;
  /** The dataset the customer's features were read from. */
  datasetId: string;
}

/**
 * Scores one known customer: reads their row from the feature dataset the version was trained on
 * (its lineage), or else from the latest dataset that has the entity column, and predicts.
 */
export async function score(serving: Serving, deps: DbDeps, input: { customerId: string; model: string; alias: string }): Promise<ScoreResult> {
  const customerId = String(input.customerId);
  if (customerId.length === 0 || customerId.length > 200) throw new BadUserInputError('customerId must be 1 to 200 characters.');
  const version = await serving.aliases.resolve(deps, input.model, { alias: input.alias });
  const transform = parseTransform(version.featureSpec);
  const idColumn = transform.id ?? DEFAULT_ENTITY_COLUMN;
  const dataset = await featureDataset(deps, version.datasetId, idColumn);
  if (!dataset) {
    throw new NotFoundError(`No dataset with a ${JSON.stringify(idColumn)} column to look customers up in; ${input.model} v${version.version} has no lineage dataset with one. Use predict with the customer's features instead.`);
  }
  const wanted = [...inputColumns(transform).keys()];
  const have = new Set(dataset.columns.map((c) => c.name));
  const missing = wanted.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new NotFoundError(`Dataset ${dataset.id} lacks the feature columns ${missing.slice(0, 10).join(', ')} that ${input.model} v${version.version} needs; use predict with the customer's features instead.`);
  }
  const select = wanted.map(quoteIdent).join(', ') || '1 AS none';
  const rows = await deps.db.query<Record<string, unknown>>(
    `SELECT ${select} FROM loom_data.${quoteIdent(dataset.tableName)} WHERE ${quoteIdent(idColumn)}::text = $1 LIMIT 1`,
    [customerId],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError(`Customer ${JSON.stringify(customerId.slice(0, 80))} is not in dataset ${dataset.id} (column ${idColumn}).`);
  const result = await serving.predict(deps, input.model, { version: version.version }, [row]);
  const p = result.predictions[0]!;
  return { ...p, customerId, model: result.model, version: result.version, versionId: result.versionId, alias: input.alias, threshold: result.threshold, datasetId: dataset.id };
}

async function featureDataset(deps: DbDeps, lineageId: string | null, idColumn: string): Promise<Dataset | undefined> {
  const hasId = sql`${datasets.columns} @> ${JSON.stringify([{ name: idColumn }])}::jsonb`;
  if (lineageId) {
    const [ds] = await deps.db.orm.select().from(datasets).where(and(eq(datasets.id, lineageId), hasId)).limit(1);
    if (ds) return ds;
  }
  const [latest] = await deps.db.orm.select().from(datasets).where(hasId).orderBy(desc(datasets.createdAt)).limit(1);
  return latest;
}
