import type { Command } from 'commander';
import { Option } from 'commander';
import { loadConfig } from '../../config.js';
import { ROLES, type Role } from '../../db/schema/index.js';
import { createToken } from '../../services/tokens.js';
import { openDatabaseFromConfig } from '../../runtime/stack.js';
import { say } from '../lifecycle.js';

export function registerToken(program: Command): void {
  const token = program.command('token').description('manage API tokens');
  token
    .command('create')
    .description('create an API token; the secret is printed once')
    .requiredOption('--name <name>', 'who or what uses the token')
    .addOption(new Option('--role <role>', 'what the token may do').choices(Object.values(ROLES)).default('viewer'))
    .action(async (opts: { name: string; role: Role }) => {
      if (opts.name.trim().length === 0 || opts.name.length > 200) throw new Error('--name must be 1-200 characters');
      const { db, release } = await openDatabaseFromConfig(loadConfig());
      try {
        const { token: secret, record } = await createToken({ db }, { name: opts.name, role: opts.role });
        say(`token ${record.id} (${record.role}) for ${record.name}:`);
        say(secret);
      } finally {
        await db.close();
        release();
      }
    });
}
