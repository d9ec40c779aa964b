import { LoomInputError } from '../../core/errors.js';
import { quoteIdent, type Database } from '../../db/client.js';
import type { DatasetColumn } from '../../db/schema/datasets.js';
import type { FeatureSpec } from '../../features/index.js';
import type { PreprocessConfig } from '../../kinds/preprocess.js';
import { DATA_SCHEMA } from '../ingest/store.js';
import { resolveColumn, type SourceDataset } from './source.js';

const NUMERIC_TYPES = new Set<DatasetColumn['type']>(['integer', 'bigint', 'double']);
/** Text columns whose average length reaches this are free text; shorter ones are categories. */
export const TEXT_MIN_AVG_CHARS = 30;

/** The feature spec in stored column names, every column checked against the dataset's types. */
export async function resolveFeatureSpec(db: Database, src: SourceDataset, cfg: PreprocessConfig, label: string, id: string | undefined): Promise<FeatureSpec> {
  const f = cfg.features;
  const used = new Map<string, string>();
  const take = (name: string, field: string): DatasetColumn => {
    const c = resolveColumn(src, name, field);
    if (c.name === label) throw new LoomInputError(`${field}: "${name}" is the label column; a model must not see its own label.`);
    if (c.name === id) throw new LoomInputError(`${field}: "${name}" is the id column; ids identify rows and carry no signal.`);
    const prev = used.get(c.name);
    if (prev) throw new LoomInputError(`${field}: column "${c.name}" is already listed under ${prev}; list each column once.`);
    used.set(c.name, field);
    return c;
  };
  const spec: FeatureSpec = { numeric: [], categorical: [], boolean: [], text: [], clip: f.clip, topK: f.topK, textOptions: { ...cfg.text } };
  f.numeric.forEach((n, i) => {
    const c = take(n, `features.numeric.${i}`);
    if (!NUMERIC_TYPES.has(c.type)) throw new LoomInputError(`features.numeric.${i}: column "${c.name}" is ${c.type}, not a number; list it under categorical or text, or convert it with an sql cell.`);
    spec.numeric.push(c.name);
  });
  f.categorical.forEach((x, i) => {
    const c = take(x.column, `features.categorical.${i}`);
    spec.categorical.push({ ...x, column: c.name });
  });
  f.boolean.forEach((n, i) => {
    const c = take(n, `features.boolean.${i}`);
    if (c.type !== 'boolean' && !NUMERIC_TYPES.has(c.type) && c.type !== 'text') throw new LoomInputError(`features.boolean.${i}: column "${c.name}" is ${c.type}; booleans come from true/false, yes/no or 0/1 columns.`);
    spec.boolean.push(c.name);
  });
  f.text.forEach((n, i) => {
    spec.text.push(take(n, `features.text.${i}`).name);
  });
  const excluded = new Set(f.exclude.map((n, i) => resolveColumn(src, n, `features.exclude.${i}`).name));
  if (f.auto) await inferKinds(db, src, spec, new Set([...used.keys(), ...excluded, label, ...(id ? [id] : [])]));
  if (spec.numeric.length + spec.categorical.length + spec.boolean.length + spec.text.length === 0) {
    throw new LoomInputError('features: no feature columns; list some under numeric, categorical, boolean or text, or set auto: true.');
  }
  return spec;
}

/** Assigns a kind to every column not already used, from its type and (for text) its average length. */
async function inferKinds(db: Database, src: SourceDataset, spec: FeatureSpec, skip: Set<string>): Promise<void> {
  const cols = src.columns.filter((c) => !skip.has(c.name));
  if (cols.length === 0) return;
  const parts = cols.map((c, i) => `${c.type === 'text' ? `avg(length(${quoteIdent(c.name)}))` : 'NULL'}::float8 AS l${i}, count(DISTINCT ${quoteIdent(c.name)})::float8 AS d${i}`);
  const r = (await db.query<Record<string, number | null>>(`SELECT count(*)::float8 AS n, ${parts.join(', ')} FROM ${DATA_SCHEMA}.${quoteIdent(src.tableName)}`))[0] ?? {};
  const n = Number(r.n ?? 0);
  cols.forEach((c, i) => {
    const distinct = Number(r[`d${i}`] ?? 0);
    if (NUMERIC_TYPES.has(c.type)) {
      // A whole-number column unique on every row is a row identifier, not a measurement.
      if (c.type !== 'double' && n > 1 && distinct === n) return;
      spec.numeric.push(c.name);
    } else if (c.type === 'boolean') spec.boolean.push(c.name);
    else if (c.type === 'text') {
      if (Number(r[`l${i}`] ?? 0) >= TEXT_MIN_AVG_CHARS) spec.text.push(c.name);
      else if (distinct < n || n <= 1) spec.categorical.push({ column: c.name });
    }
  });
}
