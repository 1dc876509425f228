// Opening a store file directly from the CLI: its control schema (workspaces, people, keys) or one
// workspace's data. `--workspace` defaults to the workspace every store has, whose data is the main schema.
import type { Command } from 'commander';
import { DuckDbDatabase, type DuckDbStore } from '../store/duckdb-store.js';
import { DEFAULT_WORKSPACE, Tenancy } from '../tenancy/tenancy.js';

export function addWorkspaceOption(command: Command): Command {
  return command.option('--workspace <name>', `the workspace (default: "${DEFAULT_WORKSPACE}")`);
}

/** Runs `work` on the control schema of the store at `path`, then closes the file. */
export async function withTenancy<T>(
  path: string,
  work: (tenancy: Tenancy, database: DuckDbDatabase) => Promise<T>,
) {
  const database = await DuckDbDatabase.open(path);
  try {
    const tenancy = new Tenancy(await database.controlStore());
    return await work(tenancy, database);
  } finally {
    await database.close();
  }
}

/** A store on one workspace's data; closing it closes the file. */
export async function openWorkspaceStore(path: string, workspace = DEFAULT_WORKSPACE): Promise<DuckDbStore> {
  const database = await DuckDbDatabase.open(path);
  try {
    const tenancy = new Tenancy(await database.controlStore());
    const { schema } = await tenancy.requireWorkspace(workspace);
    return await database.workspaceStore(schema, () => database.close());
  } catch (error) {
    await database.close();
    throw error;
  }
}
