import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { rerunFrom, retryFailed } from '../../services/reruns.js';
import type { Run } from '../../db/schema/index.js';
import { startStack, type Stack } from '../../runtime/stack.js';
import { collectParam } from '../params.js';
import { closeOnSignals, say } from '../lifecycle.js';
import { printRunOutputs } from '../print-outputs.js';
import { watchRun } from '../watch-run.js';

const RUN_ID = /^run-[0-9A-HJKMNP-TV-Z]{26}$/;

async function onStack(start: (stack: Stack) => Promise<Run>): Promise<void> {
  const config = loadConfig();
  const local = !config.temporal.address;
  const stack = await startStack(config, { devServer: local, cpuWorker: local, gpuWorker: local });
  closeOnSignals(stack.close);
  try {
    const run = await start(stack);
    say(`run ${run.id} started from ${run.parentRunId}`);
    const end = await watchRun(stack.db, run.id, say);
    if (end.status === 'succeeded') await printRunOutputs(stack.db, run.id, say);
    say(`\n${end.status === 'succeeded' ? '✓' : '✗'} run ${run.id} ${end.status}${end.error ? `: ${end.error}` : ''}`);
    process.exitCode = end.status === 'succeeded' ? 0 : 1;
  } finally {
    await stack.close();
  }
}

function checkRunId(id: string): void {
  if (!RUN_ID.test(id)) throw new Error(`"${id}" is not a run id; run ids look like run-01JB2M8Q1Z3X4Y5W6V7T8S9R0P`);
}

export function registerRerun(program: Command): void {
  program
    .command('rerun')
    .description('start a new run that reuses the outputs upstream of a cell and recomputes it and everything after it')
    .argument('<runId>', 'the run to start from')
    .requiredOption('--from <cellId>', 'the first cell to recompute')
    .option('-p, --param <name=value>', 'change a parameter (repeatable)', collectParam, {})
    .option('--notebook-version <n>', 'run this saved version of the notebook instead of the parent run’s', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--notebook-version must be a positive integer, got ${JSON.stringify(v)}`);
      return n;
    })
    .action(async (runId: string, opts: { from: string; param: Record<string, string>; notebookVersion?: number }) => {
      checkRunId(runId);
      await onStack((stack) =>
        rerunFrom({ db: stack.db, temporal: stack.client }, { runId, cellId: opts.from, params: opts.param, notebookVersion: opts.notebookVersion, launchedBy: 'cli' }),
      );
    });
  program
    .command('retry')
    .description('start a new run that reuses every finished cell and reruns the failed ones and what depends on them')
    .argument('<runId>', 'a failed or cancelled run')
    .action(async (runId: string) => {
      checkRunId(runId);
      await onStack((stack) => retryFailed({ db: stack.db, temporal: stack.client }, { runId, launchedBy: 'cli' }));
    });
}
