import { Command, CommanderError } from 'commander';
import { KINDS } from '../kinds/index.js';
import { logger } from '../runtime/logger.js';
import { registerApi } from './commands/api.js';
import { registerDev } from './commands/dev.js';
import { registerDiff } from './commands/diff.js';
import { registerExport } from './commands/export.js';
import { registerRun } from './commands/run.js';
import { registerSchedule } from './commands/schedule.js';
import { registerRerun } from './commands/rerun.js';
import { registerEvents } from './commands/events.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStatus } from './commands/status.js';
import { registerToken } from './commands/token.js';
import { registerValidate } from './commands/validate.js';
import { registerWorkers } from './commands/workers.js';

export function buildProgram(): Command {
  const program = new Command('loom')
    .description('Loom: campaign notebooks as durable workflows')
    .showHelpAfterError()
    .exitOverride();
  registerRun(program);
  registerRerun(program);
  registerEvents(program);
  registerStatus(program);
  registerValidate(program, () => KINDS);
  registerSimulate(program);
  registerWorkers(program);
  registerApi(program);
  registerDev(program);
  registerToken(program);
  registerSchedule(program);
  registerDiff(program);
  registerExport(program);
  return program;
}

async function run(): Promise<void> {
  await buildProgram().parseAsync(process.argv);
}

run().catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`loom: ${message}\n`);
  logger.debug({ err }, 'command failed');
  process.exit(1);
});
