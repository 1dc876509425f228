// A Store that times every statement it passes on, to show where an import or a report spends its time.
import type { Row, StagedFile, Store } from '../src/store/store.js';

export interface StatementTime {
  /** The statement's first words (whitespace collapsed), enough to recognise it. */
  statement: string;
  /** The tables it reads (FROM and JOIN targets that are not its own CTEs). */
  tables: string[];
  seconds: number;
}

function tablesRead(sql: string): string[] {
  const ctes = new Set(
    [...sql.matchAll(/\b(\w+)\s*(?:\([^)]*\))?\s+AS\s*\(/gi)].map((m) => m[1]!.toLowerCase()),
  );
  const refs = [...sql.matchAll(/\b(?:FROM|JOIN)\s+"?(\w+)/gi)].map((m) => m[1]!.toLowerCase());
  return [...new Set(refs.filter((name) => !ctes.has(name) && name !== 'select'))];
}

export class TimingStore implements Store {
  readonly times: StatementTime[] = [];

  constructor(private readonly inner: Store) {}

  get dialect() {
    return this.inner.dialect;
  }

  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.timed(sql, () => this.inner.query<T>(sql, params));
  }

  queryColumns(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown[]>> {
    return this.timed(sql, () => this.inner.queryColumns(sql, params));
  }

  run(sql: string, params?: readonly unknown[]): Promise<void> {
    return this.timed(sql, () => this.inner.run(sql, params));
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.inner.transaction(work);
  }

  stageCsv(path: string, columns: readonly string[], table: string): Promise<StagedFile> {
    return this.timed(`stage ${path.split('/').at(-1)}`, () => this.inner.stageCsv(path, columns, table));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async timed<T>(sql: string, work: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await work();
    } finally {
      const statement = sql.replace(/\s+/g, ' ').trim().slice(0, 160);
      this.times.push({ statement, tables: tablesRead(sql), seconds: (performance.now() - began) / 1000 });
    }
  }
}
