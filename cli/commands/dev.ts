import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { startApiServer } from '../../graphql/server.js';
import { ensureBootstrapToken } from '../../services/tokens.js';
import { startStack } from '../../runtime/stack.js';
import { closeOnSignals, say } from '../lifecycle.js';
import { runNotebookOnStack } from './run.js';

export const EXAMPLE_NOTEBOOK = 'notebooks/spring-loyalty.md';

/** The admin token of a dev install: from LOOM_BOOTSTRAP_TOKEN, else made once and kept in LOOM_HOME. */
function devToken(home: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = path.join(home, 'admin-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = `loom_${crypto.randomBytes(32).toString('base64url')}`;
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description('everything in one process: Temporal dev server, database, both workers, the API; then runs the example notebook')
    .option('--notebook <file>', 'notebook to run at start', EXAMPLE_NOTEBOOK)
    .option('--no-run', 'do not run a notebook at start')
    .option('--once', 'exit after the start-up run instead of serving')
    .action(async (opts: { notebook: string; run: boolean; once?: boolean }) => {
      const config = loadConfig();
      const stack = await startStack(config, { devServer: true, cpuWorker: true, gpuWorker: true });
      const api = opts.once
        ? undefined
        : await startApiServer({
            db: stack.db,
            temporal: stack.client,
            config: { maxBodyBytes: config.api.maxBodyBytes, graphiql: config.api.graphiql },
            host: config.api.host,
            port: config.api.port,
          });
      const close = async () => {
        await api?.close();
        await stack.close();
      };
      closeOnSignals(close);
      const token = devToken(config.home, config.api.bootstrapToken);
      await ensureBootstrapToken({ db: stack.db }, token);
      say(`Temporal   ${stack.temporalAddress}  (${stack.temporalVia})`);
      say(`Database   ${stack.db.driver}${config.databaseUrl ? '' : ` in ${path.join(config.home, 'pglite')}`}`);
      say(`Workers    loom-cpu, loom-gpu`);
      if (api) say(`API        ${api.url}   (admin token in ${path.join(config.home, 'admin-token')})`);
      let code = 0;
      if (opts.run) code = await runNotebookOnStack(stack, opts.notebook, {}, 'dev');
      if (opts.once) {
        await close();
        process.exitCode = code;
        return;
      }
      say('\nServing. Press Ctrl-C to stop.');
    });
}
