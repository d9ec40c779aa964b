import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { KindSpec } from '../../kinds/types.js';
import { formatIssues, NOTEBOOK_LIMITS, parseNotebook, planRun } from '../../notebook/index.js';
import { collectParam } from '../params.js';

export interface Output {
  write(text: string): unknown;
}

/** Reads a notebook file for people: every failure names the file and what to do. */
async function readNotebookFile(file: string): Promise<{ source: string } | { error: string }> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { error: `${file} is a directory; pass the notebook's .md file` };
    if (info.size > NOTEBOOK_LIMITS.sourceBytes) return { error: `${file} is ${info.size} bytes; a notebook may be at most ${NOTEBOOK_LIMITS.sourceBytes} bytes (1 MiB)` };
    return { source: await readFile(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${file} does not exist; check the path` };
    if (code === 'EACCES' || code === 'EPERM') return { error: `${file} cannot be read (permission denied)` };
    return { error: `${file} cannot be read: ${(err as Error).message}` };
  }
}

/**
 * Validates one notebook file; with params, also checks that a run with them could be planned.
 * Returns the exit code.
 */
export async function runValidate(
  file: string,
  kinds: ReadonlyMap<string, KindSpec>,
  params: Record<string, string>,
  out: { stdout: Output; stderr: Output },
): Promise<number> {
  const read = await readNotebookFile(file);
  if ('error' in read) {
    out.stderr.write(`loom validate: ${read.error}\n`);
    return 1;
  }
  const { notebook, issues } = parseNotebook(read.source, kinds);
  let problems = issues;
  if (notebook && Object.keys(params).length > 0) {
    problems = planRun(read.source, kinds, params, { runId: 'run-validate', notebookVersionId: 'validate' }).issues;
  }
  if (!notebook || problems.length > 0) {
    out.stderr.write(`${formatIssues(problems, read.source, file)}\n`);
    return 1;
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.stdout.write(`✓ ${notebook.name}: ${plural(notebook.cells.length, 'cell')}, ${plural(notebook.params.length, 'param')}\n`);
  return 0;
}

export function registerValidate(program: Command, getKinds: () => ReadonlyMap<string, KindSpec>): void {
  program
    .command('validate')
    .description('check a notebook file and report every problem with its line and column')
    .argument('<notebook.md>', 'the notebook file')
    .option('-p, --param <name=value>', 'also check a run with this param value (repeatable)', collectParam, {})
    .action(async (file: string, options: { param: Record<string, string> }) => {
      const code = await runValidate(file, getKinds(), options.param, { stdout: process.stdout, stderr: process.stderr });
      if (code !== 0) process.exitCode = code;
    });
}
