// Stores rows that arrive live (API requests grouped into one commit) with the checks of the CSV import.
// Each request stands or falls alone: a bad or conflicting request is left out and the others go on.
import type { InputIssue } from '../domain/errors.js';
import { type FileSpec, IMPORT_FILES } from '../domain/import-format.js';
import { storeCurrency } from '../kpi/store-facts.js';
import { type Store, sqlIdentifier, sqlString } from '../store/store.js';
import { type ColumnCheck, cell, notFarFutureCheck } from './column-sql.js';
import { dropHealthSnapshots } from './health-snapshots.js';
import { castColumnFor, newRowsTable } from './load-sql.js';
import { refreshMovements, refreshUsageRollups } from './rollups.js';
import { buildKnownAccounts, normaliseCells, rowIssues, type StagedSet } from './staged-checks.js';

/** A row as the API received it: the CSV columns of its file as text (null when absent). */
export interface LiveRow {
  cells: Record<string, string | null>;
  /** accounts only: extra attributes, like the extra columns of accounts.csv. */
  attributes?: Record<string, string | null>;
}

export interface LiveRequest {
  spec: FileSpec;
  rows: readonly LiveRow[];
}

/** A problem with one field of one row of a request (`index` into its rows). */
export interface RowIssue {
  index: number;
  column: string;
  value: string | null;
  rule: string;
  message: string;
}

export type LiveOutcome =
  | { status: 'stored'; accepted: number; duplicates: number }
  | { status: 'invalid' | 'conflict'; issues: RowIssue[] };

/** Event instants further ahead than this are refused from live sources (a clock or unit mistake). */
export const FUTURE_TOLERANCE_HOURS = 24;

interface Located {
  request: number;
  index: number;
}

/**
 * Validates and stores the rows of several requests in the caller's transaction, recognising redeliveries:
 * a row whose key is already stored (or earlier in the batch) with the same values is a duplicate, with
 * other values a conflict. Keys: the id column; mrr_changes by (account_id, effective_at); usage by event_id
 * when given; other files by the whole row.
 */
export async function storeLiveBatch(
  store: Store,
  requests: readonly LiveRequest[],
  now: Date,
): Promise<LiveOutcome[]> {
  const located = new Map<number, Located>();
  const sets = await stageRequests(store, requests, located);
  const outcomes: (LiveOutcome | undefined)[] = requests.map(() => undefined);
  const reject = async (status: 'invalid' | 'conflict', issues: InputIssue[]) => {
    const byRequest = new Map<number, RowIssue[]>();
    for (const issue of issues) {
      const at = located.get(issue.line)!;
      const list = byRequest.get(at.request) ?? [];
      list.push({
        index: at.index,
        column: issue.column,
        value: issue.value,
        rule: issue.rule,
        message: issue.message,
      });
      byRequest.set(at.request, list);
    }
    for (const [request, list] of byRequest) outcomes[request] = { status, issues: list };
    const lines = [...located].filter(([, at]) => byRequest.has(at.request)).map(([line]) => line);
    for (const set of sets) {
      await store.run(`DELETE FROM ${sqlIdentifier(set.staged)} WHERE line IN (${lines.join(', ')})`);
    }
  };
  // Leaving out one request can make another invalid (it named an account the first one created): repeat.
  for (;;) {
    const issues = await batchIssues(store, sets, now);
    if (issues.length > 0) {
      await reject('invalid', issues);
      continue;
    }
    const statuses = await classify(store, sets);
    const conflicts = statuses.filter((s) => s.status === 'conflict');
    if (conflicts.length === 0) {
      await loadNewRows(store, sets, requests);
      return outcomes.map((outcome, request) => outcome ?? countOf(statuses, located, request));
    }
    await reject(
      'conflict',
      conflicts.map((c) => ({
        file: c.file,
        line: c.line,
        column: c.column,
        value: null,
        rule: 'same_id_other_values',
        message: `a row with this ${c.column} is already stored with other values; the stored row stays`,
      })),
    );
  }
}

