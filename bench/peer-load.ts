// Child process: the floor under any CSV import on this machine, DuckDB loading every file with no checks.
// Usage: node dist/bench/peer-load.js CSV_DIR STORE; prints {seconds, rows} as JSON.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const [csvDir, store] = process.argv.slice(2);
if (!csvDir || !store) throw new Error('usage: peer-load CSV_DIR STORE');

const instance = await DuckDBInstance.create(store);
const connection = await instance.connect();
const began = performance.now();
let rows = 0;
for (const file of (await readdir(csvDir)).filter((f) => f.endsWith('.csv'))) {
  // Typed columns by DuckDB's own sniffing: parsing and storing, but no validation, keys or rollups.
  const path = join(csvDir, file).replaceAll("'", "''");
  await connection.run(
    `CREATE TABLE "${file.replace('.csv', '')}" AS SELECT * FROM read_csv('${path}', header = true)`,
  );
  const count = await connection.runAndReadAll(`SELECT count(*) FROM "${file.replace('.csv', '')}"`);
  rows += Number(count.getRows()[0]?.[0] ?? 0);
}
await connection.run('CHECKPOINT');
const seconds = (performance.now() - began) / 1000;
connection.closeSync();
instance.closeSync();
process.stdout.write(JSON.stringify({ seconds, rows }));
