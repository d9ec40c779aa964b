import { describe, expect, it } from 'vitest';
import { confidenceSequence, sequentialRho } from '../../stats/index.js';
import { expectClose } from './close.js';

describe('asymptotic confidence sequence', () => {
  it('tunes rho from alpha and N* as GrowthBook does (N* = 5000, alpha = 0.05)', () => {
    const l = -2 * Math.log(0.05);
    expectClose(sequentialRho(0.05, 5000), Math.sqrt((l + Math.log(1 + l)) / 5000), 'rho');
  });

  it('is exactly as wide as the p-value says: p < alpha iff the sequence excludes 0', () => {
    const rho = sequentialRho(0.05, 5000);
    for (const [estimate, se, n] of [[0.3, 0.1, 4000], [0.2, 0.1, 4000], [-0.5, 0.12, 20000], [0.01, 0.1, 100]] as const) {
      const cs = confidenceSequence(estimate, se, n, 0.05, rho)!;
      const excludes = cs.ci[0] > 0 || cs.ci[1] < 0;
      expect(cs.conclusive).toBe(excludes);
      // At alpha = p the boundary touches 0.
      if (cs.pValue < 1) {
        const edge = confidenceSequence(estimate, se, n, cs.pValue, rho)!;
        expectClose(Math.min(Math.abs(edge.ci[0]), Math.abs(edge.ci[1])) + 1, 1, 'edge', 1e-9);
      }
    }
  });

  it('is wider than the fixed-horizon interval and narrowest relative to it near N*', () => {
    const rho = sequentialRho(0.05, 5000);
    const ratio = (n: number) => (confidenceSequence(0, 1 / Math.sqrt(n), n, 0.05, rho)!.ci[1] * Math.sqrt(n)) / 1.959963984540054;
    expect(ratio(5000)).toBeGreaterThan(1);
    expect(ratio(5000)).toBeLessThan(ratio(200));
    expect(ratio(5000)).toBeLessThan(ratio(500_000));
  });

  it('has no answer without variation', () => {
    expect(confidenceSequence(1, 0, 100, 0.05, 0.01)).toBeNull();
  });
});
