// --profile, inside a server process: times every statement DuckDB runs (BEGIN and COMMIT included) and
// each commit cycle, by wrapping DuckDBConnection.run; the server's own code is left as it is.
import { DuckDBConnection } from '@duckdb/node-api';

export interface StatementStat {
  /** The statement's first words, whitespace collapsed. */
  statement: string;
  count: number;
  totalMs: number;
}

export interface StatementProfile {
  /** Wall time the profile covers. */
  seconds: number;
  statements: StatementStat[];
  /** BEGIN … COMMIT cycles: how many, and the sum of their durations (how busy the writer was). */
  commits: number;
  commitCycleMs: { total: number; p50: number; p99: number };
}

/** Starts timing; the returned function stops and summarises. */
export function timeStatements(): () => StatementProfile {
  const began = performance.now();
  const stats = new Map<string, StatementStat>();
  const cycles: number[] = [];
  const opened = new WeakMap<object, number>();
  const proto = DuckDBConnection.prototype as unknown as {
    run: (this: object, sql: string, ...rest: unknown[]) => Promise<unknown>;
  };
  const original = proto.run;
  proto.run = async function (sql, ...rest) {
    const start = performance.now();
    if (sql === 'BEGIN TRANSACTION') opened.set(this, start);
    try {
      return await original.call(this, sql, ...rest);
    } finally {
      const end = performance.now();
      const statement = sql.replace(/\s+/g, ' ').trim().slice(0, 90);
      const stat = stats.get(statement) ?? { statement, count: 0, totalMs: 0 };
      stat.count += 1;
      stat.totalMs += end - start;
      stats.set(statement, stat);
      const cycleStart = opened.get(this);
      if (sql === 'COMMIT' && cycleStart !== undefined) cycles.push(end - cycleStart);
    }
  };
  return () => {
    proto.run = original;
    const sorted = [...cycles].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return {
      seconds: (performance.now() - began) / 1000,
      statements: [...stats.values()].sort((a, b) => b.totalMs - a.totalMs),
      commits: cycles.length,
      commitCycleMs: { total: cycles.reduce((a, b) => a + b, 0), p50: at(0.5), p99: at(0.99) },
    };
  };
}
