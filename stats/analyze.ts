/**
 * `analyzeExperiment`: every treatment arm against control on every metric, corrected across that
 * whole family, with the sample-ratio check and a decision per comparison. Pure and JSON-safe.
 */
import { DEFAULT_PRIOR } from './bayesian.js';
import { compareArms, type RawComparison } from './compare.js';
import { criticalValue } from './inference.js';
import { adjustedIntervalAlpha, bhAdjust, holmAdjust } from './multiple-testing.js';
import { confidenceSequence, sequentialRho } from './sequential.js';
import { sampleRatioMismatch, type SrmResult } from './srm.js';
import type { Correction, Estimate, Interval, MetricSpec, MetricType } from './types.js';
import { validateExperiment } from './validate.js';

export type Decision = 'ship' | 'rollback' | 'continue';

export interface EffectResult {
  estimate: number | null;
  se: number | null;
  ci: Interval | null;
  pValue: number | null;
  /** After the family correction (equal to pValue when correction is 'none'). */
  adjustedPValue: number | null;
  /** Interval at the corrected level (see `adjustedIntervalAlpha`). */
  adjustedCi: Interval | null;
}

export interface SequentialResult {
  ci: Interval | null;
  relativeCi: Interval | null;
  pValue: number | null;
  adjustedPValue: number | null;
  adjustedCi: Interval | null;
  eValue: number | null;
  conclusive: boolean;
}

export interface Comparison {
  arm: string;
  metric: string;
  type: MetricType;
  control: { n: number; mean: number | null; variance: number | null };
  treatment: { n: number; mean: number | null; variance: number | null };
  /** Welch–Satterthwaite df (null for ratio metrics, which use the normal). */
  df: number | null;
  absolute: EffectResult;
  relative: EffectResult;
  proportionZ: { statistic: number; pValue: number } | null;
  cuped: RawComparison['cuped'];
  sequential: SequentialResult | null;
  bayesian: RawComparison['bayesian'];
  decision: Decision;
  reason: string;
}

