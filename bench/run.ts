// `npm run bench`: Fidelio's import and report against plain-SQL and pandas peers on demo data of 10k–1M accounts.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { compareReports, describeComparison, type ReportRow } from './cross-check.js';
import { ensureDataset } from './dataset.js';
import { benchImport, benchReportCli, benchReportInProcess, profileFidelio } from './fidelio.js';
import { progress } from './log.js';
import { describeMachine } from './machine.js';
import { type BenchOptions, readOptions } from './options.js';
import { RESULTS_DIR } from './paths.js';
import { benchBareLoad, benchPandas, benchPlainSql } from './peers.js';
import { describeProfile } from './profile-summary.js';
import { latestResults } from './saved-results.js';
import { resultsTable, type SizeResult, speedups } from './summary.js';

const options = parseOptionsOrExit();
if (options.summarize) {
  process.stdout.write(`${resultsTable(await latestResults())}\n`);
  process.exit(0);
}
const machine = describeMachine();
progress(
  `${machine.cores} cores, ${machine.memoryMb} MB, node ${machine.node}; memory: ${machine.memoryMethod}`,
);
if (machine.pandas === null)
  process.stdout.write('pandas baseline skipped: apt-get install python3-pandas\n');

const results: SizeResult[] = [];
for (const accounts of options.sizes) results.push(await benchSize(accounts, options));
process.stdout.write(`\n${resultsTable(results)}\n`);

async function benchSize(accounts: number, options: BenchOptions): Promise<SizeResult> {
  const dataset = await ensureDataset(accounts, options);
  const loadBefore = loadavg();
  const { store, ...imported } = await benchImport(dataset);
  const bareLoad = await benchBareLoad(dataset);
  const cli = await benchReportCli(dataset, store, options);
  const inProcess = await benchReportInProcess(dataset, store, options);
  const { rows: sqlRows, ...plainSql } = await benchPlainSql(dataset, store, options);
  const pandasRun = machine.pandas === null ? null : await benchPandas(dataset, options);
  const loadAfter = loadavg();
  const profile = options.profile ? await profileFidelio(dataset, options) : null;

  const fidelioRows = (JSON.parse(await readFile(cli.reportFile, 'utf8')) as { rows: ReportRow[] }).rows;
  const crossCheck = [compareReports('fidelio', fidelioRows, 'plain-sql', sqlRows)];
  if (pandasRun) {
    crossCheck.push(compareReports('fidelio', fidelioRows, 'pandas', pandasRun.rows));
    crossCheck.push(compareReports('plain-sql', sqlRows, 'pandas', pandasRun.rows));
  }
  process.stdout.write(`\n${accounts.toLocaleString('en-US')} accounts, cross-check:\n`);
  for (const comparison of crossCheck) process.stdout.write(`${describeComparison(comparison).join('\n')}\n`);
  if (profile) process.stdout.write(`profile:\n${describeProfile(profile).join('\n')}\n`);

  const { rows: _rows, ...pandas } = pandasRun ?? { rows: [], skipped: 'python3-pandas is not installed' };
  const partial = {
    date: new Date().toISOString(),
    machine,
    loadAverage: { before: loadBefore, after: loadAfter },
    dataset: {
      accounts,
      seed: dataset.seed,
      rows: dataset.rows,
      totalRows: dataset.totalRows,
      bytes: dataset.bytes,
    },
    window: { from: options.from, to: options.to, period: 'month', segmentBy: 'segment' } as const,
    import: imported,
    bareLoad,
    report: { cli: cli.timing, inProcess },
    plainSql,
    pandas,
    crossCheck,
    profile,
  };
  const result: SizeResult = { ...partial, speedups: speedups(partial) };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${result.date.slice(0, 10)}-${accounts}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  progress(`saved ${file}`);
  return result;
}

function parseOptionsOrExit(): BenchOptions {
  try {
    return readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
