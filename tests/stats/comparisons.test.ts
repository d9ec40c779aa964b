import { describe, expect, it } from 'vitest';
import {
  bayesianLift, bhAdjust, cupedAdjust, holmAdjust, ratioSummary, relativeLift, sampleRatioMismatch, summarise, testEstimate,
  twoProportionZTest, welchDifference, type CrossStats, type MetricStats, type MomentStats,
} from '../../stats/index.js';
import { expectClose, readReference } from './close.js';

type Pair<T> = { control: T; treatment: T };
interface Vectors {
  welch: (Pair<MomentStats> & { diff: number; statistic: number; pValue: number; df: number; ci95: [number, number]; ci90: [number, number]; relative: number; relativeSe: number; relativeCi95: [number, number] })[];
  proportions: (Pair<MomentStats> & { z: number; zPValue: number; welchPValue: number; welchDf: number })[];
  ratio: (Pair<MomentStats & { denominator: CrossStats }> & { controlRatio: number; treatmentRatio: number; controlVar: number; treatmentVar: number; pValue: number })[];
  cuped: (Pair<MetricStats> & { theta: number; diff: number; se: number; varianceReduction: number; olsHc1Se: number })[];
  multipleTesting: { p: number[]; holm: number[]; bh: number[] }[];
  srm: { observed: number[]; weights: number[]; chiSquare: number; pValue: number }[];
  bayesian: { estimate: number; se: number; prior: { mean: number; sd: number }; posteriorMean: number; posteriorSd: number; chanceToBeatControl: number; lossTreatment: number; lossControl: number; ci95: [number, number] }[];
}
const v = readReference<Vectors>('vectors.json');

describe('Welch two-sample comparison against scipy ttest_ind(equal_var=False)', () => {
  it('difference, t, df, p-value and 95%/90% intervals agree on 40 data sets (normal, lognormal, zero-inflated)', () => {
    v.welch.forEach((r, i) => {
      const e = welchDifference(summarise(r.control), summarise(r.treatment));
      expectClose(e.estimate, r.diff, `#${i} diff`);
      expectClose(e.df, r.df, `#${i} df`);
      const t95 = testEstimate(e, 0.05)!;
      expectClose(t95.statistic, r.statistic, `#${i} t`);
      expectClose(t95.pValue, r.pValue, `#${i} p`);
      expectClose(t95.ci[0], r.ci95[0], `#${i} ci95 low`);
      expectClose(t95.ci[1], r.ci95[1], `#${i} ci95 high`);
      const t90 = testEstimate(e, 0.1)!;
      expectClose(t90.ci[0], r.ci90[0], `#${i} ci90 low`);
      expectClose(t90.ci[1], r.ci90[1], `#${i} ci90 high`);
    });
  });

  it('relative lift and its delta-method interval agree with the numpy formula', () => {
    v.welch.forEach((r, i) => {
      const rel = relativeLift(summarise(r.control), summarise(r.treatment));
      expectClose(rel.estimate, r.relative, `#${i} lift`);
      expectClose(rel.se, r.relativeSe, `#${i} lift se`);
      const t = testEstimate(rel, 0.05)!;
      expectClose(t.ci[0], r.relativeCi95[0], `#${i} lift ci low`);
      expectClose(t.ci[1], r.relativeCi95[1], `#${i} lift ci high`);
    });
  });

  it('cannot test an arm with fewer than two units or no variation', () => {
    const one = summarise({ n: 1, sum: 3, sumSquares: 9 });
    const two = summarise({ n: 5, sum: 10, sumSquares: 30 });
    expect(testEstimate(welchDifference(one, two), 0.05)).toBeNull();
    const flat = summarise({ n: 5, sum: 0, sumSquares: 0 });
    expect(testEstimate(welchDifference(flat, flat), 0.05)).toBeNull();
    expect(Number.isNaN(relativeLift(flat, two).estimate)).toBe(true);
  });
});

describe('proportions', () => {
  it('two-proportion z agrees with statsmodels proportions_ztest; Welch on 0/1 with scipy', () => {
    v.proportions.forEach((r, i) => {
      const z = twoProportionZTest(r.control.sum, r.control.n, r.treatment.sum, r.treatment.n)!;
      expectClose(z.statistic, r.z, `#${i} z`);
      expectClose(z.pValue, r.zPValue, `#${i} z p`);
      const w = welchDifference(summarise(r.control), summarise(r.treatment));
      expectClose(testEstimate(w, 0.05)!.pValue, r.welchPValue, `#${i} welch p`);
      expectClose(w.df, r.welchDf, `#${i} welch df`);
    });
    expect(twoProportionZTest(0, 100, 0, 100)).toBeNull();
  });
});

