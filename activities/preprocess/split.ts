import { LoomInputError } from '../../core/errors.js';
import { quoteIdent, type Database } from '../../db/client.js';
import type { PreprocessConfig } from '../../kinds/preprocess.js';
import { DATA_SCHEMA } from '../ingest/store.js';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

/** Decides which label value is positive; refuses labels that are not binary. */
export async function resolvePositive(db: Database, tableName: string, label: string, positive: string | undefined): Promise<string> {
  const rows = await db.query<{ v: string }>(
    `SELECT DISTINCT ${quoteIdent(label)}::text AS v FROM ${DATA_SCHEMA}.${quoteIdent(tableName)} WHERE ${quoteIdent(label)} IS NOT NULL ORDER BY 1 LIMIT 6`);
  const values = rows.map((r) => r.v);
  const shown = values.slice(0, 5).map((v) => JSON.stringify(v.slice(0, 40))).join(', ');
  if (values.length === 0) throw new LoomInputError(`label: column "${label}" is empty (every value is NULL); pick the column that holds the outcome.`);
  if (values.length === 1) throw new LoomInputError(`label: every row of "${label}" is ${shown}; a classifier needs both outcomes in the data.`);
  if (values.length > 2) throw new LoomInputError(`label: column "${label}" has more than two values (${shown}${values.length > 5 ? ', …' : ''}); preprocess trains binary classifiers. Map it to two values with an sql cell first.`);
  if (positive !== undefined) {
    if (!values.includes(positive)) throw new LoomInputError(`label.positive: ${JSON.stringify(positive.slice(0, 40))} is not a value of "${label}"; its values are ${shown}.`);
    return positive;
  }
  const set = new Set(values.map((v) => v.toLowerCase()));
  if (set.has('1') && set.has('0')) return values.find((v) => v === '1')!;
  if (set.has('true') && set.has('false')) return values.find((v) => v.toLowerCase() === 'true')!;
  throw new LoomInputError(`label.positive: "${label}" has the values ${shown}; say which one is the positive outcome, e.g. positive: ${JSON.stringify(values[1]!.slice(0, 40))}.`);
}

export interface SplitQuery {
  /** SELECT yielding loom_row_id, loom_label, loom_split, loom_entity and c0…cN (the feature columns, in order). */
  sql: string;
  params: unknown[];
}

/**
 * Seeded, optionally stratified split in SQL. Rows are numbered in physical (load) order, shuffled
 * by md5(seed, row number) within each label class, and the first round(n·test) go to test, the
 * next round(n·validation) to validation. Same data and seed → same split on any database.
 */
export function splitQuery(tableName: string, label: string, positive: string, id: string | undefined, featureColumns: readonly string[], split: PreprocessConfig['split']): SplitQuery {
  const cols = featureColumns.map((c, i) => `${quoteIdent(c)} AS c${i}`);
  const entity = id ? `${quoteIdent(id)}::text` : 'NULL::text';
  const inner = `SELECT row_number() OVER (ORDER BY ctid) AS loom_row_id,
      CASE WHEN ${quoteIdent(label)}::text = $1 THEN 1 ELSE 0 END AS loom_label, ${entity} AS loom_entity${cols.length ? ', ' + cols.join(', ') : ''}
    FROM ${DATA_SCHEMA}.${quoteIdent(tableName)} WHERE ${quoteIdent(label)} IS NOT NULL`;
  const part = split.stratify ? 'PARTITION BY loom_label' : '';
  const ranked = `SELECT s.*, row_number() OVER (${part} ORDER BY md5($2 || ':' || loom_row_id::text), loom_row_id) AS loom_rank,
      count(*) OVER (${part}) AS loom_n FROM (${inner}) AS s`;
  const sql = `SELECT r.*, CASE
      WHEN loom_rank <= floor(loom_n * $3::numeric + 0.5) THEN 'test'
      WHEN loom_rank <= floor(loom_n * $3::numeric + 0.5) + floor(loom_n * $4::numeric + 0.5) THEN 'validation'
      ELSE 'train' END AS loom_split FROM (${ranked}) AS r`;
  return { sql, params: [positive, String(split.seed), split.test, split.validation] };
}

export interface SplitCounts { split: SplitName; rows: number; positives: number }

export async function splitCounts(db: Database, q: SplitQuery): Promise<SplitCounts[]> {
  const rows = await db.query<{ split: SplitName; rows: string | number; positives: string | number }>(
    `SELECT loom_split AS split, count(*) AS rows, sum(loom_label) AS positives FROM (${q.sql}) AS x GROUP BY 1`, q.params);
  return SPLITS.map((s) => {
    const r = rows.find((x) => x.split === s);
    return { split: s, rows: Number(r?.rows ?? 0), positives: Number(r?.positives ?? 0) };
  });
}
