import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareSf, normalCdf, normalIsf, normalPdf, normalQuantile, normalSf, studentTCdf, studentTQuantile, studentTSf } from '../../stats/index.js';
import { expectClose, readReference } from './close.js';

interface Vectors {
  normal: { z: number; cdf: number; sf: number; pdf: number }[];
  normalQuantile: { p: number; ppf: number; isf: number }[];
  studentT: { t: number; df: number; sf: number; cdf: number }[];
  studentTQuantile: { p: number; df: number; ppf: number }[];
  chiSquare: { x: number; df: number; sf: number; cdf: number }[];
}
const v = readReference<Vectors>('vectors.json');

describe('normal distribution against scipy.stats.norm', () => {
  it('cdf, sf and pdf agree to 1e-6 relative, including z = 10, 20 and 37', () => {
    for (const r of v.normal) {
      expectClose(normalCdf(r.z), r.cdf, `cdf(${r.z})`);
      expectClose(normalSf(r.z), r.sf, `sf(${r.z})`);
      expectClose(normalPdf(r.z), r.pdf, `pdf(${r.z})`);
    }
    expect(v.normal.map((r) => r.z)).toEqual(expect.arrayContaining([10, 20, 37]));
  });

  it('keeps the far tail where 1 − cdf has already underflowed to 0', () => {
    expect(1 - normalCdf(10)).toBe(0);
    expect(normalSf(37)).toBeGreaterThan(5e-300);
    expect(normalSf(37)).toBeLessThan(6e-300);
  });

  it('ppf and isf agree, from 1e-300 to 0.999', () => {
    for (const r of v.normalQuantile) {
      expectClose(normalQuantile(r.p), r.ppf, `ppf(${r.p})`);
      expectClose(normalIsf(r.p), r.isf, `isf(${r.p})`);
    }
    expect([normalQuantile(0), normalQuantile(1), normalQuantile(1.5)]).toEqual([-Infinity, Infinity, NaN]);
  });
});

describe('Student t against scipy.stats.t', () => {
  it('sf and cdf agree for df from 1 to 1e6 and |t| up to 37', () => {
    for (const r of v.studentT) {
      expectClose(studentTSf(r.t, r.df), r.sf, `sf(${r.t}; ${r.df})`);
      expectClose(studentTCdf(r.t, r.df), r.cdf, `cdf(${r.t}; ${r.df})`);
    }
  });

  it('ppf agrees from p = 1e-12 to 0.995', () => {
    for (const r of v.studentTQuantile) expectClose(studentTQuantile(r.p, r.df), r.ppf, `ppf(${r.p}; ${r.df})`);
  });
});

describe('chi-square against scipy.stats.chi2', () => {
  it('sf and cdf agree, including a statistic of 1500', () => {
    for (const r of v.chiSquare) {
      expectClose(chiSquareSf(r.x, r.df), r.sf, `sf(${r.x}; ${r.df})`);
      expectClose(chiSquareCdf(r.x, r.df), r.cdf, `cdf(${r.x}; ${r.df})`);
    }
  });
});
