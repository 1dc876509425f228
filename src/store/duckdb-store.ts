// The embedded store: one DuckDB file (or :memory:), opened through @duckdb/node-api.
import { copyFile } from 'node:fs/promises';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { FidelioError } from '../domain/errors.js';
import { applyMigrations, pendingMigrations } from './migrate.js';
import { type Dialect, type Row, type StagedFile, type Store, sqlIdentifier, sqlString } from './store.js';

export interface DuckDbOptions {
  /** DuckDB's memory limit (it spills to disk past it); DEFAULT_MEMORY_LIMIT unless given. */
  memoryLimit?: string;
  threads?: number;
}

/** Keeps a whole import or report of a million accounts within about 2 GB of memory. */
export const DEFAULT_MEMORY_LIMIT = '1500MB';

const duckdbDialect: Dialect = {
  name: 'duckdb',
  sortedList: (expr) => `list(${expr} ORDER BY ${expr})`,
};

/**
 * Opens (creating if needed) a DuckDB store and brings its schema up to date.
 * @example const store = await openDuckDbStore('fidelio.duckdb');
 */
export async function openDuckDbStore(path: string, options: DuckDbOptions = {}): Promise<DuckDbStore> {
  const settings: Record<string, string> = { memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT };
  if (options.threads) settings.threads = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, settings);
  } catch (error) {
    throw openError(path, error);
  }
  const store = new DuckDbStore(instance, await instance.connect());
  // Timestamps are stored as UTC; TIMESTAMPTZ casts of offset-bearing input must land in UTC.
  await store.run("SET TimeZone = 'UTC'");
  const pending = await pendingMigrations(store);
  if (pending.length > 0 && path !== ':memory:' && (await hasSchema(store))) {
    // STYLE: a migration that fails halfway must not cost the user their data.
    await copyFile(path, `${path}.pre-v${pending[0]!.version}.bak`);
  }
  await applyMigrations(store, pending);
  return store;
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

export class DuckDbStore implements Store {
  readonly dialect = duckdbDialect;
  private inTransaction = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
    return reader.getRowObjectsJS().map((row) => toPlainRow(row) as T);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.connection.run(sql, params.length > 0 ? (params as DuckDBValue[]) : undefined);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return work();
    await this.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await work();
      await this.run('COMMIT');
      return result;
    } catch (error) {
      await this.run('ROLLBACK');
      throw error;
    } finally {
      this.inTransaction = false;
    }
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
    this.connection.closeSync();
    this.instance.closeSync();
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
