import { describe, expect, it } from 'vitest';
import { analyzeExperiment, type MetricSpec } from '../../stats/index.js';
import { expectClose, readReference } from './close.js';
import { CONTROL, hillstromArms } from './hillstrom-stats.js';

interface Reference {
  counts: Record<string, number>;
  srm: { chiSquare: number; pValue: number };
  comparisons: {
    arm: string; metric: string; controlMean: number; treatmentMean: number; diff: number; statistic: number; pValue: number; df: number;
    ci95: [number, number]; relative: number; relativeSe: number; relativeCi95: [number, number]; holm: number; bh: number;
    proportionZ?: { statistic: number; pValue: number };
    cuped: { theta: number; diff: number; se: number; varianceReduction: number };
  }[];
  spendPerVisit: { arm: string; controlRatio: number; treatmentRatio: number; diff: number; se: number; pValue: number }[];
}
const ref = readReference<Reference>('hillstrom.json');
const arms = hillstromArms();
const METRICS: MetricSpec[] = [{ name: 'visit', type: 'proportion' }, { name: 'conversion', type: 'proportion' }, { name: 'spend', type: 'mean' }];

describe('Hillstrom e-mail experiment (64,000 customers) against scipy/statsmodels on the raw rows', () => {
  const holm = analyzeExperiment({ arms, control: CONTROL, metrics: METRICS, correction: 'holm', sequential: { nStar: 5000 } });
  const bh = analyzeExperiment({ arms, control: CONTROL, metrics: METRICS, correction: 'bh' });
  const cuped = analyzeExperiment({ arms, control: CONTROL, metrics: METRICS, cuped: true, correction: 'none' });
  const find = (result: typeof holm, arm: string, metric: string) => result.comparisons.find((c) => c.arm === arm && c.metric === metric)!;

  it('finds no sample-ratio mismatch across the three arms', () => {
    expect(arms.map((a) => a.units)).toEqual([ref.counts[CONTROL], ref.counts['Mens E-Mail'], ref.counts['Womens E-Mail']]);
    expectClose(holm.srm.chiSquare, ref.srm.chiSquare, 'srm chi2');
    expectClose(holm.srm.pValue, ref.srm.pValue, 'srm p');
    expect(holm.srm.mismatch).toBe(false);
  });

  it('lift, Welch t, p-values and intervals of each e-mail arm agree on visit, conversion and spend', () => {
    expect(ref.comparisons).toHaveLength(6);
    for (const r of ref.comparisons) {
      const c = find(holm, r.arm, r.metric);
      const label = `${r.arm} ${r.metric}`;
      expectClose(c.control.mean, r.controlMean, `${label} control mean`);
      expectClose(c.treatment.mean, r.treatmentMean, `${label} treatment mean`);
      expectClose(c.absolute.estimate, r.diff, `${label} diff`);
      expectClose(c.df, r.df, `${label} df`);
      expectClose(c.absolute.pValue, r.pValue, `${label} p`);
      expectClose(c.absolute.ci![0], r.ci95[0], `${label} ci low`);
      expectClose(c.absolute.ci![1], r.ci95[1], `${label} ci high`);
      expectClose(c.relative.estimate, r.relative, `${label} lift`);
      expectClose(c.relative.se, r.relativeSe, `${label} lift se`);
      expectClose(c.relative.ci![0], r.relativeCi95[0], `${label} lift ci low`);
      expectClose(c.relative.ci![1], r.relativeCi95[1], `${label} lift ci high`);
      expectClose(c.absolute.adjustedPValue, r.holm, `${label} holm`);
      expectClose(find(bh, r.arm, r.metric).absolute.adjustedPValue, r.bh, `${label} bh`);
      if (r.proportionZ) {
        expectClose(c.proportionZ!.statistic, r.proportionZ.statistic, `${label} z`);
        expectClose(c.proportionZ!.pValue, r.proportionZ.pValue, `${label} z p`);
      }
    }
  });

  it('CUPED on pre-period history matches the OLS arm coefficient and its variance reduction', () => {
    for (const r of ref.comparisons) {
      const c = find(cuped, r.arm, r.metric);
      const label = `${r.arm} ${r.metric} cuped`;
      expectClose(c.cuped!.theta, r.cuped.theta, `${label} theta`);
      expectClose(c.absolute.estimate, r.cuped.diff, `${label} diff`);
      expectClose(c.absolute.se, r.cuped.se, `${label} se`);
      expectClose(c.cuped!.varianceReduction, r.cuped.varianceReduction, `${label} variance reduction`);
    }
  });

  it('spend per visit (a ratio metric) matches the delta method by linearisation', () => {
    const ratio = analyzeExperiment({ arms, control: CONTROL, metrics: [{ name: 'spend_per_visit', type: 'ratio' }], correction: 'none' });
    for (const r of ref.spendPerVisit) {
      const c = ratio.comparisons.find((x) => x.arm === r.arm)!;
      expectClose(c.control.mean, r.controlRatio, `${r.arm} control ratio`);
      expectClose(c.absolute.estimate, r.diff, `${r.arm} ratio diff`);
      expectClose(c.absolute.se, r.se, `${r.arm} ratio se`);
      expectClose(c.absolute.pValue, r.pValue, `${r.arm} ratio p`);
    }
  });

  it('ships both e-mails on visits, and the sequential test agrees at this sample size', () => {
    for (const arm of ['Mens E-Mail', 'Womens E-Mail']) {
      const c = find(holm, arm, 'visit');
      expect(c.decision).toBe('ship');
      expect(c.sequential!.conclusive).toBe(true);
      // The always-valid interval is wider than the fixed-horizon one: the price of peeking.
      expect(c.sequential!.ci![1] - c.sequential!.ci![0]).toBeGreaterThan(c.absolute.ci![1] - c.absolute.ci![0]);
      expect(c.bayesian!.chanceToBeatControl).toBeGreaterThan(0.999);
    }
    expect(JSON.parse(JSON.stringify(holm))).toEqual(holm);
  });
});
