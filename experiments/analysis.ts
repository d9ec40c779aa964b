import type { JsonValue } from '../core/mime.js';
import type { MetricSpec } from '../kinds/abtest.js';
import { compareArms } from '../stats/compare.js';
import { sequentialRho } from '../stats/sequential.js';
import { sampleRatioMismatch } from '../stats/srm.js';
import type { MetricStats } from '../stats/types.js';
import type { ArmSums } from './metrics.js';

/**
 * One analysis of an experiment: per-arm sufficient statistics (from SQL) → the statistics engine
 * → a JSON-safe result per metric and the sample-ratio check. Pure.
 */

export const CONTROL = 'control';
export const TREATMENT = 'treatment';

export interface MetricResult {
  metric: string;
  role: 'primary' | 'guardrail';
  better: 'higher' | 'lower';
  arms: { arm: string; n: number; mean: number | null }[];
  /** Treatment − control, CUPED-adjusted when enabled. */
  absolute: number | null;
  relative: number | null;
  /** Always-valid interval on the relative lift (fixed-horizon when sequential is off). */
  ci: [number, number] | null;
  absoluteCi: [number, number] | null;
  pValue: number | null;
  eValue: number | null;
  /** The interval excludes zero. */
  conclusive: boolean;
  /** conclusive and in the better direction / worse direction. */
  verdict: 'better' | 'worse' | 'inconclusive' | 'insufficient_data';
  varianceReduction: number | null;
}

export interface SrmCheck {
  observed: Record<string, number>;
  expected: Record<string, number>;
  chiSquare: number;
  pValue: number;
  mismatch: boolean;
}

export interface AnalysisInput {
  metric: MetricSpec;
  guardrails: MetricSpec[];
  sums: ArmSums[][];
  exposures: Record<string, number>;
  weights: Record<string, number>;
  alpha: number;
  nStar: number | null;
  cuped: boolean;
}

/** A readable metric name: `repeat_purchase_14d`, `retention_d7`, … */
export function metricName(m: MetricSpec): string {
  switch (m.type) {
    case 'retention': return `retention_d${m.day}`;
    case 'churn': return `churn_${m.inactiveDays}d`;
    case 'purchases':
    case 'revenue': return m.days === undefined ? `${m.type}_per_customer` : `${m.type}_${m.days}d`;
    default: return `${m.type}_${m.days}d`;
  }
}

const finite = (x: number | undefined | null): number | null => (x !== undefined && x !== null && Number.isFinite(x) ? x : null);
const interval = (ci: [number, number] | undefined): [number, number] | null => (ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? [ci[0], ci[1]] : null);

function toStats(s: ArmSums, cuped: boolean): MetricStats {
  return { n: s.n, sum: s.sumY, sumSquares: s.sumY2, ...(cuped ? { covariate: { sum: s.sumX, sumSquares: s.sumX2, sumProducts: s.sumXY } } : {}) };
}

function isBinary(m: MetricSpec): boolean {
  return m.type !== 'purchases' && m.type !== 'revenue';
}

export function analyzeMetric(m: MetricSpec, role: MetricResult['role'], sums: ArmSums[], opts: Pick<AnalysisInput, 'alpha' | 'nStar' | 'cuped'>): MetricResult {
  const c = sums.find((s) => s.arm === CONTROL);
  const t = sums.find((s) => s.arm === TREATMENT);
  const base: MetricResult = {
    metric: metricName(m), role, better: m.better,
    arms: sums.map((s) => ({ arm: s.arm, n: s.n, mean: s.n > 0 ? s.sumY / s.n : null })),
    absolute: null, relative: null, ci: null, absoluteCi: null, pValue: null, eValue: null,
    conclusive: false, verdict: 'insufficient_data', varianceReduction: null,
  };
  if (!c || !t || c.n < 2 || t.n < 2) return base;
  const spec = { name: base.metric, type: isBinary(m) ? 'proportion' as const : 'mean' as const, higherIsBetter: m.better === 'higher' };
  const rho = opts.nStar === null ? null : sequentialRho(opts.alpha, opts.nStar);
  const r = compareArms(spec, toStats(c, opts.cuped), toStats(t, opts.cuped), { alpha: opts.alpha, cuped: opts.cuped, rho, prior: null });
  const seqRel = r.sequential?.relative ?? null;
  const seqAbs = r.sequential?.absolute ?? null;
  const ci = interval(rho === null ? r.relativeTest?.ci : seqRel?.ci);
  const absoluteCi = interval(rho === null ? r.absoluteTest?.ci : seqAbs?.ci);
  // The decision rests on the absolute difference, which is defined even when control's mean is 0.
  const pValue = finite(rho === null ? r.absoluteTest?.pValue : seqAbs?.pValue);
  const conclusive = pValue !== null && pValue < opts.alpha;
  const absolute = finite(r.absolute.estimate);
  const improved = absolute !== null && (m.better === 'higher' ? absolute > 0 : absolute < 0);
  return {
    ...base,
    absolute,
    relative: finite(r.relative.estimate),
    ci,
    absoluteCi,
    pValue,
    eValue: finite(seqAbs?.eValue),
    conclusive,
    verdict: pValue === null ? 'insufficient_data' : !conclusive ? 'inconclusive' : improved ? 'better' : 'worse',
    varianceReduction: finite(r.cuped?.varianceReduction),
  };
}

export function checkSrm(exposures: Record<string, number>, weights: Record<string, number>): SrmCheck {
  const arms = Object.keys(weights);
  const observed = arms.map((a) => exposures[a] ?? 0);
  const r = sampleRatioMismatch(observed, arms.map((a) => weights[a]!));
  return {
    observed: Object.fromEntries(arms.map((a, i) => [a, observed[i]!])),
    expected: Object.fromEntries(arms.map((a, i) => [a, r.expected[i]!])),
    chiSquare: r.chiSquare,
    pValue: r.pValue,
    mismatch: r.mismatch,
  };
}

export interface Analysis {
  metrics: MetricResult[];
  srm: SrmCheck;
}

export function analyze(input: AnalysisInput): Analysis {
  const opts = { alpha: input.alpha, nStar: input.nStar, cuped: input.cuped };
  const all = [input.metric, ...input.guardrails];
  const metrics = all.map((m, i) => analyzeMetric(m, i === 0 ? 'primary' : 'guardrail', input.sums[i] ?? [], opts));
  return { metrics, srm: checkSrm(input.exposures, input.weights) };
}

/** JSON for a jsonb column / Temporal payload. */
export function analysisJson(a: Analysis): { results: JsonValue; srm: JsonValue } {
  return { results: a.metrics as unknown as JsonValue, srm: a.srm as unknown as JsonValue };
}
