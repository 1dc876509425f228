// Imports a folder of CSV files (KPI-SPEC §2) in one transaction: stage, validate everything, then load.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FidelioError, type InputIssue } from '../domain/errors.js';
import { type FileSpec, IMPORT_FILES } from '../domain/import-format.js';
import { type Store, sqlIdentifier } from '../store/store.js';
import { cell } from './column-sql.js';
import { headerIssues, readHeader } from './csv-header.js';
import { refreshHealthSnapshots } from './health-snapshots.js';
import { countRows, type LoadCounts, loadStagedRows, newRowsTable } from './load-sql.js';
import { recordLines } from './record-lines.js';
import { refreshMovements, refreshUsageRollups } from './rollups.js';
import { buildKnownAccounts, currencyIssues, normaliseCells, rowIssues } from './staged-checks.js';

/** At most this many issues are reported together (the total is still counted). */
export const MAX_REPORTED_ISSUES = 50;

export interface FileSummary extends LoadCounts {
  file: string;
  rows: number;
}

export interface ImportSummary {
  files: FileSummary[];
  /** Files in the folder that are not part of the import format and were not read. */
  ignored: string[];
}

export type ImportPhase = 'reading' | 'validating' | 'loading' | 'rollups' | 'done';
export interface ImportProgress {
  phase: ImportPhase;
  file?: string;
  bytesDone: number;
  bytesTotal: number;
}

export interface ImportOptions {
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

interface PresentFile {
  spec: FileSpec;
  path: string;
  bytes: number;
  header: string[];
  staged: string;
  rows: number;
}

/**
 * Imports every known CSV file of `dir`. Throws FidelioError('invalid_input') with up to 50 issues when
 * anything is wrong, and then the store is exactly as before.
 * @example await importFolder(store, './export');
 */
export async function importFolder(
  store: Store,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const { files, unknown, ignored } = await listFolder(dir);
  const progress = progressReporter(files, options.onProgress);
  const issues: InputIssue[] = unknown.map((file) => ({
    file,
    line: 0,
    column: '-',
    value: file,
    rule: 'unknown_file',
    message: `unknown file ${file}; an import folder holds ${IMPORT_FILES.map((f) => f.file).join(', ')}`,
  }));
  return store.transaction(async () => {
    const present: PresentFile[] = [];
    for (const file of files) {
      const header = await readHeader(file.path);
      const headerProblems = headerIssues(file.spec, header);
      issues.push(...headerProblems);
      if (headerProblems.length > 0) continue;
      progress('reading', file);
      const staged = await stageFile(store, file.spec, file.path, header, issues);
      present.push({ ...file, header, staged: staged.table, rows: staged.rows });
    }
    progress('validating');
    issues.push(...(await validate(store, present)));
    if (issues.length > 0) throw invalidImport(issues);

    const summaries: FileSummary[] = [];
    for (const file of present) {
      progress('loading', file);
      const counts = await loadStagedRows(store, file.spec, file.staged, file.rows);
      if (file.spec.table === 'accounts') await loadAttributes(store, file);
      summaries.push({ file: file.spec.file, rows: file.rows, ...counts });
    }
    progress('rollups');
    await refreshRollups(store, present);
    await refreshHealthSnapshots(store);
    progress('done');
    return { files: summaries, ignored };
  });
}

async function listFolder(dir: string) {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    throw new FidelioError('usage', 'folder_unreadable', `cannot read the import folder ${dir}`);
  }
  const files: { spec: FileSpec; path: string; bytes: number }[] = [];
  for (const spec of IMPORT_FILES) {
    if (!names.includes(spec.file)) continue;
    const path = join(dir, spec.file);
    files.push({ spec, path, bytes: (await stat(path)).size });
  }
  const known = new Set(IMPORT_FILES.map((f) => f.file));
  const others = names.filter((n) => !known.has(n) && !n.startsWith('.'));
  const unknown = others.filter((n) => n.toLowerCase().endsWith('.csv'));
  if (files.length === 0 && unknown.length === 0) {
    throw new FidelioError(
      'usage',
      'nothing_to_import',
      `${dir} holds none of the import files (${IMPORT_FILES.map((f) => f.file).join(', ')})`,
    );
  }
  return { files, unknown, ignored: others.filter((n) => !unknown.includes(n)) };
}

function progressReporter(files: { bytes: number }[], onProgress: ImportOptions['onProgress']) {
  const bytesTotal = files.reduce((sum, f) => sum + f.bytes, 0);
  let bytesDone = 0;
  return (phase: ImportPhase, file?: { spec: FileSpec; bytes: number }) => {
    onProgress?.({ phase, ...(file ? { file: file.spec.file } : {}), bytesDone, bytesTotal });
    // A file's bytes count as done from the next event on, once it has been read.
    if (phase === 'reading' && file) bytesDone += file.bytes;
  };
}

