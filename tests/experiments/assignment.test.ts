import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { armBounds, assignArm, bucketOf, BUCKETS, murmur3 } from '../../experiments/assignment.js';
import { chiSquareSf } from '../../stats/chi-square.js';

const vectors = JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'assignment-vectors.json'), 'utf8')) as
  { salt: string; customerId: string; hash: number; bucket: number }[];

describe('assignment', () => {
  it('matches the reference MurmurHash3 on committed vectors (stable across processes and versions)', () => {
    for (const v of vectors) {
      expect(murmur3(new TextEncoder().encode(`${v.salt}:${v.customerId}`))).toBe(v.hash);
      expect(bucketOf(v.salt, v.customerId)).toBe(v.bucket);
    }
  });

  it('spreads 1,000,000 ids uniformly over 100 bucket groups (chi-square) and splits 50/50', () => {
    const groups = new Array<number>(100).fill(0);
    let treatment = 0;
    const arms = [{ name: 'control', weight: 1 }, { name: 'treatment', weight: 1 }];
    for (let i = 0; i < 1_000_000; i++) {
      const b = bucketOf('e7c1', `customer-${i}`);
      groups[Math.floor(b / 100)]!++;
      if (b >= 5000) treatment++;
    }
    const expected = 10_000;
    const chi = groups.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chiSquareSf(chi, 99)).toBeGreaterThan(0.001);
    expect(Math.abs(treatment - 500_000)).toBeLessThan(3 * Math.sqrt(250_000));
    expect(assignArm('e7c1', 'customer-0', arms)).toBe(bucketOf('e7c1', 'customer-0') < 5000 ? 'control' : 'treatment');
  });

  it('maps weights to bucket ranges and rejects non-positive weights', () => {
    expect(armBounds([{ name: 'a', weight: 1 }, { name: 'b', weight: 3 }])).toEqual([2500, BUCKETS]);
    expect(() => armBounds([{ name: 'a', weight: 0 }, { name: 'b', weight: 1 }])).toThrow(/positive/);
    expect(() => armBounds([{ name: 'a', weight: Number.NaN }])).toThrow(/positive/);
  });
});
