/**
 * Checks an experiment input before any arithmetic, so a broken SQL aggregate or a hostile caller
 * gets one LoomInputError that names every problem and its fix instead of a NaN in a report.
 */
import { LoomInputError } from '../core/errors.js';
import type { ExperimentInput, MetricSpec, MetricStats } from './types.js';

export const LIMITS = { arms: 20, metrics: 100, nameLength: 200, problems: 20 } as const;
const METRIC_TYPES = ['mean', 'proportion', 'ratio'];
const CORRECTIONS = ['holm', 'bh', 'none'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

function checkName(problems: string[], where: string, name: unknown): name is string {
  if (typeof name !== 'string' || name.trim() === '') {
    problems.push(`${where}.name must be a non-empty string`);
    return false;
  }
  if (name.length > LIMITS.nameLength) {
    problems.push(`${where}.name is ${name.length} characters; use at most ${LIMITS.nameLength}`);
    return false;
  }
  return true;
}

function checkCross(problems: string[], where: string, part: unknown, required: string): void {
  if (!isObject(part)) {
    problems.push(`${where} is missing; ${required}`);
    return;
  }
  for (const key of ['sum', 'sumSquares', 'sumProducts']) {
    if (!isFiniteNumber(part[key])) problems.push(`${where}.${key} must be a finite number`);
  }
}

function checkStats(problems: string[], where: string, s: unknown, spec: MetricSpec, cuped: boolean): void {
  if (!isObject(s)) {
    problems.push(`${where} is missing: every arm needs sufficient statistics (n, sum, sumSquares) for every metric`);
    return;
  }
  const { n, sum, sumSquares } = s;
  if (!isCount(n)) problems.push(`${where}.n must be a whole number ≥ 0 (the count of units)`);
  if (!isFiniteNumber(sum)) problems.push(`${where}.sum must be a finite number`);
  if (!isFiniteNumber(sumSquares) || sumSquares < 0) problems.push(`${where}.sumSquares must be a finite number ≥ 0`);
  if (isCount(n) && isFiniteNumber(sum) && isFiniteNumber(sumSquares) && n > 0 && sumSquares < ((sum * sum) / n) * (1 - 1e-9) - 1e-9) {
    problems.push(`${where}: sumSquares < sum²/n, which no data can produce; check that the aggregate sums y*y, not y`);
  }
  if (spec.type === 'proportion' && isCount(n) && isFiniteNumber(sum) && (sum < 0 || sum > n || !Number.isInteger(sum))) {
    problems.push(`${where}.sum must be a whole number of successes between 0 and n=${n} for a proportion`);
  }
  if (spec.type === 'ratio') checkCross(problems, `${where}.denominator`, s.denominator, 'a ratio metric needs the denominator sums (sum, sumSquares, sumProducts)');
  else if (s.denominator !== undefined) problems.push(`${where}.denominator is given but metric ${show(spec.name)} is not a ratio; set type: 'ratio' or drop it`);
  if (cuped && spec.type !== 'ratio') checkCross(problems, `${where}.covariate`, s.covariate, 'CUPED needs the pre-period covariate sums (sum, sumSquares, sumProducts); add them or set cuped: false');
}

/** Throws LoomInputError listing every problem; returns the input typed when it is sound. */
export function validateExperiment(input: unknown): ExperimentInput {
  const problems: string[] = [];
  if (!isObject(input)) throw new LoomInputError('experiment analysis input must be an object with arms, control and metrics');
  const { arms, control, metrics, weights, alpha, sequential, cuped, correction, bayesian } = input;

  const metricNames = new Set<string>();
  if (!Array.isArray(metrics) || metrics.length === 0) problems.push('metrics must be a non-empty list of { name, type }');
  else if (metrics.length > LIMITS.metrics) problems.push(`metrics has ${metrics.length} entries; analyse at most ${LIMITS.metrics} at once`);
  else {
    metrics.forEach((m: unknown, i) => {
      const where = `metrics[${i}]`;
      if (!isObject(m)) return void problems.push(`${where} must be an object { name, type }`);
      if (checkName(problems, where, m.name)) {
        if (metricNames.has(m.name)) problems.push(`${where}.name ${show(m.name)} is used twice; metric names must be unique`);
        metricNames.add(m.name);
      }
      if (!METRIC_TYPES.includes(m.type as string)) problems.push(`${where}.type must be one of ${METRIC_TYPES.join(', ')}`);
      if (m.higherIsBetter !== undefined && typeof m.higherIsBetter !== 'boolean') problems.push(`${where}.higherIsBetter must be true or false`);
    });
  }

  const armNames = new Set<string>();
  if (!Array.isArray(arms) || arms.length < 2) problems.push('arms must list at least two arms (a control and a treatment)');
  else if (arms.length > LIMITS.arms) problems.push(`arms has ${arms.length} entries; an experiment may have at most ${LIMITS.arms}`);
  else {
    arms.forEach((a: unknown, i) => {
      const where = `arms[${i}]`;
      if (!isObject(a)) return void problems.push(`${where} must be an object { name, units, metrics }`);
      const named = checkName(problems, where, a.name);
      if (named) {
        if (armNames.has(a.name as string)) problems.push(`${where}.name ${show(a.name as string)} is used twice; arm names must be unique`);
        armNames.add(a.name as string);
      }
      if (!isCount(a.units)) problems.push(`${where}.units must be a whole number ≥ 0 (units assigned to the arm)`);
      if (!isObject(a.metrics)) return void problems.push(`${where}.metrics must be an object keyed by metric name`);
      if (!Array.isArray(metrics) || problems.some((p) => p.startsWith('metrics'))) return;
      for (const spec of metrics as MetricSpec[]) {
        const stats = Object.hasOwn(a.metrics, spec.name) ? (a.metrics[spec.name] as MetricStats) : undefined;
        checkStats(problems, `${where}.metrics[${show(spec.name)}]`, stats, spec, cuped === true);
      }
    });
  }

  if (typeof control !== 'string' || !armNames.has(control)) problems.push(`control must be the name of one of the arms${armNames.size ? ` (${[...armNames].slice(0, 5).map(show).join(', ')})` : ''}`);
  if (weights !== undefined) {
    if (!isObject(weights)) problems.push('weights must be an object { armName: weight }');
    else {
      for (const name of armNames) if (!Object.hasOwn(weights, name)) problems.push(`weights has no entry for arm ${show(name)}; give every arm a weight or omit weights for an even split`);
      for (const [name, w] of Object.entries(weights)) {
        if (!armNames.has(name)) problems.push(`weights names ${show(name)}, which is not an arm`);
        else if (!isFiniteNumber(w) || w <= 0) problems.push(`weights[${show(name)}] must be a positive number`);
      }
    }
  }
  if (alpha !== undefined && !(isFiniteNumber(alpha) && alpha > 0 && alpha <= 0.5)) problems.push('alpha must be a number in (0, 0.5], e.g. 0.05');
  if (sequential !== undefined && !(isObject(sequential) && isFiniteNumber(sequential.nStar) && sequential.nStar >= 1 && sequential.nStar <= 1e12)) {
    problems.push('sequential.nStar must be a number of units between 1 and 1e12 (the total sample size where the interval should be tightest, e.g. 5000)');
  }
  if (cuped !== undefined && typeof cuped !== 'boolean') problems.push('cuped must be true or false');
  if (correction !== undefined && !CORRECTIONS.includes(correction as string)) problems.push(`correction must be one of ${CORRECTIONS.join(', ')}`);
  if (bayesian !== undefined && bayesian !== false) {
    if (!isObject(bayesian)) problems.push('bayesian must be false or { mean, sd } for the prior on relative lift');
    else {
      if (bayesian.mean !== undefined && !isFiniteNumber(bayesian.mean)) problems.push('bayesian.mean must be a finite number (prior mean of the relative lift)');
      if (bayesian.sd !== undefined && !(isFiniteNumber(bayesian.sd) && bayesian.sd > 0)) problems.push('bayesian.sd must be a positive number (prior sd of the relative lift, e.g. 0.3)');
    }
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, LIMITS.problems);
    const more = problems.length > shown.length ? `\n…and ${problems.length - shown.length} more` : '';
    throw new LoomInputError(`experiment analysis input is invalid:\n${shown.join('\n')}${more}`, { problems: shown });
  }
  return input as unknown as ExperimentInput;
}
