/**
 * CUPED (Deng et al. 2013): regress the metric y on its pre-period covariate x with one slope θ
 * pooled across the two arms (the within-arm OLS slope), then compare ȳ − θ(x̄ − x̄pooled).
 * The difference of adjusted means equals the treatment coefficient of OLS y ~ arm + x; the
 * variance of each adjusted mean uses that arm's own residual variance (as Welch does).
 */
import { crossCovariance, sampleVariance, summarise } from './moments.js';
import type { MetricStats, Summary } from './types.js';

export interface CupedAdjustment {
  theta: number;
  control: Summary;
  treatment: Summary;
}

function centredSums(s: MetricStats): { sxx: number; sxy: number } {
  const x = s.covariate!;
  return { sxx: x.sumSquares - (x.sum * x.sum) / s.n, sxy: x.sumProducts - (x.sum * s.sum) / s.n };
}

/** Null when the covariate does not vary (nothing to adjust on). */
export function cupedAdjust(control: MetricStats, treatment: MetricStats): CupedAdjustment | null {
  const a = centredSums(control);
  const b = centredSums(treatment);
  const sxx = a.sxx + b.sxx;
  if (!(sxx > 0)) return null;
  const theta = (a.sxy + b.sxy) / sxx;
  const pooledX = (control.covariate!.sum + treatment.covariate!.sum) / (control.n + treatment.n);
  const adjust = (s: MetricStats): Summary => {
    const raw = summarise(s);
    const x = s.covariate!;
    const vx = sampleVariance(s.n, x.sum, x.sumSquares);
    const cxy = crossCovariance(s, x);
    return {
      n: s.n,
      mean: raw.mean - theta * (x.sum / s.n - pooledX),
      variance: Math.max(0, raw.variance - 2 * theta * cxy + theta * theta * vx),
    };
  };
  return { theta, control: adjust(control), treatment: adjust(treatment) };
}
