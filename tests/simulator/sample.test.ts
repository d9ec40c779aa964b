import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulate } from './run-simulate.js';
import { tempDir } from './temp-dir.js';

/** The files shipped for the quick start, and the command in data/sample/README.md that made them. */
const SHIPPED = ['shoppers.csv', 'truth.json'];
const dir = await tempDir();
afterAll(() => dir.cleanup());

describe('data/sample', () => {
  it('is exactly what `loom simulate --customers 2000 --seed 7` writes today', async () => {
    const result = await runSimulate(['--customers', '2000', '--seed', '7', '--out', dir.path]);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const name of SHIPPED) {
      const shipped = await readFile(new URL(`../../data/sample/${name}`, import.meta.url), 'utf8');
      const regenerated = await readFile(join(dir.path, name), 'utf8');
      expect(regenerated === shipped, `data/sample/${name} is stale; regenerate it with the command in data/sample/README.md`).toBe(true);
    }
  });
});
