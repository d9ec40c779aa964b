import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/loom-stack.js';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-cli-ops-'));
const env = Object.fromEntries(Object.entries({ ...process.env, LOOM_HOME: home, LOOM_LOG_LEVEL: 'error' }).filter(([k]) => k !== 'DATABASE_URL'));

/** Runs `loom …` as a real process; resolves with its exit code and stderr. */
const loom = (...args: string[]) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'cli/main.ts'), ...args], { cwd: REPO_ROOT, env, timeout: 60_000 }, (err, _out, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr }),
    );
  });

describe('loom export / diff flags', () => {
  it('refuses a bad format and malformed run ids before touching the database, naming the fix', async () => {
    const [fmt, diff] = await Promise.all([
      loom('export', 'run-01JB2M8Q1Z3X4Y5W6V7T8S9R0P', '--format', 'pdf'),
      loom('diff', 'run-01JB2M8Q1Z3X4Y5W6V7T8S9R0P', '../../etc/passwd'),
    ]);
    expect(fmt.code).toBe(1);
    expect(fmt.stderr).toContain('--format must be ipynb or html');
    expect(diff.code).toBe(1);
    expect(diff.stderr).toContain('"../../etc/passwd" is not a run id');
    expect(fs.readdirSync(home)).toEqual([]);
  });
});
