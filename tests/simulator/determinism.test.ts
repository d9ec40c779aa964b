import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SIMULATE_FILES } from '../../cli/commands/simulate.js';
import { simulateCampaign } from '../../simulator/index.js';
import { runSimulate } from './run-simulate.js';
import { tempDir } from './temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function simulateInto(seed: number): Promise<Record<string, Buffer>> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const result = await runSimulate(['--customers', '400', '--seed', String(seed), '--out', dir.path]);
  expect(result.exitCode, result.stderr).toBe(0);
  const files: Record<string, Buffer> = {};
  for (const name of SIMULATE_FILES) files[name] = await readFile(join(dir.path, name));
  return files;
}

describe('simulate is a pure function of its seed', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const a = await simulateInto(11);
    const b = await simulateInto(11);
    const c = await simulateInto(12);
    for (const name of SIMULATE_FILES) {
      expect(a[name]?.length, name).toBeGreaterThan(0);
      expect(a[name]?.equals(b[name] ?? Buffer.alloc(0)), `${name} differs between two runs with seed 11`).toBe(true);
      expect(a[name]?.equals(c[name] ?? Buffer.alloc(0)), `${name} is the same for seeds 11 and 12`).toBe(false);
    }
  });

  it('regenerates any single customer exactly as in the full sequence', () => {
    const campaign = simulateCampaign({ customers: 50, seed: 5 });
    const all = [...campaign.simulatedCustomers()];
    expect(all).toHaveLength(50);
    for (const i of [1, 17, 50]) expect(campaign.customerAt(i)).toEqual(all[i - 1]);
  });

  it('generates lazily: the first rows of ten million customers come at once', () => {
    const started = Date.now();
    const rows = simulateCampaign({ customers: 10_000_000, seed: 1 }).shopperRows();
    const first = [rows.next(), rows.next(), rows.next()];
    expect(first.every((r) => !r.done)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects impossible options with a message naming the option', () => {
    expect(() => simulateCampaign({ customers: 0, seed: 1 })).toThrow(/customers/);
    expect(() => simulateCampaign({ customers: 10, seed: 1.5 })).toThrow(/seed/);
    expect(() => simulateCampaign({ customers: 10, seed: 1, start: '2026-13-01' })).toThrow(/start/);
  });
});
