import { toCategory, toNumber } from './coerce.js';
import { DEFAULT_CLIP, DEFAULT_TEXT, DEFAULT_TOP_K, type CategoricalEncoding, type FeatureSpec, type FeatureTransform, type FitStats } from './transform-types.js';

/** The "other" bucket's name in `denseNames`. */
export const OTHER = '__other__';

function denseNamesOf(t: Omit<FeatureTransform, 'denseNames'>): string[] {
  const names: string[] = [];
  for (const n of t.numeric) names.push(n.column, `${n.column}__missing`);
  for (const c of t.categorical) {
    if (c.mode === 'onehot') names.push(...c.values.map((v) => `${c.column}=${v}`), `${c.column}=${OTHER}`);
    else for (let b = 0; b < c.buckets; b++) names.push(`${c.column}#${b}`);
  }
  for (const b of t.boolean) names.push(b, `${b}__missing`);
  return names;
}

/** Builds the transform from train-split statistics (pure; the statistics decide everything fitted). */
export function buildTransform(spec: FeatureSpec, stats: FitStats): FeatureTransform {
  const clip = spec.clip ?? DEFAULT_CLIP;
  const numeric = spec.numeric.map((column) => {
    const s = stats.numeric[column];
    const mean = s && s.count > 0 && Number.isFinite(s.mean) ? s.mean : 0;
    // A constant (or empty) column carries no signal; std 1 keeps it at 0 instead of dividing by 0.
    const std = s && s.count > 0 && Number.isFinite(s.std) && s.std > 1e-12 ? s.std : 1;
    return { column, mean, std, clip };
  });
  const categorical = spec.categorical.map((c): CategoricalEncoding => {
    if (c.hashBuckets !== undefined) return { column: c.column, mode: 'hash', buckets: c.hashBuckets };
    const k = c.topK ?? spec.topK ?? DEFAULT_TOP_K;
    const values = [...(stats.categorical[c.column] ?? [])]
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, k).map((v) => v.value);
    return { column: c.column, mode: 'onehot', values };
  });
  const base = {
    format: 'loom.feature-transform' as const,
    version: 1 as const,
    numeric,
    categorical,
    boolean: [...spec.boolean],
    text: { columns: [...spec.text], ...DEFAULT_TEXT, ...spec.textOptions },
  };
  return { ...base, denseNames: denseNamesOf(base) };
}

/** Mean, population std (as scikit-learn's StandardScaler) and value counts of in-memory train rows. */
export function computeFitStats(spec: FeatureSpec, rows: readonly Record<string, unknown>[]): FitStats {
  const stats: FitStats = { numeric: {}, categorical: {} };
  for (const column of spec.numeric) {
    let n = 0, mean = 0, m2 = 0;
    for (const r of rows) {
      const x = toNumber(r[column]);
      if (x === null) continue;
      n++;
      const d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
    }
    stats.numeric[column] = { mean, std: n > 0 ? Math.sqrt(m2 / n) : 0, count: n };
  }
  for (const { column, hashBuckets } of spec.categorical) {
    if (hashBuckets !== undefined) continue;
    const counts = new Map<string, number>();
    for (const r of rows) {
      const v = toCategory(r[column]);
      if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    stats.categorical[column] = [...counts].map(([value, count]) => ({ value, count }));
  }
  return stats;
}

/** Fits a transform on the given rows, which must be the train split only (no leakage). */
export function fitTransform(spec: FeatureSpec, trainRows: readonly Record<string, unknown>[]): FeatureTransform {
  return buildTransform(spec, computeFitStats(spec, trainRows));
}
