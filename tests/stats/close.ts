import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** Relative agreement (plus a hair of absolute slack for values at 0). */
export function expectClose(actual: number | null | undefined, expected: number, label: string, tolerance = 1e-6): void {
  expect(actual, label).not.toBeNull();
  expect(actual, label).not.toBeUndefined();
  const diff = Math.abs(actual! - expected);
  expect(diff <= tolerance * Math.abs(expected) + 1e-15, `${label}: got ${actual}, reference ${expected}`).toBe(true);
}

export function readReference<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../reference/stats/${name}`, import.meta.url), 'utf8')) as T;
}
