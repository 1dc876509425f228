// Applies pending migrations, each in its own transaction, recording them in schema_migrations.
import { FidelioError } from '../domain/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import type { Store } from './store.js';

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`;

/** The migrations of `all` not yet applied to a store's schema, oldest first. */
export async function pendingMigrations(
  store: Store,
  all: readonly Migration[] = MIGRATIONS,
): Promise<Migration[]> {
  await store.run(LEDGER);
  const rows = await store.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  const newest = Math.max(0, ...applied);
  const latest = all.at(-1)?.version ?? 0;
  if (newest > latest) {
    throw new FidelioError(
      'conflict',
      'store_too_new',
      `this store has schema version ${newest}, newer than this Fidelio (${latest}); upgrade Fidelio`,
    );
  }
  return all.filter((m) => !applied.has(m.version));
}

/** Applies the given migrations in order; a failing migration leaves the store at the previous version. */
export async function applyMigrations(store: Store, migrations: readonly Migration[]): Promise<void> {
  for (const migration of migrations) {
    await store.transaction(async () => {
      await store.run(migration.sql);
      await store.run('INSERT INTO schema_migrations VALUES ($1, $2, CURRENT_TIMESTAMP)', [
        migration.version,
        migration.name,
      ]);
    });
  }
}
