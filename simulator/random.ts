import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { fmix32 } from '../core/murmur3.js';

/**
 * Independent random streams. Each customer gets one generator per stream, derived from
 * (seed, customer index, stream), so any customer can be regenerated alone and adding a stream
 * (e.g. loyalty outcomes) never shifts the numbers of the existing ones.
 */
export const Stream = {
  profile: 1,
  sessions: 2,
  /** Loyalty outcomes: one stream per process, so an arm changes only what it should (see loyalty-customer.ts). */
  loyaltyProfile: 3,
  loyaltyPre: 4,
  loyaltyVisits: 5,
  loyaltyPurchases: 6,
} as const;
export type StreamId = (typeof Stream)[keyof typeof Stream];


/** A 32-bit seed from any safe integers (the user's seed may exceed 32 bits or be negative). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 2 ** 32) >>> 0;
    h = fmix32((h ^ lo) + 0x632be5ab);
    h = fmix32((h ^ hi) + 0x85157af5);
  }
  return h | 0;
}

/** Seeded random numbers with the few distributions the simulator needs. */
export class Rng {
  private readonly gen: RandomGenerator;

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed);
  }

  static for(seed: number, customerIndex: number, stream: StreamId): Rng {
    return new Rng(deriveSeed(seed, customerIndex, stream));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal by Box–Muller (one draw per call keeps the stream easy to reason about). */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.uniform(); // (0, 1], so log is finite
    const u2 = this.uniform();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal parameterised by its median, which is easier to read than mu. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Poisson: Knuth's method for small rates, a rounded normal beyond (only counts of pages use it). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k++;
      p *= this.uniform();
    }
    return k;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.uniform() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** Draws from a fixed discrete distribution; build once, sample many times. */
export class Categorical<T> {
  private readonly cumulative: number[];

  constructor(
    private readonly values: readonly T[],
    weights: readonly number[],
  ) {
    if (values.length === 0 || values.length !== weights.length) throw new Error('categorical needs one weight per value');
    const total = weights.reduce((a, b) => a + b, 0);
    let acc = 0;
    this.cumulative = weights.map((w) => (acc += w / total));
  }

  sample(rng: Rng): T {
    const u = rng.uniform();
    const i = this.cumulative.findIndex((c) => u < c);
    const value = this.values[i === -1 ? this.values.length - 1 : i];
    if (value === undefined) throw new Error('categorical sample out of range');
    return value;
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Round to a fixed number of decimals so CSV text is short and identical across platforms. */
export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
