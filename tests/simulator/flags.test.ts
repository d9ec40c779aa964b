import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulate } from './run-simulate.js';
import { tempDir } from './temp-dir.js';

const dir = await tempDir();
afterAll(() => dir.cleanup());

async function expectRefused(args: string[], ...mentions: RegExp[]): Promise<void> {
  const result = await runSimulate(args);
  expect(result.exitCode, `exit code for ${args.join(' ')}`).not.toBe(0);
  for (const m of mentions) expect(result.stderr).toMatch(m);
}

describe('loom simulate flags', () => {
  const out = () => join(dir.path, 'flags');

  it('refuses a bad --customers and says what it takes', async () => {
    for (const bad of ['-5', '0', 'lots', '2.5', '1e3', '10000001', '99999999999']) {
      await expectRefused(['--customers', bad, '--seed', '1', '--out', out()], /--customers/, /whole number from 1 to 10,000,000/);
    }
  });

  it('refuses a bad --seed or --start', async () => {
    await expectRefused(['--customers', '10', '--seed', 'abc', '--out', out()], /--seed/, /whole number/);
    await expectRefused(['--customers', '10', '--seed', '1.5', '--out', out()], /--seed/);
    await expectRefused(['--customers', '10', '--seed', '1', '--out', out(), '--start', '2026-02-30'], /--start/, /YYYY-MM-DD/);
  });

  it('requires --customers, --seed and --out', async () => {
    await expectRefused(['--seed', '1', '--out', out()], /--customers/);
    await expectRefused(['--customers', '10', '--out', out()], /--seed/);
    await expectRefused(['--customers', '10', '--seed', '1'], /--out/);
  });

  it('refuses an --out that is a file', async () => {
    const file = join(dir.path, 'a-file');
    await writeFile(file, 'x');
    await expectRefused(['--customers', '10', '--seed', '1', '--out', file], /--out/, /not a directory/);
  });

  it('creates --out, then refuses to overwrite without --force', async () => {
    const target = join(dir.path, 'nested', 'run');
    const first = await runSimulate(['--customers', '20', '--seed', '1', '--out', target]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/wrote 20 customers/);
    const before = await readFile(join(target, 'shoppers.csv'), 'utf8');

    await expectRefused(['--customers', '20', '--seed', '2', '--out', target], /--force/, /shoppers\.csv/);
    expect(await readFile(join(target, 'shoppers.csv'), 'utf8')).toBe(before);

    const forced = await runSimulate(['--customers', '20', '--seed', '2', '--out', target, '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(await readFile(join(target, 'shoppers.csv'), 'utf8')).not.toBe(before);
    await expect(stat(join(target, 'shoppers.csv.partial'))).rejects.toThrow();
  });

  it('reports progress every 10% for large runs', async () => {
    const result = await runSimulate(['--customers', '10000', '--seed', '3', '--out', join(dir.path, 'progress')]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/10% \(1,000 of 10,000 customers\)/);
    expect(lines[8]).toMatch(/90%/);
  });
});
