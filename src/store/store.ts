// The Store interface the KPI engine and the importers depend on; one adapter per engine implements it.

/** A result row: column name to a JS value (numbers for numerics, Date for timestamps, null for NULL). */
export type Row = Record<string, unknown>;

/** Where the SQL of DuckDB and PostgreSQL differ, the adapter says how (everything else is shared SQL). */
export interface Dialect {
  readonly name: 'duckdb' | 'postgres';
  /** An aggregate returning the values of `expr` sorted ascending, as a JS array of numbers. */
  sortedList(expr: string): string;
}

/** One column of a staged CSV file, read as text. */
export interface StagedFile {
  /** The temporary table holding the file's rows: every column as VARCHAR plus `line` = record number + 1. */
  table: string;
  rows: number;
}

export interface Store {
  readonly dialect: Dialect;
  /** Runs a query and returns its rows. `$1`… bind `params`. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a query and returns one array per column: for large results, without an object per row. */
  queryColumns(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown[]>>;
  /** Runs statements that return nothing. */
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  /** Runs `work` in one transaction: all of it is committed, or none of it. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Streams a CSV file into a temporary table of text columns (`columns` in file order). */
  stageCsv(path: string, columns: readonly string[], table: string): Promise<StagedFile>;
  close(): Promise<void>;
}

/** Quotes a value as an SQL string literal (for generated SQL of values we produced ourselves). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A timestamp literal both engines read as UTC. */
export function sqlTimestamp(instant: Date): string {
  return `CAST(${sqlString(instant.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
}

/** Quotes an identifier (column or table name). */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
