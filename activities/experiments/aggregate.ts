import type { Database } from '../../db/client.js';
import type { MetricSpec } from '../../kinds/abtest.js';
import { buildExposureCountQuery, buildMetricQuery, toArmSums, type ArmSums } from '../../experiments/metrics.js';

/** Runs each metric's aggregate query: per-arm sufficient statistics, computed in the database. */
export async function aggregateMetrics(db: Pick<Database, 'query'>, experimentId: string, asOf: Date, metrics: MetricSpec[], arms: string[]): Promise<ArmSums[][]> {
  const out: ArmSums[][] = [];
  for (const m of metrics) {
    const q = buildMetricQuery(experimentId, asOf, m);
    out.push(toArmSums(await db.query(q.text, q.params), arms));
  }
  return out;
}

export async function countExposures(db: Pick<Database, 'query'>, experimentId: string, asOf: Date): Promise<Record<string, number>> {
  const q = buildExposureCountQuery(experimentId, asOf);
  const rows = await db.query<{ arm: string; n: string | number }>(q.text, q.params);
  return Object.fromEntries(rows.map((r) => [r.arm, Number(r.n)]));
}
