// Test helper for the browser tests: a small demo store made with the built CLI, with people to log in as and
// API keys, in the default workspace.
import { join } from 'node:path';
import { expect } from 'vitest';
import { fidelio, fidelioWithInput } from './cli.js';

export interface DemoStoreOptions {
  accounts: number;
  seed: number;
  /** Everyone gets `password`; roles as `fidelio user add --role` takes them. */
  people: readonly (readonly [email: string, role: string])[];
  password: string;
}

/** Creates `dir/demo.duckdb` with demo data ending 2025-06 and the given people; returns its path. */
export async function demoStore(dir: string, options: DemoStoreOptions): Promise<string> {
  const db = join(dir, 'demo.duckdb');
  const demo = await fidelio(
    'demo',
    ...[
      '--db',
      db,
      '--accounts',
      String(options.accounts),
      '--seed',
      String(options.seed),
      '--end',
      '2025-06',
    ],
  );
  expect(demo.code, demo.stderr).toBe(0);
  for (const [email, role] of options.people) {
    const add = await fidelioWithInput(
      options.password,
      ...['user', 'add', '--db', db, '--workspace', 'default', '--email', email, '--role', role],
      '--password-stdin',
    );
    expect(add.code, add.stderr).toBe(0);
  }
  return db;
}

/** A new API key of the default workspace with `scopes` (comma-separated). */
export async function demoKey(db: string, scopes: string): Promise<string> {
  const created = await fidelio('key', 'create', '--db', db, '--workspace', 'default', '--scopes', scopes);
  expect(created.code, created.stderr).toBe(0);
  return created.stdout.trim();
}
