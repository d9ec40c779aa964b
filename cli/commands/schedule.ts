import type { Command } from 'commander';
import { Client, Connection } from '@temporalio/client';
import Table from 'cli-table3';
import { loadConfig } from '../../config.js';
import { openDatabaseFromConfig } from '../../runtime/stack.js';
import {
  backfillSchedule,
  listSchedules,
  pauseSchedule,
  triggerSchedule,
  unpauseSchedule,
  type ScheduleInfo,
} from '../../services/schedules.js';
import { OVERLAP_POLICIES, type OverlapPolicy } from '../../notebook/types.js';
import { say } from '../lifecycle.js';

type Deps = Parameters<typeof listSchedules>[0];

/** Opens the database and a Temporal client (the configured cluster, or the local dev server). */
async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: '5s' });
  } catch {
    throw new Error(`cannot reach Temporal at ${address}; start \`loom dev\` or set TEMPORAL_ADDRESS`);
  }
  const { db, release } = await openDatabaseFromConfig(config);
  try {
    return await fn({ db, temporal: new Client({ connection, namespace: config.temporal.namespace }) });
  } finally {
    await db.close();
    release();
    await connection.close();
  }
}

const when = (d: Date | null | undefined) => (d ? d.toISOString().replace('.000Z', 'Z') : '—');

function show(s: ScheduleInfo): void {
  say(`${s.id}  ${s.paused ? 'paused' : 'active'}${s.note ? ` (${s.note})` : ''}  next ${when(s.nextRunTimes[0])}  last ${when(s.lastFiredAt)}${s.lastRunId ? ` → ${s.lastRunId}` : ''}`);
}

export function registerSchedule(program: Command): void {
  const cmd = program.command('schedule').description('notebook schedules (created from `schedule` front matter when a notebook is saved)');
  cmd
    .command('list')
    .description('every schedule with its next and last fire times')
    .action(() =>
      withDeps(async (deps) => {
        const all = await listSchedules(deps);
        if (all.length === 0) return say('no schedules; add `schedule: { cron: "0 2 * * *" }` to a notebook and save it');
        const table = new Table({ head: ['schedule', 'cron', 'timezone', 'overlap', 'state', 'next', 'last fired', 'last run'] });
        for (const s of all) {
          table.push([s.id, s.cron, s.timezone, s.overlap, s.paused ? `paused${s.note ? `: ${s.note}` : ''}` : 'active', when(s.nextRunTimes[0]), when(s.lastFiredAt), s.lastRunId ?? '—']);
        }
        say(table.toString());
      }),
    );
  cmd
    .command('pause')
    .argument('<notebook>', 'notebook name or schedule id')
    .option('--note <text>', 'why it is paused (shown in `schedule list`)')
    .action((nb: string, opts: { note?: string }) => withDeps(async (deps) => show(await pauseSchedule(deps, nb, opts.note))));
  cmd
    .command('unpause')
    .argument('<notebook>', 'notebook name or schedule id')
    .option('--note <text>', 'a note for the record')
    .action((nb: string, opts: { note?: string }) => withDeps(async (deps) => show(await unpauseSchedule(deps, nb, opts.note))));
  cmd
    .command('trigger')
    .description('run it now')
    .argument('<notebook>', 'notebook name or schedule id')
    .action((nb: string) => withDeps(async (deps) => show(await triggerSchedule(deps, nb))));
  cmd
    .command('backfill')
    .description('take the runs the schedule would have taken between two times')
    .argument('<notebook>', 'notebook name or schedule id')
    .requiredOption('--from <time>', 'start, ISO 8601 (e.g. 2025-03-01T00:00:00Z)')
    .requiredOption('--to <time>', 'end, ISO 8601')
    .option('--overlap <policy>', `${OVERLAP_POLICIES.join('|')} (default allow_all)`)
    .action((nb: string, opts: { from: string; to: string; overlap?: string }) =>
      withDeps(async (deps) => {
        if (opts.overlap !== undefined && !(OVERLAP_POLICIES as readonly string[]).includes(opts.overlap)) {
          throw new Error(`--overlap must be one of ${OVERLAP_POLICIES.join(', ')}`);
        }
        show(await backfillSchedule(deps, nb, { start: opts.from, end: opts.to, overlap: opts.overlap as OverlapPolicy | undefined }));
      }),
    );
}