async function stageRequests(
  store: Store,
  requests: readonly LiveRequest[],
  located: Map<number, Located>,
): Promise<StagedSet[]> {
  const sets: StagedSet[] = [];
  let line = 2;
  for (const spec of IMPORT_FILES) {
    const rows: Record<string, string | number | null>[] = [];
    const attributes: { line: number; name: string; value: string | null }[] = [];
    requests.forEach((request, r) => {
      if (request.spec !== spec) return;
      request.rows.forEach((row, index) => {
        located.set(line, { request: r, index });
        rows.push({ line, ...row.cells });
        for (const [name, value] of Object.entries(row.attributes ?? {}))
          attributes.push({ line, name, value });
        line += 1;
      });
    });
    if (rows.length === 0) continue;
    const staged = `live_${spec.table}`;
    const shape = Object.fromEntries([['line', 'BIGINT'], ...spec.columns.map((c) => [c.name, 'VARCHAR'])]);
    await store.run(
      `CREATE OR REPLACE TEMP TABLE ${sqlIdentifier(staged)} AS
       SELECT unnest(from_json($1, ${sqlString(JSON.stringify([shape]))}), recursive := true)`,
      [JSON.stringify(rows)],
    );
    await normaliseCells(
      store,
      staged,
      spec.columns.map((c) => c.name),
    );
    if (spec.table === 'accounts') {
      await store.run(
        `CREATE OR REPLACE TEMP TABLE live_attributes AS
         SELECT unnest(from_json($1, '[{"line":"BIGINT","name":"VARCHAR","value":"VARCHAR"}]'), recursive := true)`,
        [JSON.stringify(attributes)],
      );
    }
    sets.push({ spec, staged });
  }
  return sets;
}

async function batchIssues(store: Store, sets: readonly StagedSet[], now: Date): Promise<InputIssue[]> {
  await buildKnownAccounts(store, sets, true);
  const currency = await establishedCurrency(store, sets);
  const issues: InputIssue[] = [];
  for (const set of sets) {
    const extra: ColumnCheck[] = set.spec.columns
      .filter((c) => c.type === 'instant' && !c.scheduled)
      .map((c) => notFarFutureCheck(c, now, FUTURE_TOLERANCE_HOURS));
    if (currency && set.spec.columns.some((c) => c.name === 'currency')) {
      extra.push({
        column: 'currency',
        rule: 'single_currency',
        message: `currency differs from ${currency}; a store holds one currency`,
        bad: `${cell('currency')} IS NOT NULL AND upper(${cell('currency')}) <> ${sqlString(currency)}`,
      });
    }
    issues.push(...(await rowIssues(store, set, 1_000_000, extra)));
  }
  return issues;
}

/** KPI-SPEC §2: the store's currency, or else the first one this batch names. */
async function establishedCurrency(store: Store, sets: readonly StagedSet[]): Promise<string | null> {
  const stored = await storeCurrency(store);
  const batch = sets
    .filter((s) => s.spec.columns.some((c) => c.name === 'currency'))
    .map(
      (s) =>
        `SELECT line, upper(currency) AS currency FROM ${sqlIdentifier(s.staged)} WHERE currency IS NOT NULL`,
    );
  if (stored || batch.length === 0) return stored;
  const rows = await store.query<{ currency: string }>(
    `SELECT currency FROM (${batch.join(' UNION ALL ')}) c ORDER BY line LIMIT 1`,
  );
  return rows[0]?.currency ?? null;
}

interface RowStatus {
  file: string;
  line: number;
  column: string;
  status: 'new' | 'duplicate' | 'conflict';
}

/** The key that recognises a redelivered row, as SQL over the row alias `a`. */
function keyOf(spec: FileSpec, a: string): { sql: string; column: string } {
  const columns = spec.columns.map((c) => `${a}.${sqlIdentifier(c.name)}`);
  const wholeRow = `CAST(ROW(${columns.join(', ')}) AS VARCHAR)`;
  if (spec.key.kind === 'id')
    return { sql: `${a}.${sqlIdentifier(spec.key.column)}`, column: spec.key.column };
  if (spec.key.kind === 'mrr') {
    return { sql: `${a}.account_id || '|' || CAST(${a}.effective_at AS VARCHAR)`, column: 'effective_at' };
  }
  if (spec.columns.some((c) => c.name === 'event_id')) {
    return { sql: `COALESCE('e:' || ${a}.event_id, 'r:' || ${wholeRow})`, column: 'event_id' };
  }
  return { sql: wholeRow, column: spec.columns[0]!.name };
}

