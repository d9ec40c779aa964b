import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openDatabaseFromConfig } from '../../runtime/stack.js';
import { checkRunId, exportRunHtml, exportRunIpynb } from '../../services/export/index.js';
import { say } from '../lifecycle.js';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a run as a Jupyter notebook (.ipynb, outputs intact) or a self-contained HTML report')
    .argument('<runId>', 'run id, e.g. run-01J…')
    .option('--format <format>', 'ipynb or html', 'ipynb')
    .option('--out <file>', 'file to write (default: stdout)')
    .action(async (runId: string, opts: { format: string; out?: string }) => {
      if (opts.format !== 'ipynb' && opts.format !== 'html') throw new Error(`--format must be ipynb or html, not ${JSON.stringify(opts.format.slice(0, 20))}`);
      checkRunId(runId);
      const { db, release } = await openDatabaseFromConfig(loadConfig());
      try {
        const text = opts.format === 'ipynb' ? await exportRunIpynb({ db }, runId) : await exportRunHtml({ db }, runId);
        if (!opts.out) return void process.stdout.write(text);
        fs.writeFileSync(opts.out, text);
        say(`wrote ${opts.out} (${Buffer.byteLength(text)} bytes)`);
      } finally {
        await db.close();
        release();
      }
    });
}