export interface ExperimentResult {
  control: string;
  alpha: number;
  correction: Correction;
  srm: SrmResult & { arms: string[]; weights: number[] };
  sequential: { nStar: number; rho: number } | null;
  comparisons: Comparison[];
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const interval = (x: Interval | null | undefined): Interval | null => (x && Number.isFinite(x[0]) && Number.isFinite(x[1]) ? x : null);

function adjust(correction: Correction, p: number[]): number[] {
  if (correction === 'holm') return holmAdjust(p);
  if (correction === 'bh') return bhAdjust(p);
  return p;
}

/** Family correction over the comparisons that have a p-value; the rest stay null. */
function adjustFamily(correction: Correction, p: (number | null)[]): (number | null)[] {
  const present = p.flatMap((v, i) => (v === null ? [] : [i]));
  const adjusted = adjust(correction, present.map((i) => p[i]!));
  const out = p.map(() => null as number | null);
  present.forEach((i, k) => (out[i] = adjusted[k]!));
  return out;
}

function fixedInterval(e: Estimate, alpha: number): Interval | null {
  if (!(e.se > 0) || !Number.isFinite(e.estimate)) return null;
  const half = criticalValue(alpha, e.df) * e.se;
  return [e.estimate - half, e.estimate + half];
}

function decide(spec: MetricSpec, estimate: number, conclusive: boolean, srm: SrmResult, testable: boolean): { decision: Decision; reason: string } {
  if (srm.mismatch) return { decision: 'continue', reason: `sample ratio mismatch (p = ${srm.pValue.toExponential(2)}): assignment or logging is broken; fix it before trusting any result` };
  if (!testable) return { decision: 'continue', reason: 'not enough data: each arm needs at least two units and some variation in the metric' };
  if (!conclusive) return { decision: 'continue', reason: 'no significant difference yet' };
  const better = (estimate > 0) === (spec.higherIsBetter ?? true);
  return better ? { decision: 'ship', reason: 'significant improvement' } : { decision: 'rollback', reason: 'significant harm' };
}

export function analyzeExperiment(rawInput: unknown): ExperimentResult {
  const input = validateExperiment(rawInput);
  const alpha = input.alpha ?? 0.05;
  const correction = input.correction ?? 'holm';
  const rho = input.sequential ? sequentialRho(alpha, input.sequential.nStar) : null;
  const prior = input.bayesian === false ? null : { mean: input.bayesian?.mean ?? DEFAULT_PRIOR.mean, sd: input.bayesian?.sd ?? DEFAULT_PRIOR.sd };
  const control = input.arms.find((a) => a.name === input.control)!;
  const weights = input.arms.map((a) => input.weights?.[a.name] ?? 1);
  const srm = { ...sampleRatioMismatch(input.arms.map((a) => a.units), weights), arms: input.arms.map((a) => a.name), weights };

  const family: { arm: string; spec: MetricSpec; raw: RawComparison }[] = [];
  for (const arm of input.arms) {
    if (arm === control) continue;
    for (const spec of input.metrics) {
      const raw = compareArms(spec, control.metrics[spec.name]!, arm.metrics[spec.name]!, { alpha, cuped: input.cuped ?? false, rho, prior });
      family.push({ arm: arm.name, spec, raw });
    }
  }

  const m = family.length;
  const fixedAdjusted = adjustFamily(correction, family.map((f) => f.raw.absoluteTest?.pValue ?? null));
  const relativeAdjusted = adjustFamily(correction, family.map((f) => f.raw.relativeTest?.pValue ?? null));
  const seqAdjusted = adjustFamily(correction, family.map((f) => f.raw.sequential?.absolute?.pValue ?? null));
  const fixedDiscoveries = fixedAdjusted.filter((p) => p !== null && p < alpha).length;
  const seqDiscoveries = seqAdjusted.filter((p) => p !== null && p < alpha).length;
  const fixedAlpha = adjustedIntervalAlpha(correction, alpha, m, fixedDiscoveries);
  const seqAlpha = adjustedIntervalAlpha(correction, alpha, m, seqDiscoveries);

  const comparisons = family.map(({ arm, spec, raw }, i): Comparison => {
    const absoluteAdjusted = fixedAdjusted[i] ?? null;
    const effect = (e: Estimate, test: RawComparison['absoluteTest'], adjustedP: number | null): EffectResult => ({
      estimate: finite(e.estimate),
      se: finite(e.se),
      ci: interval(test?.ci),
      pValue: test?.pValue ?? null,
      adjustedPValue: adjustedP,
      adjustedCi: test ? interval(fixedInterval(e, fixedAlpha)) : null,
    });
    let sequential: SequentialResult | null = null;
    if (raw.sequential && rho !== null) {
      const s = raw.sequential.absolute;
      const adjustedP = seqAdjusted[i] ?? null;
      const wide = confidenceSequence(raw.absolute.estimate, raw.absolute.se, raw.control.n + raw.treatment.n, seqAlpha, rho);
      sequential = {
        ci: interval(s?.ci),
        relativeCi: interval(raw.sequential.relative?.ci),
        pValue: s?.pValue ?? null,
        adjustedPValue: adjustedP,
        adjustedCi: interval(wide?.ci),
        eValue: s ? finite(s.eValue) : null,
        conclusive: adjustedP !== null && adjustedP < alpha,
      };
    }
    const primaryP = sequential ? sequential.adjustedPValue : absoluteAdjusted;
    const testable = raw.absoluteTest !== null;
    return {
      arm,
      metric: spec.name,
      type: spec.type,
      control: { n: raw.control.n, mean: finite(raw.control.mean), variance: finite(raw.control.variance) },
      treatment: { n: raw.treatment.n, mean: finite(raw.treatment.mean), variance: finite(raw.treatment.variance) },
      df: finite(raw.absolute.df),
      absolute: effect(raw.absolute, raw.absoluteTest, absoluteAdjusted),
      relative: effect(raw.relative, raw.relativeTest, relativeAdjusted[i] ?? null),
      proportionZ: raw.proportionZ,
      cuped: raw.cuped,
      sequential,
      bayesian: raw.bayesian,
      ...decide(spec, raw.absolute.estimate, primaryP !== null && primaryP < alpha, srm, testable),
    };
  });

  return { control: control.name, alpha, correction, srm, sequential: rho === null ? null : { nStar: input.sequential!.nStar, rho }, comparisons };
}

