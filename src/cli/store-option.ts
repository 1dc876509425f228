// The --db option shared by every command that opens a store: flag, then FIDELIO_DB, then ./fidelio.duckdb.
import type { Command } from 'commander';

export const DEFAULT_DB = 'fidelio.duckdb';

export function addDbOption(command: Command): Command {
  return command.option('--db <file>', `the store file (default: $FIDELIO_DB, then ./${DEFAULT_DB})`);
}

/** Resolves the store path once, at the edge (nothing else reads the environment). */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.FIDELIO_DB ?? DEFAULT_DB;
}
