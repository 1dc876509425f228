// Child process: runs bench/peers/report-plain.sql on a store's raw tables, a warm-up then N timed runs.
// Usage: node dist/bench/peer-sql.js STORE FROM TO REPEAT OUT; writes {runs_s, peak_rss_mb, rows} to OUT.
import { readFile, writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { PLAIN_SQL } from './paths.js';
import { peakRssMb } from './proc.js';

const [store, from, to, repeat, out] = process.argv.slice(2);
if (!store || !from || !to || !repeat || !out) throw new Error('usage: peer-sql STORE FROM TO REPEAT OUT');

const instance = await DuckDBInstance.create(store, { access_mode: 'READ_ONLY' });
const connection = await instance.connect();
await connection.run("SET TimeZone = 'UTC'");
await connection.run(`SET VARIABLE report_from = CAST('${from}' AS TIMESTAMP)`);
await connection.run(`SET VARIABLE report_to = CAST('${to}' AS TIMESTAMP)`);
const sql = await readFile(PLAIN_SQL, 'utf8');

const report = async () => (await connection.runAndReadAll(sql)).getRowObjectsJson();
let rows = await report(); // warm-up
const runs: number[] = [];
for (let i = 0; i < Number(repeat); i++) {
  const began = performance.now();
  rows = await report();
  runs.push((performance.now() - began) / 1000);
}
connection.closeSync();
instance.closeSync();
await writeFile(
  out,
  JSON.stringify({ runs_s: runs, peak_rss_mb: await peakRssMb(), rows: rows.map(toReportRow) }),
);

/** The SQL's flat columns in the shape of a KPI-SPEC §6 report row. */
function toReportRow(row: Record<string, unknown>) {
  const { start, end, segment, ...kpis } = row;
  const instant = (v: unknown) => new Date(`${String(v).replace(' ', 'T')}Z`).toISOString();
  const value = (v: unknown) => (v === null ? null : Number(v));
  return {
    start: instant(start),
    end: instant(end),
    segment: segment ?? null,
    kpis: Object.fromEntries(Object.entries(kpis).map(([k, v]) => [k, value(v)])),
  };
}
