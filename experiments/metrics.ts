import type { MetricSpec } from '../kinds/abtest.js';

/**
 * Metric definitions → one parameterised SQL query per metric returning per-arm sufficient
 * statistics: n, Σy, Σy², and for CUPED the pre-period covariate Σx, Σx², Σxy (x = the same
 * metric on the window just before first exposure). Pure string building; every value is a bound
 * parameter, nothing from the config is spliced into the text. Rows never reach Node.
 */

export interface MetricQuery {
  text: string;
  params: unknown[];
}

/** Per-arm sufficient statistics as the query returns them (numerics arrive as strings). */
export interface ArmSums {
  arm: string;
  n: number;
  sumY: number;
  sumY2: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
}

const DAY_S = 86_400;
/** The analysis time is always parameter 2. */
const A = '$2::timestamptz';

interface Shape {
  /** Event types that count. */
  types: string[];
  /** Post window start/end relative to t0 (first exposure) as SQL over `x.t0`, `$asOf` = $2. */
  post: [string, string];
  pre: [string, string];
  /** Only customers whose window ended by the analysis time count. */
  matured: string;
  /** Aggregate of one customer's events in a window: binary flag, count or sum. */
  agg: 'any' | 'count' | 'sum' | 'none';
  /** Extra predicate on the event (review rating). */
  eventFilter?: string;
}

/** Builds the window shape; `p(v)` binds a value and returns its placeholder. */
function shape(m: MetricSpec, p: (v: unknown) => string): Shape {
  const days = (d: number) => `(${p(d * DAY_S)}::double precision * interval '1 second')`;
  /** The usual shape: a window of `w` after exposure, the same length before it as the covariate. */
  const around = (types: string[], w: string, agg: Shape['agg'], eventFilter?: string): Shape => ({
    types, post: ['x.t0', `x.t0 + ${w}`], pre: [`x.t0 - ${w}`, 'x.t0'], matured: `x.t0 + ${w} <= ${A}`, agg, ...(eventFilter ? { eventFilter } : {}),
  });
  switch (m.type) {
    case 'repeat_purchase':
      return around(['purchase'], days(m.days), 'any');
    case 'retention': {
      const a = days(m.day);
      const b = days(m.day + m.window);
      const w = days(m.window);
      return { types: ['visit', 'purchase'], post: [`x.t0 + ${a}`, `x.t0 + ${b}`], pre: [`x.t0 - ${w}`, 'x.t0'], matured: `x.t0 + ${b} <= ${A}`, agg: 'any' };
    }
    case 'purchases':
    case 'revenue': {
      const agg = m.type === 'purchases' ? 'count' : 'sum';
      if (m.days !== undefined) return around(['purchase'], days(m.days), agg);
      // Up to the analysis time; the pre-period is as long as the customer's post-period.
      return { types: ['purchase'], post: ['x.t0', A], pre: [`x.t0 - (${A} - x.t0)`, 'x.t0'], matured: 'true', agg };
    }
    case 'churn': {
      const k = days(m.inactiveDays);
      // Churned = no activity in the last K days; the covariate is "inactive in the K days before exposure".
      return { types: ['visit', 'purchase'], post: [`${A} - ${k}`, A], pre: [`x.t0 - ${k}`, 'x.t0'], matured: `x.t0 <= ${A} - ${k}`, agg: 'none' };
    }
    case 'review_rate':
      return around(['review'], days(m.days), 'any');
    case 'negative_review_rate':
      return around(['review'], days(m.days), 'any', `e.value <= ${p(m.maxRating)}`);
  }
}

function windowAgg(agg: Shape['agg'], [from, to]: [string, string]): string {
  const inWindow = `e.occurred_at >= ${from} AND e.occurred_at < ${to}`;
  switch (agg) {
    case 'any': return `(count(*) FILTER (WHERE ${inWindow}) > 0)::int::double precision`;
    case 'none': return `(count(*) FILTER (WHERE ${inWindow}) = 0)::int::double precision`;
    case 'count': return `(count(*) FILTER (WHERE ${inWindow}))::double precision`;
    case 'sum': return `coalesce(sum(e.value) FILTER (WHERE ${inWindow}), 0)::double precision`;
  }
}

/**
 * The query for one metric of one experiment as of `asOf`. Exposures and events after `asOf` are
 * ignored, so the same data answers every point of a (simulated or real) analysis clock.
 */
export function buildMetricQuery(experimentId: string, asOf: Date, metric: MetricSpec): MetricQuery {
  const params: unknown[] = [experimentId, asOf.toISOString()];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const s = shape(metric, p);
  const types = p(s.types);
  const filter = s.eventFilter ? ` AND ${s.eventFilter}` : '';
  const cap = 'cap' in metric && metric.cap
    ? 'value' in metric.cap
      ? p(metric.cap.value) + '::double precision'
      : `(SELECT percentile_cont(${p(metric.cap.percentile)}::double precision) WITHIN GROUP (ORDER BY y) FROM per)`
    : undefined;
  const y = cap ? `least(y, ${cap})` : 'y';
  const x = cap ? `least(xpre, ${cap})` : 'xpre';
  const text = `WITH x AS (
  SELECT customer_id, arm, first_exposed_at AS t0 FROM experiment_exposures
  WHERE experiment_id = $1 AND first_exposed_at <= $2::timestamptz
), per AS (
  SELECT x.arm, ${windowAgg(s.agg, s.post)} AS y, ${windowAgg(s.agg, s.pre)} AS xpre
  FROM (SELECT customer_id, arm, t0 FROM x WHERE ${s.matured}) x
  LEFT JOIN customer_events e ON e.customer_id = x.customer_id AND e.type = ANY(${types}::text[])
    AND e.occurred_at >= ${s.pre[0]} AND e.occurred_at < ${s.post[1]} AND e.occurred_at < $2::timestamptz${filter}
  GROUP BY x.arm, x.customer_id
), capped AS (
  SELECT arm, ${y} AS y, ${x} AS x FROM per
)
SELECT arm, count(*)::bigint AS n, coalesce(sum(y), 0) AS sum_y, coalesce(sum(y * y), 0) AS sum_y2,
  coalesce(sum(x), 0) AS sum_x, coalesce(sum(x * x), 0) AS sum_x2, coalesce(sum(x * y), 0) AS sum_xy
FROM capped GROUP BY arm ORDER BY arm`;
  return { text, params };
}

/** Parses the query's rows; arms without exposed customers get zeros. */
export function toArmSums(rows: Record<string, unknown>[], arms: readonly string[]): ArmSums[] {
  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  return arms.map((arm) => {
    const r = rows.find((row) => row.arm === arm);
    return {
      arm,
      n: num(r?.n),
      sumY: num(r?.sum_y),
      sumY2: num(r?.sum_y2),
      sumX: num(r?.sum_x),
      sumX2: num(r?.sum_x2),
      sumXY: num(r?.sum_xy),
    };
  });
}

/** Exposures per arm as of the analysis time, for the SRM check. */
export function buildExposureCountQuery(experimentId: string, asOf: Date): MetricQuery {
  return {
    text: 'SELECT arm, count(*)::bigint AS n FROM experiment_exposures WHERE experiment_id = $1 AND first_exposed_at <= $2::timestamptz GROUP BY arm',
    params: [experimentId, asOf.toISOString()],
  };
}