async function stageFile(
  store: Store,
  spec: FileSpec,
  path: string,
  header: string[],
  earlier: readonly InputIssue[],
) {
  let staged: Awaited<ReturnType<Store['stageCsv']>>;
  try {
    staged = await store.stageCsv(path, header, `staged_${spec.table}`);
  } catch (error) {
    // The failed read aborts DuckDB's transaction, so later files go unchecked; report what was found so far.
    throw invalidImport([...earlier, csvSyntaxIssue(spec.file, error)]);
  }
  // Optional columns the file leaves out read as blank, so every later query can name every column.
  for (const column of spec.columns.filter((c) => !header.includes(c.name))) {
    await store.run(
      `ALTER TABLE ${sqlIdentifier(staged.table)} ADD COLUMN ${sqlIdentifier(column.name)} VARCHAR`,
    );
  }
  await normaliseCells(store, staged.table, header);
  return staged;
}

/** DuckDB's CSV reader stops at the first malformed line; turn its message into an issue naming that line. */
function csvSyntaxIssue(file: string, error: unknown): InputIssue {
  const text = error instanceof Error ? error.message : String(error);
  const line = /line:?\s*(\d+)/i.exec(text);
  const unicode = /unicode|utf-?8/i.test(text);
  return {
    file,
    line: line ? Number(line[1]) : 0,
    column: '-',
    value: null,
    rule: unicode ? 'utf8' : 'csv_syntax',
    message: unicode
      ? 'the file is not valid UTF-8'
      : `the line is not valid CSV for this header (${
          text
            .split('\n')
            .find((l) => /expected|found|quote/i.test(l))
            ?.trim() ?? text.split('\n')[0]
        })`,
  };
}

async function validate(store: Store, present: PresentFile[]): Promise<InputIssue[]> {
  await buildKnownAccounts(store, present, false);
  const issues: InputIssue[] = [];
  for (const file of present) {
    // One issue past the limit tells the message that there are more than it shows.
    if (issues.length > MAX_REPORTED_ISSUES) break;
    issues.push(...(await rowIssues(store, file, MAX_REPORTED_ISSUES + 1 - issues.length)));
  }
  issues.push(...(await currencyIssues(store, present)));
  return fileLines(issues, present);
}

/** Staged rows are numbered by record; issues name the line the record starts on in the file. */
async function fileLines(issues: InputIssue[], present: PresentFile[]): Promise<InputIssue[]> {
  for (const file of present) {
    const own = issues.filter((i) => i.file === file.spec.file && i.line > 1);
    if (own.length === 0) continue;
    const lines = await recordLines(
      file.path,
      own.map((i) => i.line - 1),
    );
    for (const issue of own) issue.line = lines.get(issue.line - 1) ?? issue.line;
  }
  return issues;
}

function invalidImport(issues: InputIssue[]): FidelioError {
  const shown = issues.slice(0, MAX_REPORTED_ISSUES);
  const found =
    issues.length > shown.length
      ? `more than ${shown.length} problems found (showing the first ${shown.length})`
      : `${shown.length} problem${shown.length === 1 ? '' : 's'} found`;
  return new FidelioError(
    'invalid_input',
    'invalid_import',
    `the import was rejected: ${found}; nothing was written`,
    shown,
  );
}

/** Extra accounts.csv columns become attributes of the accounts this import added. */
async function loadAttributes(store: Store, file: PresentFile): Promise<void> {
  const known = new Set(file.spec.columns.map((c) => c.name));
  for (const name of file.header.filter((h) => !known.has(h))) {
    await store.run(
      `INSERT INTO account_attributes (account_id, name, value)
       SELECT ${cell('account_id')}, $1, ${cell(name)}
       FROM (SELECT *, row_number() OVER (PARTITION BY account_id ORDER BY line) AS occurrence
             FROM ${sqlIdentifier(file.staged)}) s
       WHERE s.occurrence = 1 AND ${cell(name)} IS NOT NULL
         AND ${cell('account_id')} IN (SELECT account_id FROM new_accounts)`,
      [name],
    );
  }
}

async function refreshRollups(store: Store, present: PresentFile[]): Promise<void> {
  const loaded = new Set(present.map((f) => f.spec.table));
  const mrr = IMPORT_FILES.find((f) => f.table === 'mrr_changes')!;
  const usage = IMPORT_FILES.find((f) => f.table === 'usage_events')!;
  if (loaded.has('mrr_changes') && (await countRows(store, newRowsTable(mrr))) > 0) {
    await refreshMovements(store, newRowsTable(mrr));
  }
  if (loaded.has('usage_events')) await refreshUsageRollups(store, newRowsTable(usage));
}
