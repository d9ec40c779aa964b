import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, EXPOSURE_COLUMNS, LOYALTY_FILES, SIMULATE_FILES } from '../../cli/commands/simulate.js';
import { runSimulate } from './run-simulate.js';
import { tempDir } from './temp-dir.js';

const dir = await tempDir();
afterAll(() => dir.cleanup());
let counter = 0;
const fresh = () => join(dir.path, `run-${++counter}`);

async function expectRefused(args: string[], ...mentions: RegExp[]): Promise<void> {
  const result = await runSimulate(['--customers', '10', '--seed', '1', ...args]);
  expect(result.exitCode, `exit code for ${args.join(' ').slice(0, 80)}`).not.toBe(0);
  for (const m of mentions) expect(result.stderr).toMatch(m);
}

describe('loom simulate loyalty flags', () => {
  it('refuses a bad --loyalty-days and says what it takes', async () => {
    for (const bad of ['0', '20', '731', 'abc', '2.5', '-5', '1e3', '99999999999999999999', '']) {
      await expectRefused(['--out', fresh(), '--loyalty-days', bad], /--loyalty-days/, /from 21 .* to 730/);
    }
  });

  it('refuses a bad --effect', async () => {
    for (const bad of ['1,2', '0.1,0.2,0.3,0.4', 'a,b,c', 'NaN,0,0', 'Infinity,0,0', '-1,0,0', '3,0,0', '0.1,,0', '', '0x1,0,0', 'x'.repeat(100_000)]) {
      await expectRefused(['--out', fresh(), '--loyalty-days', '30', '--effect', bad], /--effect/, /high, medium and low/, /-0\.9 to 2/);
    }
  });

  it('refuses bad or hostile --arms', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `a${i}`).join(',');
    for (const bad of ['control', 'a,a', 'a,b c', "a,b'; DROP TABLE runs;--", '1a,b', eleven, `a,${'b'.repeat(65)}`, 'a,é', 'a,', ',']) {
      await expectRefused(['--out', fresh(), '--loyalty-days', '30', '--arms', bad], /--arms/, /2 to 10 distinct names/);
    }
  });

  it('asks for --loyalty-days when --effect or --arms come without it, before writing anything', async () => {
    const out = fresh();
    await expectRefused(['--out', out, '--effect', '0,0,0'], /add --loyalty-days/);
    await expectRefused(['--out', out, '--arms', 'a,b'], /add --loyalty-days/);
    await expect(stat(out)).rejects.toThrow();
  });

  it('writes exposures, events and their truth beside the unchanged campaign files', async () => {
    const out = fresh();
    const args = ['--customers', '300', '--seed', '4', '--out', out, '--loyalty-days', '45', '--arms', 'control,v1,v2', '--effect', '0.3,0.1,0'];
    const result = await runSimulate(args);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/wrote 300 exposures and [\d,]+ events over 45 days \(arms control, v1, v2\)/);
    expect(result.stderr).toBe('');

    const exposures = parse<Record<string, string>>(await readFile(join(out, 'exposures.csv')), { columns: true });
    expect(Object.keys(exposures[0] ?? {})).toEqual([...EXPOSURE_COLUMNS]);
    expect(exposures).toHaveLength(300);
    const arms = new Set(exposures.map((e) => e.arm));
    expect(arms).toEqual(new Set(['control', 'v1', 'v2']));
    const events = parse<Record<string, string>>(await readFile(join(out, 'events.csv')), { columns: true });
    expect(Object.keys(events[0] ?? {})).toEqual([...EVENT_COLUMNS]);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['visit', 'purchase', 'review']));
    expect(new Set(events.map((e) => e.idempotency_key)).size).toBe(events.length);

    const doc = JSON.parse(await readFile(join(out, 'loyalty-truth.json'), 'utf8'));
    expect(doc.generatedWith).toMatchObject({ customers: 300, seed: 4, days: 45, exposureDays: 14, effect: { relativeLift: { high: 0.3, medium: 0.1, low: 0 } } });
    expect(doc.truth.arms.map((a: { name: string; treatment: boolean }) => [a.name, a.treatment])).toEqual([
      ['control', false],
      ['v1', true],
      ['v2', true],
    ]);
    expect(doc.truth.window.windowDays).toBe(30);
    expect(doc.observed.events).toBe(events.length);
    expect(doc.observed.exposures).toBe(300);

    // The loyalty files are an addition: the campaign files are byte for byte those of a plain run.
    const plain = fresh();
    expect((await runSimulate(['--customers', '300', '--seed', '4', '--out', plain])).exitCode).toBe(0);
    for (const name of SIMULATE_FILES) expect((await readFile(join(out, name))).equals(await readFile(join(plain, name))), name).toBe(true);

    // Same flags, same bytes.
    const again = fresh();
    expect((await runSimulate(args.map((a) => (a === out ? again : a)))).exitCode).toBe(0);
    for (const name of LOYALTY_FILES) expect((await readFile(join(out, name))).equals(await readFile(join(again, name))), name).toBe(true);
  });

  it('refuses to overwrite loyalty files without --force', async () => {
    const out = fresh();
    await mkdir(out);
    await writeFile(join(out, 'events.csv'), 'precious');
    await expectRefused(['--out', out, '--loyalty-days', '30'], /--force/, /events\.csv/);
    expect(await readFile(join(out, 'events.csv'), 'utf8')).toBe('precious');
    const forced = await runSimulate(['--customers', '10', '--seed', '1', '--out', out, '--loyalty-days', '30', '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(await readFile(join(out, 'events.csv'), 'utf8')).toMatch(/^customer_id,type,value,occurred_at,idempotency_key\n/);
    for (const name of LOYALTY_FILES) await expect(stat(join(out, `${name}.partial`))).rejects.toThrow();
  });

  it('reports loyalty progress every 10% for large runs', async () => {
    const result = await runSimulate(['--customers', '10000', '--seed', '3', '--out', fresh(), '--loyalty-days', '21', '--effect', '0,0,0']);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n').filter((l) => l.startsWith('simulate loyalty:'));
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/10% \(1,000 of 10,000 customers\)/);
  });
});
