/** The classic two-proportion z-test with pooled variance under H0 (statsmodels `proportions_ztest`). */
import { twoSidedPValue } from './inference.js';

export interface ProportionZTest {
  statistic: number;
  pValue: number;
}

/** H0: pB = pA, from success counts and sample sizes. Null when the pooled rate is 0 or 1. */
export function twoProportionZTest(successesA: number, nA: number, successesB: number, nB: number): ProportionZTest | null {
  const pooled = (successesA + successesB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (!(se > 0)) return null;
  const statistic = (successesB / nB - successesA / nA) / se;
  return { statistic, pValue: twoSidedPValue(statistic, Infinity) };
}
