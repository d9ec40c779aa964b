import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { launchRunFromSource } from '../../services/runs.js';
import { startStack, type Stack } from '../../runtime/stack.js';
import { collectParam } from '../params.js';
import { KINDS } from '../../kinds/index.js';
import { formatIssues, planRun } from '../../notebook/index.js';
import { closeOnSignals, say } from '../lifecycle.js';
import { watchRun } from '../watch-run.js';
import { printRunOutputs } from '../print-outputs.js';

/** Launches a notebook and follows it to the end; returns the process exit code. */
export async function runNotebookOnStack(stack: Stack, file: string, params: Record<string, string>, launchedBy: string): Promise<number> {
  const source = fs.readFileSync(file, 'utf8');
  const run = await launchRunFromSource({ db: stack.db, temporal: stack.client }, { source, params, launchedBy });
  say(`run ${run.id} started (notebook ${file})`);
  const end = await watchRun(stack.db, run.id, say);
  if (end.status === 'succeeded') {
    await printRunOutputs(stack.db, run.id, say);
    say(`\n✓ run ${run.id} succeeded`);
    return 0;
  }
  say(`\n✗ run ${run.id} ${end.status}${end.error ? `: ${end.error}` : ''}`);
  return 1;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a notebook and show each cell as it finishes (starts a local stack unless TEMPORAL_ADDRESS is set)')
    .argument('<notebook>', 'path of the notebook .md file')
    .option('-p, --param <name=value>', 'set a notebook parameter (repeatable)', collectParam, {})
    .action(async (file: string, opts: { param: Record<string, string> }) => {
      if (!fs.existsSync(file)) throw new Error(`notebook file ${file} does not exist`);
      const config = loadConfig();
      // Refuse a bad notebook or bad params before starting anything.
      const source = fs.readFileSync(file, 'utf8');
      const { issues } = planRun(source, KINDS, opts.param, { runId: 'run-check', notebookVersionId: 'check' });
      if (issues.length > 0) throw new Error(`the notebook was not run:\n${formatIssues(issues, source, file)}`);
      const local = !config.temporal.address;
      const stack = await startStack(config, { devServer: local, cpuWorker: local, gpuWorker: local });
      closeOnSignals(stack.close);
      say(local ? `local stack: Temporal ${stack.temporalAddress} (${stack.temporalVia}), database ${stack.db.driver}` : `Temporal ${stack.temporalAddress}`);
      let code = 1;
      try {
        code = await runNotebookOnStack(stack, file, opts.param, 'cli');
      } finally {
        await stack.close();
      }
      process.exitCode = code;
    });
}
