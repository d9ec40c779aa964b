import type { Command } from 'commander';
import { asc, eq } from 'drizzle-orm';
import { loadConfig } from '../../config.js';
import { runCells, runs } from '../../db/schema/index.js';
import { openDatabaseFromConfig } from '../../runtime/stack.js';
import { say } from '../lifecycle.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show a run and its cells (status, attempts, durations, errors)')
    .argument('<runId>', 'run id, e.g. run-01J…')
    .action(async (runId: string) => {
      if (!/^run-[0-9A-HJKMNP-TV-Z]{26}$/.test(runId)) throw new Error(`"${runId}" is not a run id; run ids look like run-01JB2M8Q1Z3X4Y5W6V7T8S9R0P`);
      const { db, release } = await openDatabaseFromConfig(loadConfig());
      try {
        const [run] = await db.orm.select().from(runs).where(eq(runs.id, runId));
        if (!run) {
          say(`run ${runId} not found`);
          process.exitCode = 1;
          return;
        }
        say(`${run.id}  ${run.status}${run.error ? `: ${run.error}` : ''}`);
        const cells = await db.orm.select().from(runCells).where(eq(runCells.runId, runId)).orderBy(asc(runCells.position));
        for (const c of cells) {
          const secs = c.startedAt && c.finishedAt ? `${((c.finishedAt.getTime() - c.startedAt.getTime()) / 1000).toFixed(1)}s` : '';
          say(`  ${c.cellId.padEnd(16)} ${c.kind.padEnd(10)} ${c.status.padEnd(10)} attempt ${c.attempt}  ${secs}${c.error ? `  ${c.error}` : ''}`);
        }
        process.exitCode = run.status === 'failed' || run.status === 'cancelled' ? 1 : 0;
      } finally {
        await db.close();
        release();
      }
    });
}
