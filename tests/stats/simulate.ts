/**
 * Seeded simulation of per-arm sufficient statistics without generating rows: for normal data the
 * mean and the sum of squared deviations are independent (N(μ, σ²/n) and σ²·χ²(n−1)), and a 0/1
 * outcome is a binomial count, so one experiment costs a handful of draws.
 */
import type { MomentStats } from '../../stats/index.js';
import { seededRandom } from '../../core/random.js';

export { seededRandom as seededUniform };

export class Sampler {
  private spare: number | null = null;
  constructor(readonly uniform: () => number) {}

  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }

  /** Gamma(shape, 1) by Marsaglia–Tsang (shape ≥ 1). */
  gamma(shape: number): number {
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  chiSquare(df: number): number {
    return 2 * this.gamma(df / 2);
  }

  /** Exact binomial by inversion (cost grows with n·p; fine for the sizes simulated here). */
  binomial(n: number, p: number): number {
    const q = 1 - p;
    let prob = q ** n;
    let cdf = prob;
    const u = this.uniform();
    let k = 0;
    while (u > cdf && k < n) {
      prob *= ((n - k) / (k + 1)) * (p / q);
      k += 1;
      cdf += prob;
    }
    return k;
  }

  /** Sufficient statistics of n draws from N(mean, sd²). */
  normalArm(n: number, mean: number, sd: number): MomentStats {
    const m = mean + (sd / Math.sqrt(n)) * this.normal();
    const ss = sd * sd * this.chiSquare(n - 1);
    return { n, sum: n * m, sumSquares: ss + n * m * m };
  }

  bernoulliArm(n: number, p: number): MomentStats {
    const k = this.binomial(n, p);
    return { n, sum: k, sumSquares: k };
  }
}

export function addStats(a: MomentStats, b: MomentStats): MomentStats {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSquares: a.sumSquares + b.sumSquares };
}
