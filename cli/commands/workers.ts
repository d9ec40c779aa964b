import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { startStack } from '../../runtime/stack.js';
import { closeOnSignals, say } from '../lifecycle.js';

/** `loom worker` (loom-cpu) and `loom gpu-worker` (loom-gpu): long-running worker processes. */
export function registerWorkers(program: Command): void {
  for (const [name, gpu] of [['worker', false], ['gpu-worker', true]] as const) {
    program
      .command(name)
      .description(gpu ? 'serve the loom-gpu queue (training); concurrency = GPU count' : 'serve the loom-cpu queue (workflows and data cells)')
      .action(async () => {
        const config = loadConfig();
        const stack = await startStack(config, { devServer: false, cpuWorker: !gpu, gpuWorker: gpu });
        closeOnSignals(stack.close);
        say(`${name} connected to Temporal ${stack.temporalAddress}, database ${stack.db.driver}`);
        await stack.workersDone;
      });
  }
}
