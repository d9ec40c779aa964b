import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/loom-stack.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'loom-cli-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function loom(args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'cli', 'bin.js'), ...args],
      { cwd: REPO_ROOT, timeout, env: { ...process.env, LOOM_HOME: home, LOOM_LOG_LEVEL: 'warn', ...env } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

describe('loom command line: bad input gets a clear error and a non-zero exit', () => {
  test('run: a missing notebook file', async () => {
    const r = await loom(['run', 'notebooks/does-not-exist.md']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('notebook file notebooks/does-not-exist.md does not exist');
  });

  test('run: malformed, duplicated and hostile --param flags', async () => {
    const malformed = await loom(['run', 'notebooks/spring-loyalty.md', '--param', 'oops']);
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toContain('--param expects name=value');
    const twice = await loom(['run', 'notebooks/spring-loyalty.md', '-p', 'a=1', '-p', 'a=2']);
    expect(twice.stderr).toContain('--param a is given twice');
    const hostile = await loom(['run', 'notebooks/spring-loyalty.md', '-p', '$(rm -rf /)=1']);
    expect(hostile.stderr).toContain('is not a valid parameter name');
  });

  test('status: something that is not a run id', async () => {
    const r = await loom(['status', "run-1'; DROP TABLE runs; --"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a run id');
  });

  test('events import: a file outside the data roots, an unknown format', async () => {
    const outside = await loom(['events', 'import', '/etc/passwd']);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('outside the allowed data directories');
    const format = await loom(['events', 'import', 'x.csv', '--format', 'xml']);
    expect(format.code).not.toBe(0);
    expect(format.stderr).toMatch(/Allowed choices are csv, jsonl/);
  });

  test('token: an unknown role; unknown commands', async () => {
    const role = await loom(['token', 'create', '--name', 'ci', '--role', 'root']);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toMatch(/Allowed choices are viewer, launcher, admin/);
    const unknown = await loom(['launch-missiles']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'launch-missiles'");
  });

  test('malformed environment is named at boot', async () => {
    const r = await loom(['run', 'notebooks/spring-loyalty.md'], { LOOM_API_PORT: 'eighty', TEMPORAL_ADDRESS: 'no port here' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LOOM_API_PORT');
    expect(r.stderr).toContain('TEMPORAL_ADDRESS: must be host:port');
  });

  test('run: a local stack runs the example campaign end to end: train, gate, ship, A/B test, promote', async () => {
    const port = await freePort();
    const r = await loom(['run', 'notebooks/spring-loyalty.md', '-p', 'epochs=4', '-p', 'min_sessions=100'], { LOOM_TEMPORAL_PORT: String(port) }, 240_000);
    expect(r.stderr).not.toMatch(/loom: /);
    expect(r.code).toBe(0);
    for (const [cell, kind] of [['sessions', 'ingest'], ['segments', 'sql'], ['features', 'preprocess'], ['intent', 'finetune'], ['quality', 'evaluate'], ['ship', 'deploy'], ['loyalty', 'abtest']]) {
      expect(r.stdout).toMatch(new RegExp(`✓ ${cell}\\s+${kind}\\s+succeeded`));
    }
    expect(r.stdout).toMatch(/purchase_rate/);
    expect(r.stdout).toMatch(/execution provider: cpu/);
    expect(r.stdout).toMatch(/✓ auc 0\.\d+ >= 0\.75/);
    expect(r.stdout).toMatch(/Decision: ship — treatment wins/);
    expect(r.stdout).toMatch(/champion moved to mv-/);
    const runId = /run (run-[0-9A-Z]{26}) succeeded/.exec(r.stdout)?.[1];
    expect(runId).toBeDefined();
    // The embedded database kept the run: `status` reads it back in a new process.
    const status = await loom(['status', runId!]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${runId}  succeeded`);
    expect(status.stdout).toMatch(/loyalty\s+abtest\s+succeeded/);
  });

  test('run: a notebook with errors is refused before anything starts', async () => {
    const file = path.join(home, 'broken.md');
    fs.writeFileSync(file, '---\nname: broken\n---\n```cell ingest id=a needs=[nope]\nsource: { csv: x.csv }\n```\n');
    const port = await freePort();
    const r = await loom(['run', file], { LOOM_TEMPORAL_PORT: String(port) }, 120_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs "nope"');
  });
});
