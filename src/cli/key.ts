// `fidelio key create`: a new API key for a workspace, printed once (only its digest is stored).
import type { Command } from 'commander';
import { parseScopes, SCOPES } from '../tenancy/access.js';
import { directOrThroughServer } from './server-channel.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { withTenancy } from './workspace-store.js';

export function registerKey(program: Command): void {
  const key = program.command('key').description('Manage API keys');
  addDbOption(
    key
      .command('create')
      .description('Create an API key and print it (shown only this once)')
      .requiredOption('--workspace <name>', 'the workspace the key reaches')
      .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(', ')}`),
  ).action(async (options: { db?: string; workspace: string; scopes: string }) => {
    const scopes = parseScopes(options.scopes);
    const db = resolveDbPath(options.db);
    const created = (await directOrThroughServer(
      db,
      () => withTenancy(db, (t) => t.createKey(options.workspace, scopes)),
      (call) => call('/api/local/keys', { workspace: options.workspace, scopes: scopes.join(',') }),
    )) as { id: string; token: string };
    process.stdout.write(`${created.token}\n`);
    process.stderr.write(
      `key ${created.id} (${scopes.join(', ')}) for ${options.workspace}: store it now, it is not shown again\n`,
    );
  });
}
