import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { startApiServer } from '../../graphql/server.js';
import { startStack } from '../../runtime/stack.js';
import { closeOnSignals, say } from '../lifecycle.js';

export function registerApi(program: Command): void {
  program
    .command('api')
    .description('serve the GraphQL API (and web view) on LOOM_API_HOST:LOOM_API_PORT')
    .action(async () => {
      const config = loadConfig();
      const stack = await startStack(config, { devServer: false, cpuWorker: false, gpuWorker: false });
      const api = await startApiServer({
        db: stack.db,
        temporal: stack.client,
        config: { maxBodyBytes: config.api.maxBodyBytes, graphiql: config.api.graphiql },
        host: config.api.host,
        port: config.api.port,
      });
      closeOnSignals(async () => {
        await api.close();
        await stack.close();
      });
      say(`GraphQL API at ${api.url}`);
    });
}
