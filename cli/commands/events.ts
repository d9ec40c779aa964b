import type { Command } from 'commander';
import { Option } from 'commander';
import { loadConfig } from '../../config.js';
import { importEvents } from '../../activities/experiments/import-events.js';
import { openDatabaseFromConfig } from '../../runtime/stack.js';
import { say } from '../lifecycle.js';

/** `loom events import <file>`: customer events from a file, with `recordEvents`' validation and idempotency. */
export function registerEvents(program: Command): void {
  const events = program.command('events').description('customer events for A/B tests');
  events
    .command('import')
    .description('import purchase/visit/review events from a CSV or JSON Lines file (importing twice stores nothing new)')
    .argument('<file>', 'path inside LOOM_DATA_ROOTS, or a loopback URL')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'jsonl']))
    .action(async (file: string, opts: { format?: 'csv' | 'jsonl' }) => {
      const format = opts.format ?? (/\.jsonl?$/i.test(file) ? 'jsonl' : 'csv');
      const config = loadConfig();
      const { db, release } = await openDatabaseFromConfig(config);
      try {
        const out = await importEvents(db, { source: file, format }, config.workers.dataRoots, new AbortController().signal, (read) => {
          if (read % 100_000 === 0) process.stderr.write(`${read.toLocaleString('en-US')} events read\n`);
        });
        say(`${out.read.toLocaleString('en-US')} read, ${out.accepted.toLocaleString('en-US')} stored, ${out.duplicates.toLocaleString('en-US')} already there, ${out.rejected.toLocaleString('en-US')} rejected`);
        for (const e of out.errors.slice(0, 20)) say(`  line ${e.line}, ${e.field}: ${e.message}`);
        process.exitCode = out.rejected > 0 ? 1 : 0;
      } finally {
        await db.close();
        release();
      }
    });
}
