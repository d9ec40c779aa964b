import { describe, expect, it } from 'vitest';
import { analyzeExperiment, type MetricType, type MomentStats } from '../../stats/index.js';
import { addStats, Sampler, seededUniform } from './simulate.js';

const RUNS = 2000;

function twoArms(type: MetricType, control: MomentStats, treatment: MomentStats) {
  return analyzeExperiment({
    arms: [{ name: 'control', units: control.n, metrics: { y: control } }, { name: 'treatment', units: treatment.n, metrics: { y: treatment } }],
    control: 'control',
    metrics: [{ name: 'y', type }],
    correction: 'none',
    bayesian: false,
  }).comparisons[0]!;
}

function coverage(type: MetricType, draw: () => [MomentStats, MomentStats], trueDiff: number, trueLift: number) {
  let absolute = 0;
  let relative = 0;
  for (let i = 0; i < RUNS; i++) {
    const [a, b] = draw();
    const c = twoArms(type, a, b);
    if (c.absolute.ci![0] <= trueDiff && trueDiff <= c.absolute.ci![1]) absolute++;
    if (c.relative.ci![0] <= trueLift && trueLift <= c.relative.ci![1]) relative++;
  }
  const result = { absolute: absolute / RUNS, relative: relative / RUNS };
  console.info(`${type}: coverage of 95% intervals over ${RUNS} experiments`, result);
  return result;
}

describe('calibration over simulated experiments with a known effect', () => {
  it('95% intervals for a difference of means and its relative lift cover the truth 93–97% of the time', () => {
    const s = new Sampler(seededUniform(11));
    const c = coverage('mean', () => [s.normalArm(150, 10, 3), s.normalArm(250, 10.5, 4)], 0.5, 0.05);
    expect(c.absolute).toBeGreaterThanOrEqual(0.93);
    expect(c.absolute).toBeLessThanOrEqual(0.97);
    expect(c.relative).toBeGreaterThanOrEqual(0.93);
    expect(c.relative).toBeLessThanOrEqual(0.97);
  });

  it('95% intervals for a difference of proportions and its relative lift cover the truth 93–97% of the time', () => {
    const s = new Sampler(seededUniform(12));
    const c = coverage('proportion', () => [s.bernoulliArm(3000, 0.1), s.bernoulliArm(3000, 0.12)], 0.02, 0.2);
    expect(c.absolute).toBeGreaterThanOrEqual(0.93);
    expect(c.absolute).toBeLessThanOrEqual(0.97);
    expect(c.relative).toBeGreaterThanOrEqual(0.93);
    expect(c.relative).toBeLessThanOrEqual(0.97);
  });
});

describe('peeking every day at an A/A test', () => {
  it('keeps the sequential false-positive rate at or below 5% over 30 looks, while naive peeking exceeds it', () => {
    const s = new Sampler(seededUniform(13));
    const experiments = 1000;
    const days = 30;
    let naive = 0;
    let sequential = 0;
    for (let e = 0; e < experiments; e++) {
      let a: MomentStats = { n: 0, sum: 0, sumSquares: 0 };
      let b: MomentStats = { n: 0, sum: 0, sumSquares: 0 };
      let naiveHit = false;
      let sequentialHit = false;
      for (let day = 0; day < days; day++) {
        a = addStats(a, s.normalArm(100, 5, 2));
        b = addStats(b, s.normalArm(100, 5, 2));
        const c = analyzeExperiment({
          arms: [{ name: 'A', units: a.n, metrics: { y: a } }, { name: 'B', units: b.n, metrics: { y: b } }],
          control: 'A', metrics: [{ name: 'y', type: 'mean' }], correction: 'none', bayesian: false, sequential: { nStar: 5000 },
        }).comparisons[0]!;
        naiveHit ||= c.absolute.pValue! < 0.05;
        sequentialHit ||= c.sequential!.conclusive;
      }
      if (naiveHit) naive++;
      if (sequentialHit) sequential++;
    }
    const naiveRate = naive / experiments;
    const sequentialRate = sequential / experiments;
    console.info(`A/A, ${days} daily looks, ${experiments} experiments: naive ${naiveRate}, sequential ${sequentialRate}`);
    expect(sequentialRate).toBeLessThanOrEqual(0.05);
    expect(naiveRate).toBeGreaterThan(0.1);
  });
});
