// What the smallest durable write costs on this machine, for comparison with a group commit: DuckDB with one
// INSERT from JSON, DuckDB with its appender, and an append-only file with fdatasync — each for k answers.
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { median } from '../stats.js';

export interface CommitFloor {
  how: string;
  answers: number;
  medianMs: number;
  p90Ms: number;
}

const COLUMNS =
  '"response_id":"VARCHAR","submitted_at":"VARCHAR","metric":"VARCHAR","score":"DOUBLE","account_id":"VARCHAR"';

/** 200 writes of each kind on files beside `path` (removed afterwards). */
export async function commitFloors(path: string, sizes: readonly number[]): Promise<CommitFloor[]> {
  const floors: CommitFloor[] = [];
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  let id = 0;
  const answers = (k: number) =>
    Array.from({ length: k }, () => ({
      response_id: `r${id++}`,
      submitted_at: '2026-10-01T00:00:00Z',
      metric: 'nps',
      score: 9,
      account_id: 'acct-1',
    }));
  try {
    await connection.run(
      'CREATE TABLE responses (response_id VARCHAR, submitted_at TIMESTAMP, metric VARCHAR, score DOUBLE, account_id VARCHAR)',
    );
    for (const k of sizes) {
      floors.push(
        await timed('DuckDB: BEGIN, one INSERT from JSON, COMMIT', k, async () => {
          await connection.run('BEGIN TRANSACTION');
          await connection.run(
            `INSERT INTO responses SELECT response_id, CAST(submitted_at AS TIMESTAMP), metric, score, account_id
             FROM (SELECT unnest(from_json($1, '[{${COLUMNS}}]'), recursive := true))`,
            [JSON.stringify(answers(k))],
          );
          await connection.run('COMMIT');
        }),
      );
      floors.push(
        await timed('DuckDB: BEGIN, appender, COMMIT', k, async () => {
          await connection.run('BEGIN TRANSACTION');
          const appender = await connection.createAppender('responses');
          for (const a of answers(k)) {
            appender.appendVarchar(a.response_id);
            appender.appendVarchar(a.submitted_at);
            appender.appendVarchar(a.metric);
            appender.appendDouble(a.score);
            appender.appendVarchar(a.account_id);
            appender.endRow();
          }
          appender.closeSync();
          await connection.run('COMMIT');
        }),
      );
      const log = `${path}.log`;
      const fd = openSync(log, 'a');
      try {
        floors.push(
          await timed('append-only file, fdatasync', k, async () => {
            writeSync(fd, `${JSON.stringify(answers(k))}\n`);
            fdatasyncSync(fd);
          }),
        );
      } finally {
        closeSync(fd);
        rmSync(log, { force: true });
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
  }
  return floors;
}

async function timed(how: string, answers: number, write: () => Promise<void>): Promise<CommitFloor> {
  await write();
  const runs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const began = performance.now();
    await write();
    runs.push(performance.now() - began);
  }
  runs.sort((a, b) => a - b);
  return { how, answers, medianMs: median(runs), p90Ms: runs[Math.floor(runs.length * 0.9)]! };
}
