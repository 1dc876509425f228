// `fidelio workspace create NAME` and `fidelio workspace list`: directly, or through the server holding the store.
import type { Command } from 'commander';
import { directOrThroughServer } from './server-channel.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { withTenancy } from './workspace-store.js';

export function registerWorkspace(program: Command): void {
  const workspace = program.command('workspace').description('Manage workspaces (each holds its own data)');
  addDbOption(
    workspace
      .command('create')
      .description('Create a workspace')
      .argument('<name>', 'lower-case letters, digits, "-"'),
  ).action(async (name: string, options: { db?: string }) => {
    const db = resolveDbPath(options.db);
    await directOrThroughServer(
      db,
      () =>
        withTenancy(db, async (tenancy, database) => {
          const created = await tenancy.createWorkspace(name);
          await (await database.workspaceStore(created.schema)).close();
        }),
      (call) => call('/api/local/workspaces', { name }),
    );
    process.stdout.write(`workspace ${name} created\n`);
  });
  addDbOption(workspace.command('list').description('List the workspaces of a store')).action(
    async (options: { db?: string }) => {
      const names = await withTenancy(resolveDbPath(options.db), async (t) =>
        (await t.listWorkspaces()).map((w) => w.name),
      );
      process.stdout.write(`${names.join('\n')}\n`);
    },
  );
}
