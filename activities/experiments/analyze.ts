import { LoomInputError } from '../../core/errors.js';
import type { Database } from '../../db/client.js';
import { z } from 'zod';
import { metricSpecSchema } from '../../kinds/abtest.js';
import { analysisJson, analyze, type MetricResult, type SrmCheck } from '../../experiments/analysis.js';
import { decide, type Decision } from '../../experiments/decision.js';
import { armsOf, findExperiment, saveSnapshot } from '../../services/experiments/store.js';
import { aggregateMetrics, countExposures } from './aggregate.js';

/** The part of the stored (already validated) config an analysis reads. */
const analysisConfig = z.object({
  metric: metricSpecSchema,
  guardrails: z.array(metricSpecSchema),
  alpha: z.number(),
  sequential: z.object({ nStar: z.number() }),
  cuped: z.boolean(),
});

export interface AnalyzeInput {
  experimentId: string;
  asOfMs: number;
  elapsedMs: number;
  minDurationMs: number;
  maxDurationMs: number;
}

export interface AnalyzeOutput {
  stop: boolean;
  decision: Decision | null;
  reason: string;
  primary: Pick<MetricResult, 'metric' | 'relative' | 'ci' | 'pValue' | 'verdict'> | null;
  srm: Pick<SrmCheck, 'pValue' | 'mismatch'>;
}

/**
 * One analysis at `asOf`: SQL aggregation → statistics → stopping rule, written as a snapshot.
 * Re-running it for the same `asOf` (a retry or a replay) rewrites the same snapshot.
 */
export async function analyzeExperimentOnce(db: Database, input: AnalyzeInput): Promise<AnalyzeOutput> {
  const exp = await findExperiment({ db }, input.experimentId);
  if (!exp) throw new LoomInputError(`experiment ${input.experimentId} does not exist (was it deleted?)`);
  const config = analysisConfig.parse(exp.config);
  const arms = await armsOf({ db }, exp.id);
  const asOf = new Date(input.asOfMs);
  const names = arms.map((a) => a.name);
  const [sums, exposures] = await Promise.all([
    aggregateMetrics(db, exp.id, asOf, [config.metric, ...config.guardrails], names),
    countExposures(db, exp.id, asOf),
  ]);
  const analysis = analyze({
    metric: config.metric,
    guardrails: config.guardrails,
    sums,
    exposures,
    weights: Object.fromEntries(arms.map((a) => [a.name, a.weight])),
    alpha: config.alpha,
    nStar: config.sequential.nStar,
    cuped: config.cuped,
  });
  const verdict = decide({ analysis, elapsedMs: input.elapsedMs, minDurationMs: input.minDurationMs, maxDurationMs: input.maxDurationMs });
  await saveSnapshot({ db }, { experimentId: exp.id, asOf, ...analysisJson(analysis), decision: verdict.decision });
  const p = analysis.metrics[0];
  return {
    ...verdict,
    primary: p ? { metric: p.metric, relative: p.relative, ci: p.ci, pValue: p.pValue, verdict: p.verdict } : null,
    srm: { pValue: analysis.srm.pValue, mismatch: analysis.srm.mismatch },
  };
}
