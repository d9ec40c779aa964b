import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidate } from '../cli/commands/validate.js';
import { formatIssues, parseNotebook } from './index.js';
import { TEST_KINDS, VALID } from './test-kinds.js';

function collector() {
  let text = '';
  return { write: (s: string) => (text += s), get text() { return text; } };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'loom-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(file: string, params: Record<string, string> = {}) {
  const stdout = collector();
  const stderr = collector();
  const code = await runValidate(file, TEST_KINDS, params, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('loom validate', () => {
  it('prints a summary for a valid notebook', async () => {
    const file = path.join(dir, 'ok.md');
    await writeFile(file, VALID);
    expect(await validate(file)).toEqual({ code: 0, stdout: '✓ spring-loyalty: 3 cells, 4 params\n', stderr: '' });
  });
  it('prints every problem with file, line, column, source line and caret', async () => {
    const file = path.join(dir, 'bad.md');
    const source = VALID.replace('cell sql id=features', 'cell sqll id=features').replace('epochs: ${params.epochs}', 'epochs: ${params.epoch}');
    await writeFile(file, source);
    const { code, stdout, stderr } = await validate(file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:19:9  cell "features": unknown kind "sqll"; known kinds: ingest, sql, finetune (did you mean "sql"?)\n   19 | \`\`\`cell sqll id=features\n                ^`);
    expect(stderr).toContain(`${file}:27:9  cell "intent" epochs: "\${params.epoch}" refers to param "epoch"`);
    expect(stderr).toMatch(/2 problems in /);
  });
  it('checks params given on the command line', async () => {
    const file = path.join(dir, 'ok2.md');
    await writeFile(file, VALID);
    const { code, stderr } = await validate(file, { epochs: 'lots' });
    expect(code).toBe(1);
    expect(stderr).toContain('param "epochs" expects a whole number (int), got "lots"');
  });
  it('explains unreadable files', async () => {
    expect((await validate(path.join(dir, 'missing.md'))).stderr).toMatch(/missing\.md does not exist; check the path/);
    expect((await validate(dir)).stderr).toMatch(/is a directory; pass the notebook's \.md file/);
    const big = path.join(dir, 'big.md');
    await writeFile(big, 'x'.repeat(1024 * 1024 + 10));
    expect(await validate(big)).toMatchObject({ code: 1, stderr: expect.stringMatching(/at most 1048576 bytes/) });
  });
});

describe('formatIssues', () => {
  it('shows a window of long lines and keeps control characters out of the terminal', () => {
    const source = `---\nname: a\n---\n\`\`\`cell sql id=q\nquery: ${'x'.repeat(500)} \${params.nope} \u001b[31m\n\`\`\`\n`;
    const { issues } = parseNotebook(source, TEST_KINDS);
    const report = formatIssues(issues, source, 'nb.md');
    expect(report).not.toContain('\u001b');
    const [, shown, caret] = report.split('\n');
    expect(shown!.length).toBeLessThan(130);
    expect(caret!.indexOf('^')).toBeGreaterThan(0);
  });
});