describe('ratio metrics', () => {
  it('delta-method variance with the numerator–denominator covariance matches the linearisation x − R·y', () => {
    v.ratio.forEach((r, i) => {
      const a = ratioSummary(r.control, r.control.denominator);
      const b = ratioSummary(r.treatment, r.treatment.denominator);
      expectClose(a.mean, r.controlRatio, `#${i} control ratio`);
      expectClose(b.mean, r.treatmentRatio, `#${i} treatment ratio`);
      expectClose(a.variance / a.n, r.controlVar, `#${i} control var`);
      expectClose(b.variance / b.n, r.treatmentVar, `#${i} treatment var`);
      const p = testEstimate({ ...welchDifference(a, b), df: Infinity }, 0.05)!.pValue;
      expectClose(p, r.pValue, `#${i} p`);
    });
  });
});

describe('CUPED against statsmodels OLS y ~ 1 + arm + covariate', () => {
  it('θ equals the OLS slope and the adjusted difference equals the arm coefficient', () => {
    v.cuped.forEach((r, i) => {
      const c = cupedAdjust(r.control, r.treatment)!;
      expectClose(c.theta, r.theta, `#${i} theta`);
      const d = welchDifference(c.control, c.treatment);
      expectClose(d.estimate, r.diff, `#${i} diff`);
      expectClose(d.se, r.se, `#${i} se`);
      const raw = welchDifference(summarise(r.control), summarise(r.treatment));
      expectClose(1 - d.se ** 2 / raw.se ** 2, r.varianceReduction, `#${i} variance reduction`);
      // Per-arm residual variances are Welch-style; OLS's HC1 robust SE is the same idea.
      expect(Math.abs(d.se / r.olsHc1Se - 1)).toBeLessThan(0.02);
    });
  });

  it('returns null when the covariate does not vary', () => {
    const flat: MetricStats = { n: 10, sum: 20, sumSquares: 50, covariate: { sum: 10, sumSquares: 10, sumProducts: 20 } };
    expect(cupedAdjust(flat, flat)).toBeNull();
  });
});

describe('multiple testing against statsmodels multipletests', () => {
  it('Holm and Benjamini–Hochberg agree on families of 1 to 50, with ties and zeros', () => {
    v.multipleTesting.forEach((r, i) => {
      const holm = holmAdjust(r.p);
      const bh = bhAdjust(r.p);
      r.holm.forEach((x, k) => expectClose(holm[k], x, `family #${i} holm[${k}]`));
      r.bh.forEach((x, k) => expectClose(bh[k], x, `family #${i} bh[${k}]`));
    });
  });
});

describe('sample-ratio mismatch against scipy chisquare', () => {
  it('statistic and p-value agree; flags only below 0.001', () => {
    for (const r of v.srm) {
      const s = sampleRatioMismatch(r.observed, r.weights);
      expectClose(s.chiSquare, r.chiSquare, `chi2 ${r.observed}`);
      expectClose(s.pValue, r.pValue, `p ${r.observed}`);
      expect(s.mismatch).toBe(r.pValue < 0.001);
    }
    expect(v.srm.some((r) => r.pValue < 0.001) && v.srm.some((r) => r.pValue > 0.5)).toBe(true);
  });
});

describe('Bayesian summary against scipy norm and truncnorm', () => {
  it('posterior, chance to beat control, expected losses and credible interval agree', () => {
    v.bayesian.forEach((r, i) => {
      const b = bayesianLift({ estimate: r.estimate, se: r.se, df: Infinity }, r.prior, 0.05)!;
      expectClose(b.posteriorMean, r.posteriorMean, `#${i} mean`);
      expectClose(b.posteriorSd, r.posteriorSd, `#${i} sd`);
      expectClose(b.chanceToBeatControl, r.chanceToBeatControl, `#${i} ctw`);
      expectClose(b.expectedLoss.treatment, r.lossTreatment, `#${i} loss treatment`);
      expectClose(b.expectedLoss.control, r.lossControl, `#${i} loss control`);
      expectClose(b.ci[0], r.ci95[0], `#${i} ci low`);
      expectClose(b.ci[1], r.ci95[1], `#${i} ci high`);
    });
  });

  it('flips chance and losses for a metric where lower is better', () => {
    const up = bayesianLift({ estimate: 0.05, se: 0.02, df: Infinity }, { mean: 0, sd: 0.3 }, 0.05)!;
    const down = bayesianLift({ estimate: 0.05, se: 0.02, df: Infinity }, { mean: 0, sd: 0.3 }, 0.05, false)!;
    expectClose(down.chanceToBeatControl, 1 - up.chanceToBeatControl, 'flipped chance');
    expectClose(down.expectedLoss.treatment, up.expectedLoss.control, 'flipped loss');
  });
});
