import { describe, expect, it } from 'vitest';
import { LoomInputError } from '../../core/errors.js';
import { analyzeExperiment, LIMITS } from '../../stats/index.js';

const arm = (name: string, n = 100, sum = 10) => ({ name, units: n, metrics: { conv: { n, sum, sumSquares: sum } } });
const valid = () => ({ arms: [arm('control'), arm('b', 100, 15)], control: 'control', metrics: [{ name: 'conv', type: 'proportion' }] });

function problem(input: unknown): string {
  try {
    analyzeExperiment(input);
  } catch (error) {
    expect(error).toBeInstanceOf(LoomInputError);
    return (error as Error).message;
  }
  throw new Error('expected a LoomInputError');
}

describe('analyzeExperiment rejects bad input with a message that names the field and the fix', () => {
  it('accepts the valid base case', () => {
    expect(analyzeExperiment(valid()).comparisons).toHaveLength(1);
  });

  it.each([
    ['not an object', null, 'must be an object'],
    ['a string', 'arms', 'must be an object'],
    ['one arm', { ...valid(), arms: [arm('control')] }, 'at least two arms'],
    ['unknown control', { ...valid(), control: 'nobody' }, 'control must be the name of one of the arms'],
    ['duplicate arm', { ...valid(), arms: [arm('control'), arm('control')] }, 'used twice'],
    ['no metrics', { ...valid(), metrics: [] }, 'metrics must be a non-empty list'],
    ['unknown type', { ...valid(), metrics: [{ name: 'conv', type: 'median' }] }, 'type must be one of'],
    ['missing stats', { ...valid(), metrics: [{ name: 'revenue', type: 'mean' }] }, 'arms[0].metrics["revenue"] is missing'],
    ['negative n', { ...valid(), arms: [arm('control', -1), arm('b')] }, 'n must be a whole number'],
    ['fractional n', { ...valid(), arms: [{ ...arm('control'), metrics: { conv: { n: 1.5, sum: 1, sumSquares: 1 } } }, arm('b')] }, 'n must be a whole number'],
    ['NaN sum', { ...valid(), arms: [{ ...arm('control'), metrics: { conv: { n: 10, sum: NaN, sumSquares: 1 } } }, arm('b')] }, 'sum must be a finite number'],
    ['Infinity sum of squares', { ...valid(), arms: [{ ...arm('control'), metrics: { conv: { n: 10, sum: 1, sumSquares: Infinity } } }, arm('b')] }, 'sumSquares must be a finite number'],
    ['string numbers', { ...valid(), arms: [{ ...arm('control'), metrics: { conv: { n: '10', sum: 1, sumSquares: 1 } } }, arm('b')] }, 'n must be a whole number'],
    ['impossible sums', { ...valid(), metrics: [{ name: 'conv', type: 'mean' }], arms: [{ ...arm('control'), metrics: { conv: { n: 10, sum: 100, sumSquares: 100 } } }, arm('b')] }, 'sumSquares < sum²/n'],
    ['more successes than units', { ...valid(), arms: [arm('control', 10, 11), arm('b')] }, 'between 0 and n=10'],
    ['ratio without denominator', { ...valid(), metrics: [{ name: 'conv', type: 'ratio' }] }, 'needs the denominator sums'],
    ['cuped without covariate', { ...valid(), cuped: true }, 'CUPED needs the pre-period covariate'],
    ['alpha of 1', { ...valid(), alpha: 1 }, 'alpha must be a number in (0, 0.5]'],
    ['alpha of 0', { ...valid(), alpha: 0 }, 'alpha must be a number in (0, 0.5]'],
    ['nStar of 0', { ...valid(), sequential: { nStar: 0 } }, 'sequential.nStar'],
    ['nStar huge', { ...valid(), sequential: { nStar: 1e300 } }, 'sequential.nStar'],
    ['bad correction', { ...valid(), correction: 'bonferroni' }, 'correction must be one of holm, bh, none'],
    ['negative prior sd', { ...valid(), bayesian: { sd: -1 } }, 'bayesian.sd must be a positive number'],
    ['weights missing an arm', { ...valid(), weights: { control: 1 } }, 'weights has no entry for arm "b"'],
    ['weights naming a stranger', { ...valid(), weights: { control: 1, b: 1, c: 1 } }, 'weights names "c", which is not an arm'],
    ['zero weight', { ...valid(), weights: { control: 0, b: 1 } }, 'must be a positive number'],
  ])('%s', (_label, input, expected) => {
    expect(problem(input)).toContain(expected);
  });

  it('does not read inherited properties as metric statistics (hostile names)', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const input = { ...valid(), metrics: [{ name, type: 'mean' }] };
      expect(problem(input)).toContain('is missing');
    }
  });

  it('treats hostile arm names as plain data', () => {
    const name = "'); DROP TABLE runs; --<script>";
    const result = analyzeExperiment({ ...valid(), arms: [arm('control'), arm(name, 100, 12)] });
    expect(result.comparisons[0]!.arm).toBe(name);
  });

  it('refuses oversized inputs and long names, and caps the list of problems', () => {
    expect(problem({ ...valid(), arms: Array.from({ length: LIMITS.arms + 1 }, (_, i) => arm(`a${i}`)) })).toContain(`at most ${LIMITS.arms}`);
    expect(problem({ ...valid(), metrics: Array.from({ length: LIMITS.metrics + 1 }, (_, i) => ({ name: `m${i}`, type: 'mean' })) })).toContain(`at most ${LIMITS.metrics}`);
    expect(problem({ ...valid(), arms: [arm('x'.repeat(10_000)), arm('b')] })).toContain('use at most 200');
    const many = problem({ ...valid(), metrics: Array.from({ length: 60 }, (_, i) => ({ name: `m${i}`, type: 'mean' })) });
    expect(many).toMatch(/…and \d+ more/);
    expect(many.length).toBeLessThan(5000);
  });

  it('returns null estimates, never NaN, and decides "continue" when there is too little data', () => {
    const result = analyzeExperiment({ ...valid(), arms: [arm('control', 1, 0), arm('b', 1, 1)] });
    const c = result.comparisons[0]!;
    expect(c.absolute.pValue).toBeNull();
    expect(c.decision).toBe('continue');
    expect(c.reason).toContain('not enough data');
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('holds back every decision on a sample-ratio mismatch', () => {
    const result = analyzeExperiment({ ...valid(), arms: [arm('control', 5000, 500), arm('b', 6000, 900)] });
    expect(result.srm.mismatch).toBe(true);
    expect(result.comparisons[0]!.absolute.pValue).toBeLessThan(1e-6);
    expect(result.comparisons[0]!.decision).toBe('continue');
    expect(result.comparisons[0]!.reason).toContain('sample ratio mismatch');
  });

  it('rolls back a significant harm and respects higherIsBetter: false', () => {
    const base = { ...valid(), arms: [arm('control', 5000, 500), arm('b', 5000, 380)] };
    expect(analyzeExperiment(base).comparisons[0]!.decision).toBe('rollback');
    expect(analyzeExperiment({ ...base, metrics: [{ name: 'conv', type: 'proportion', higherIsBetter: false }] }).comparisons[0]!.decision).toBe('ship');
  });
});
