import { Command, CommanderError } from 'commander';
import { registerSimulate } from '../../cli/commands/simulate.js';

export interface SimulateResult {
  /** 0 on success, otherwise the exit code commander would have used. */
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `loom simulate …` in-process, capturing its output instead of exiting. */
export async function runSimulate(args: string[]): Promise<SimulateResult> {
  let stdout = '';
  let stderr = '';
  const program = new Command('loom')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerSimulate(program);
  try {
    await program.parseAsync(['simulate', ...args], { from: 'user' });
    return { exitCode: 0, stdout, stderr };
  } catch (err) {
    if (err instanceof CommanderError) return { exitCode: err.exitCode, stdout, stderr };
    throw err;
  }
}
