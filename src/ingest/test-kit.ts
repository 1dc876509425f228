// Test helpers of the import: throwaway CSV folders, the issues of a rejected import, a whole-store snapshot.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { FidelioError, type InputIssue } from '../domain/errors.js';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { type Row, type Store, sqlIdentifier } from '../store/store.js';
import { type ImportSummary, importFolder } from './csv-import.js';

/** An import folder as data: file name → contents (a string is written as UTF-8). */
export type CsvFiles = Record<string, string | Uint8Array>;

const folders: string[] = [];

/**
 * Writes `files` into a new folder under the OS temp dir; removeCsvFolders() deletes every such folder.
 * @example const dir = await csvFolder({ 'accounts.csv': 'account_id,created_at\nA,2025-01-01\n' });
 */
export async function csvFolder(files: CsvFiles): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fidelio-import-'));
  folders.push(dir);
  for (const [name, contents] of Object.entries(files)) await writeFile(join(dir, name), contents);
  return dir;
}

export async function removeCsvFolders(): Promise<void> {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function importFiles(store: Store, files: CsvFiles): Promise<ImportSummary> {
  return importFolder(store, await csvFolder(files));
}

/** An issue without its prose, for exact comparisons. */
export type IssueFacts = Omit<InputIssue, 'message'>;

/** The issues of an import that must be rejected as invalid input; throws when it is not. */
export async function rejectedIssues(store: Store, files: CsvFiles): Promise<IssueFacts[]> {
  try {
    await importFiles(store, files);
  } catch (error) {
    if (!(error instanceof FidelioError) || error.kind !== 'invalid_input') throw error;
    return error.issues.map(({ message: _, ...facts }) => facts);
  }
  throw new Error('the import was expected to be rejected, and it succeeded');
}

/** Every row of every table of the store, sorted, to compare a store before and after an import. */
export async function storeContents(store: Store): Promise<Record<string, Row[]>> {
  const tables = await store.query<{ name: string }>(
    'SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary AND schema_name = current_schema() ORDER BY table_name',
  );
  const contents: Record<string, Row[]> = {};
  for (const { name } of tables) {
    contents[name] = await store.query(`SELECT * FROM ${sqlIdentifier(name)} ORDER BY ALL`);
  }
  return contents;
}

/** A small valid import touching every file and table; tests import it first, then something bad. */
export const BASE_FILES: CsvFiles = {
  'accounts.csv':
    'account_id,created_at,name,segment,plan\nA,2025-01-01,Alpha,smb,gold\nB,2025-01-15T09:30:00Z,Beta,enterprise,\n',
  'mrr_changes.csv':
    'account_id,effective_at,mrr,currency,event_id\nA,2025-01-01,100,EUR,e1\nB,2025-02-01,250,EUR,\n',
  'cancellations.csv': 'account_id,requested_at,ends_at\nA,2025-03-01,2025-04-01\n',
  'payments.csv': 'payment_id,account_id,paid_at,amount,kind,currency\np1,A,2025-01-01,100,recurring,EUR\n',
  'costs.csv': 'account_id,incurred_at,amount,kind\nA,2025-01-01,40,acquisition\n,2025-01-31,500,service\n',
  'renewals.csv': 'account_id,due_at,outcome\nB,2026-02-01,pending\n',
  'responses.csv':
    'response_id,submitted_at,metric,score,account_id,scale\nr1,2025-02-01,nps,9,A,\nr2,2025-02-02,ces,2,,5\n',
  'tickets.csv':
    'ticket_id,opened_at,account_id,resolved_at,contacts,channel,abandoned\nt1,2025-02-01T10:00:00Z,A,2025-02-01T12:00:00Z,2,email,no\n',
  'usage.csv':
    'account_id,occurred_at,event,user_id\nA,2025-01-02T10:00:00Z,login,u1\nB,2025-01-16,report,\n',
};

/** A valid accounts.csv beside every bad file: the rejection must not write it either. */
export const NEW_ACCOUNT = { 'accounts.csv': 'account_id,created_at\nN,2025-03-01\n' };

/**
 * A fresh store holding BASE_FILES for each test, and `rejected(files)`: the issues of importing `files`
 * (plus a new account) after checking that the rejected import left the store exactly as it was.
 */
export function baseStoreForEachTest() {
  let store: DuckDbStore;
  let base: Record<string, Row[]>;
  beforeEach(async () => {
    store = await openDuckDbStore(':memory:');
    await importFiles(store, BASE_FILES);
    base = await storeContents(store);
  });
  afterEach(() => store.close());
  afterAll(removeCsvFolders);
  return {
    store: () => store,
    rejected: async (files: CsvFiles) => {
      const issues = await rejectedIssues(store, { ...NEW_ACCOUNT, ...files });
      expect(await storeContents(store)).toEqual(base);
      return issues;
    },
  };
}
