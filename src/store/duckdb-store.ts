// The embedded store: one DuckDB file (or :memory:), opened through @duckdb/node-api. Each workspace's data
// lives in its own schema, reached through its own connection whose search path names only that schema.
import { AsyncLocalStorage } from 'node:async_hooks';
import { copyFile } from 'node:fs/promises';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { FidelioError } from '../domain/errors.js';
import { CONTROL_MIGRATIONS } from './control-migrations/index.js';
import { applyMigrations, pendingMigrations } from './migrate.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { type Dialect, type Row, type StagedFile, type Store, sqlIdentifier, sqlString } from './store.js';

export interface DuckDbOptions {
  /** DuckDB's memory limit (it spills to disk past it); DEFAULT_MEMORY_LIMIT unless given. */
  memoryLimit?: string;
  threads?: number;
}

/** Keeps a whole import or report of a million accounts within about 2 GB of memory. */
export const DEFAULT_MEMORY_LIMIT = '1500MB';

/** The schema of the workspace a store has before any other is created (and of every CLI-only store). */
export const MAIN_SCHEMA = 'main';
export const CONTROL_SCHEMA = 'control';

const duckdbDialect: Dialect = {
  name: 'duckdb',
  sortedList: (expr) => `list(${expr} ORDER BY ${expr})`,
};

/**
 * Opens (creating if needed) a DuckDB store on the main workspace schema, brought up to date.
 * Closing the store closes the file.
 * @example const store = await openDuckDbStore('fidelio.duckdb');
 */
export async function openDuckDbStore(path: string, options: DuckDbOptions = {}): Promise<DuckDbStore> {
  const database = await DuckDbDatabase.open(path, options);
  try {
    // Every store carries the control schema, which registers the main schema as the default workspace.
    await (await database.controlStore()).close();
    return await database.workspaceStore(MAIN_SCHEMA, () => database.close());
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** One DuckDB file: the control schema plus one schema per workspace. */
export class DuckDbDatabase {
  private readonly connections = new Set<DuckDBConnection>();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
  ) {}

  static async open(path: string, options: DuckDbOptions = {}): Promise<DuckDbDatabase> {
    const settings: Record<string, string> = { memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT };
    if (options.threads) settings.threads = String(options.threads);
    try {
      return new DuckDbDatabase(path, await DuckDBInstance.create(path, settings));
    } catch (error) {
      throw openError(path, error);
    }
  }

  /** A store on the workspace data of `schema`, created and migrated as needed. */
  async workspaceStore(schema: string, onClose?: () => Promise<void>): Promise<DuckDbStore> {
    return this.schemaStore(schema, MIGRATIONS, onClose);
  }

  /** A store on the control schema (workspaces, users, keys, sessions). */
  async controlStore(): Promise<DuckDbStore> {
    return this.schemaStore(CONTROL_SCHEMA, CONTROL_MIGRATIONS);
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.closeSync();
    this.connections.clear();
    this.instance.closeSync();
  }

  private async schemaStore(
    schema: string,
    migrations: readonly Migration[],
    onClose?: () => Promise<void>,
  ): Promise<DuckDbStore> {
    const connection = await this.instance.connect();
    this.connections.add(connection);
    const store = new DuckDbStore(connection, async () => {
      this.connections.delete(connection);
      connection.closeSync();
      await onClose?.();
    });
    // Timestamps are stored as UTC; TIMESTAMPTZ casts of offset-bearing input must land in UTC.
    await store.run("SET TimeZone = 'UTC'");
    await store.run(`CREATE SCHEMA IF NOT EXISTS ${sqlIdentifier(schema)}`);
    await store.run(`SET search_path = ${sqlString(schema)}`);
    const pending = await pendingMigrations(store, migrations);
    if (pending.length > 0 && this.path !== ':memory:' && (await hasSchema(store))) {
      // STYLE: a migration that fails halfway must not cost the user their data.
      const tag = schema === MAIN_SCHEMA ? '' : `${schema}-`;
      await copyFile(this.path, `${this.path}.pre-${tag}v${pending[0]!.version}.bak`);
    }
    await applyMigrations(store, pending);
    return store;
  }
}

async function hasSchema(store: Store): Promise<boolean> {
  const rows = await store.query('SELECT count(*) AS n FROM schema_migrations');
  return Number(rows[0]?.n) > 0;
}

function openError(path: string, error: unknown): FidelioError {
  const message = error instanceof Error ? error.message : String(error);
  const holder = /PID (\d+)/.exec(message);
  if (/lock/i.test(message)) {
    return new FidelioError(
      'conflict',
      'store_locked',
      `the store ${path} is open in another process${holder ? ` (PID ${holder[1]})` : ''}; ` +
        'stop it or send the data through the server that holds it',
    );
  }
  return new FidelioError(
    'usage',
    'store_unreadable',
    `cannot open the store ${path}: ${message.split('\n')[0]}`,
  );
}

/**
 * A store on one connection. Calls from concurrent requests take turns, and a transaction holds the
 * connection until it ends: the calls made inside it (recognised through async context) go straight through.
 */
export class DuckDbStore implements Store {
  readonly dialect = duckdbDialect;
  private readonly owner = new AsyncLocalStorage<DuckDbStore>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly onClose: () => Promise<void>,
  ) {}

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.inTurn(async () => {
      const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
      return reader.getRowObjectsJS().map((row) => toPlainRow(row) as T);
    });
  }

  async queryColumns(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown[]>> {
    return this.inTurn(async () => {
      const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
      const columns: Record<string, unknown[]> = reader.getColumnsObjectJS();
      for (const [name, values] of Object.entries(columns)) {
        if (values.some((value) => typeof value === 'bigint' || Array.isArray(value))) {
          columns[name] = values.map(toPlainValue);
        }
      }
      return columns;
    });
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.inTurn(() =>
      this.connection.run(sql, params.length > 0 ? (params as DuckDBValue[]) : undefined),
    );
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.owner.getStore() === this) return work();
    return this.inTurn(() =>
      this.owner.run(this, async () => {
        await this.connection.run('BEGIN TRANSACTION');
        try {
          const result = await work();
          await this.connection.run('COMMIT');
          return result;
        } catch (error) {
          await this.connection.run('ROLLBACK');
          throw error;
        }
      }),
    );
  }

  async stageCsv(path: string, columns: readonly string[], table: string): Promise<StagedFile> {
    const columnTypes = columns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(', ');
    // DuckDB keeps the file's row order: row k of the table is record k, on line k + 1 of a file without
    // blank lines or quoted line breaks (the importer maps records to physical lines when it reports).
    await this.run(
      `CREATE OR REPLACE TEMP TABLE ${sqlIdentifier(table)} AS
       SELECT CAST(row_number() OVER () + 1 AS BIGINT) AS line, *
       FROM read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"',
                     escape = '"', strict_mode = true, columns = {${columnTypes}})`,
    );
    const rows = await this.query<{ n: number }>(`SELECT count(*) AS n FROM ${sqlIdentifier(table)}`);
    return { table, rows: Number(rows[0]?.n ?? 0) };
  }

  async close(): Promise<void> {
    await this.onClose();
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.owner.getStore() === this) return work();
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** BIGINT and HUGEINT arrive as bigint, lists as arrays; KPI code wants plain numbers. */
function toPlainRow(row: Record<string, unknown>): Row {
  const plain: Row = {};
  for (const [key, value] of Object.entries(row)) plain[key] = toPlainValue(value);
  return plain;
}

function toPlainValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlainValue);
  return value;
}
