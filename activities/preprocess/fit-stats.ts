import type { Database } from '../../db/client.js';
import type { FeatureSpec, FitStats } from '../../features/index.js';
import type { SplitQuery } from './split.js';

/**
 * Train-split statistics by SQL aggregates: mean and population standard deviation of numeric
 * columns, the most frequent values of one-hot categoricals. Only train rows are read (no leakage).
 */
export async function fitStatsSql(db: Database, q: SplitQuery, spec: FeatureSpec, columnIndex: (name: string) => number): Promise<FitStats> {
  const stats: FitStats = { numeric: {}, categorical: {} };
  const train = `(SELECT * FROM (${q.sql}) AS x WHERE loom_split = 'train') AS t`;
  if (spec.numeric.length > 0) {
    const parts = spec.numeric.map((c, i) => {
      const col = `c${columnIndex(c)}::float8`;
      return `avg(${col}) AS m${i}, stddev_pop(${col}) AS s${i}, count(${col}) AS n${i}`;
    });
    const r = (await db.query<Record<string, number | string | null>>(`SELECT ${parts.join(', ')} FROM ${train}`, q.params))[0] ?? {};
    spec.numeric.forEach((c, i) => {
      stats.numeric[c] = { mean: Number(r[`m${i}`] ?? 0), std: Number(r[`s${i}`] ?? 0), count: Number(r[`n${i}`] ?? 0) };
    });
  }
  for (const c of spec.categorical) {
    if (c.hashBuckets !== undefined) continue;
    const k = c.topK ?? spec.topK ?? 20;
    const col = `c${columnIndex(c.column)}::text`;
    // Byte order breaks count ties, matching the JavaScript sort the fit uses afterwards.
    const rows = await db.query<{ v: string; n: string | number }>(
      `SELECT ${col} AS v, count(*) AS n FROM ${train} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, (${col}) COLLATE "C" LIMIT ${k}`, q.params);
    stats.categorical[c.column] = rows.map((r) => ({ value: r.v, count: Number(r.n) }));
  }
  return stats;
}