/** Stored rows that could share a key with the batch, found by a cheap column first (never a full key scan). */
function candidateFilter(spec: FileSpec, a: string): string {
  if (spec.key.kind === 'id') {
    const id = sqlIdentifier(spec.key.column);
    return `${a}.${id} IN (SELECT ${id} FROM live_cast)`;
  }
  const at = sqlIdentifier(spec.columns.find((c) => c.type === 'instant')!.name);
  const byTime = `${a}.${at} IN (SELECT ${at} FROM live_cast)`;
  return spec.columns.some((c) => c.name === 'event_id')
    ? `(${byTime} OR ${a}.event_id IN (SELECT event_id FROM live_cast))`
    : byTime;
}

async function classify(store: Store, sets: readonly StagedSet[]): Promise<RowStatus[]> {
  const statuses: RowStatus[] = [];
  for (const set of sets) {
    const { spec } = set;
    const casts = spec.columns.map((c) => `${castColumnFor(spec, c.name)} AS ${sqlIdentifier(c.name)}`);
    await store.run(
      `CREATE OR REPLACE TEMP TABLE live_cast AS SELECT s.line, ${casts.join(', ')} FROM ${sqlIdentifier(set.staged)} s`,
    );
    const key = keyOf(spec, 'x');
    const same = (a: string, b: string) =>
      spec.columns
        .map((c) => `${a}.${sqlIdentifier(c.name)} IS NOT DISTINCT FROM ${b}.${sqlIdentifier(c.name)}`)
        .join(' AND ');
    await store.run(`CREATE OR REPLACE TEMP TABLE live_status AS
      WITH b AS (SELECT x.*, ${key.sql} AS k, row_number() OVER (PARTITION BY ${key.sql} ORDER BY x.line) AS occ
                 FROM live_cast x),
      stored AS (SELECT * FROM (SELECT x.*, ${key.sql} AS k FROM ${sqlIdentifier(spec.table)} x
                                WHERE ${candidateFilter(spec, 'x')}) c
                 WHERE c.k IN (SELECT k FROM b) QUALIFY row_number() OVER (PARTITION BY c.k) = 1)
      SELECT b.line,
        CASE WHEN st.k IS NOT NULL THEN CASE WHEN ${same('b', 'st')} THEN 'duplicate' ELSE 'conflict' END
             WHEN b.occ > 1 THEN CASE WHEN ${same('b', 'f')} THEN 'duplicate' ELSE 'conflict' END
             ELSE 'new' END AS status
      FROM b LEFT JOIN stored st ON st.k = b.k LEFT JOIN b f ON f.k = b.k AND f.occ = 1`);
    await store.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdentifier(`${set.staged}_new`)} AS
      SELECT c.* FROM live_cast c JOIN live_status s ON s.line = c.line WHERE s.status = 'new'`);
    const rows = await store.query<{ line: number; status: RowStatus['status'] }>(
      'SELECT line, status FROM live_status',
    );
    for (const row of rows) {
      statuses.push({ file: spec.file, line: Number(row.line), column: key.column, status: row.status });
    }
  }
  return statuses;
}

async function loadNewRows(store: Store, sets: readonly StagedSet[], requests: readonly LiveRequest[]) {
  for (const { spec, staged } of sets) {
    const names = spec.columns.map((c) => sqlIdentifier(c.name)).join(', ');
    const fresh = sqlIdentifier(`${staged}_new`);
    await store.run(`INSERT INTO ${sqlIdentifier(spec.table)} (${names}) SELECT ${names} FROM ${fresh}`);
    if (spec.table === 'accounts') {
      await store.run(`INSERT INTO account_attributes (account_id, name, value)
        SELECT n.account_id, a.name, a.value FROM live_attributes a JOIN ${fresh} n ON n.line = a.line
        WHERE a.value IS NOT NULL`);
    }
    if (spec.table === 'mrr_changes') await refreshMovements(store, fresh);
    if (spec.table === 'usage_events') {
      await store.run(
        `CREATE OR REPLACE TEMP TABLE ${sqlIdentifier(newRowsTable(spec))} AS SELECT * FROM ${fresh}`,
      );
      await refreshUsageRollups(store, sqlIdentifier(newRowsTable(spec)));
    }
  }
  // The monthly health snapshots no longer match the facts: reports compute health live until they are redone.
  if (requests.length > 0) await dropHealthSnapshots(store);
}

function countOf(
  statuses: readonly RowStatus[],
  located: Map<number, Located>,
  request: number,
): LiveOutcome {
  let accepted = 0;
  let duplicates = 0;
  for (const s of statuses) {
    if (located.get(s.line)?.request !== request) continue;
    if (s.status === 'new') accepted += 1;
    else duplicates += 1;
  }
  return { status: 'stored', accepted, duplicates };
}
