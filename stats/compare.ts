/**
 * One treatment arm against control on one metric: the estimates, before any correction across
 * the family of comparisons.
 */
import { bayesianLift, type BayesianSummary } from './bayesian.js';
import { cupedAdjust } from './cuped.js';
import { testEstimate, type Test } from './inference.js';
import { summarise } from './moments.js';
import { twoProportionZTest, type ProportionZTest } from './proportions.js';
import { ratioSummary } from './ratio.js';
import { confidenceSequence, type ConfidenceSequence } from './sequential.js';
import { relativeLift, welchDifference } from './two-sample.js';
import type { Estimate, MetricSpec, MetricStats, Summary } from './types.js';

export interface RawComparison {
  control: Summary;
  treatment: Summary;
  absolute: Estimate;
  relative: Estimate;
  absoluteTest: Test | null;
  relativeTest: Test | null;
  proportionZ: ProportionZTest | null;
  /** Means are the regression-adjusted ones; control and treatment above stay raw. */
  cuped: { theta: number; varianceReduction: number; controlMean: number; treatmentMean: number } | null;
  sequential: { absolute: ConfidenceSequence | null; relative: ConfidenceSequence | null } | null;
  bayesian: BayesianSummary | null;
}

export interface CompareOptions {
  alpha: number;
  cuped: boolean;
  rho: number | null;
  prior: { mean: number; sd: number } | null;
}

function summaries(spec: MetricSpec, control: MetricStats, treatment: MetricStats): { a: Summary; b: Summary } {
  if (spec.type === 'ratio') return { a: ratioSummary(control, control.denominator!), b: ratioSummary(treatment, treatment.denominator!) };
  return { a: summarise(control), b: summarise(treatment) };
}

export function compareArms(spec: MetricSpec, control: MetricStats, treatment: MetricStats, options: CompareOptions): RawComparison {
  const raw = summaries(spec, control, treatment);
  let { a, b } = raw;
  let cuped: RawComparison['cuped'] = null;
  const adjusted = options.cuped && spec.type !== 'ratio' ? cupedAdjust(control, treatment) : null;
  if (adjusted) {
    const before = welchDifference(raw.a, raw.b).se ** 2;
    a = adjusted.control;
    b = adjusted.treatment;
    cuped = { theta: adjusted.theta, varianceReduction: 1 - welchDifference(a, b).se ** 2 / before, controlMean: a.mean, treatmentMean: b.mean };
  }
  // Ratio metrics are large-sample delta-method estimates: normal reference distribution.
  const welch = welchDifference(a, b);
  const absolute = spec.type === 'ratio' ? { ...welch, df: Infinity } : welch;
  const relative = relativeLift(a, b, absolute.df);
  const nTotal = a.n + b.n;
  const sequential = options.rho === null ? null : {
    absolute: confidenceSequence(absolute.estimate, absolute.se, nTotal, options.alpha, options.rho),
    relative: confidenceSequence(relative.estimate, relative.se, nTotal, options.alpha, options.rho),
  };
  return {
    control: raw.a,
    treatment: raw.b,
    absolute,
    relative,
    absoluteTest: testEstimate(absolute, options.alpha),
    relativeTest: testEstimate(relative, options.alpha),
    proportionZ: spec.type === 'proportion' ? twoProportionZTest(control.sum, control.n, treatment.sum, treatment.n) : null,
    cuped,
    sequential,
    bayesian: options.prior ? bayesianLift(relative, options.prior, options.alpha, spec.higherIsBetter ?? true) : null,
  };
}
