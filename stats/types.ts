/**
 * Inputs of the A/B engine are sufficient statistics per arm — exactly what one SQL aggregate
 * yields (`count(*)`, `sum(y)`, `sum(y*y)`, and for CUPED or ratio metrics `sum(x)`, `sum(x*x)`,
 * `sum(x*y)`) — so rows never leave the database.
 */

/** One per-unit metric y in one arm: n = count(*), sum = Σy, sumSquares = Σy². */
export interface MomentStats {
  n: number;
  sum: number;
  sumSquares: number;
}

/** A second per-unit quantity x observed with y: Σx, Σx², Σxy. */
export interface CrossStats {
  sum: number;
  sumSquares: number;
  sumProducts: number;
}

/**
 * A metric's sufficient statistics in one arm. `covariate` is the pre-period value of the same
 * unit (for CUPED); `denominator` makes it a ratio metric (Σ numerator / Σ denominator).
 */
export interface MetricStats extends MomentStats {
  covariate?: CrossStats;
  denominator?: CrossStats;
}

export interface ArmStats {
  /** Arm name, unique in the experiment. */
  name: string;
  /** Units assigned to the arm (used for the sample-ratio check). */
  units: number;
  /** Sufficient statistics keyed by metric name. */
  metrics: Record<string, MetricStats>;
}

/**
 * `mean`: average per unit; `proportion`: mean of a 0/1 outcome (sum = sumSquares = successes);
 * `ratio`: Σ numerator / Σ denominator across units (e.g. revenue per visit), needs `denominator`.
 */
export type MetricType = 'mean' | 'proportion' | 'ratio';

export interface MetricSpec {
  name: string;
  type: MetricType;
  /** @default true */
  higherIsBetter?: boolean;
}

export type Correction = 'holm' | 'bh' | 'none';

export interface BayesianPrior {
  /** Prior mean of the relative lift. @default 0 */
  mean?: number;
  /** Prior standard deviation of the relative lift. @default 0.3 */
  sd?: number;
}

export interface ExperimentInput {
  arms: ArmStats[];
  /** Name of the control arm. */
  control: string;
  metrics: MetricSpec[];
  /** Configured traffic weights by arm name (any positive scale). @default equal */
  weights?: Record<string, number>;
  /** Two-sided error rate. @default 0.05 */
  alpha?: number;
  /** Always-valid inference tuned to be tightest at `nStar` total units. */
  sequential?: { nStar: number };
  /** Regression-adjust each metric on its `covariate` (pre-period) statistics. @default false */
  cuped?: boolean;
  /** Across all arm × metric comparisons. @default 'holm' */
  correction?: Correction;
  /** Normal prior on relative lift, or false to skip the Bayesian summary. @default { mean: 0, sd: 0.3 } */
  bayesian?: BayesianPrior | false;
}

/** Per-unit summary of one arm: var(mean) = variance / n. */
export interface Summary {
  n: number;
  mean: number;
  variance: number;
}

/** A point estimate with its standard error and degrees of freedom (Infinity = normal). */
export interface Estimate {
  estimate: number;
  se: number;
  df: number;
}

export type Interval = [number, number];
