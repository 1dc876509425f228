// The checks of KPI-SPEC §2 over staged rows (text cells in a temporary table with a `line` column), shared by
// the CSV folder import and the live API: both stage rows first, so both apply exactly the same rules.
import type { InputIssue } from '../domain/errors.js';
import type { FileSpec } from '../domain/import-format.js';
import { storeCurrency } from '../kpi/store-facts.js';
import { type Store, sqlIdentifier } from '../store/store.js';
import { type ColumnCheck, cell } from './column-sql.js';
import { fileChecks } from './file-checks.js';

/** Rows of one import file staged in a temporary table. */
export interface StagedSet {
  spec: FileSpec;
  staged: string;
}

/**
 * Blank cells become NULL and padded ones are trimmed, in one pass over the few rows that need it, so that
 * every check and cast after it reads the plain cell.
 */
export async function normaliseCells(store: Store, table: string, columns: readonly string[]): Promise<void> {
  const names = columns.map(sqlIdentifier);
  const untidy = names.map((c) => `${c} = '' OR ${c} LIKE ' %' OR ${c} LIKE '% '`).join(' OR ');
  await store.run(
    `UPDATE ${sqlIdentifier(table)} SET ${names.map((c) => `${c} = NULLIF(TRIM(${c}), '')`).join(', ')} WHERE ${untidy}`,
  );
}

/**
 * The ids `known_accounts` holds for the account checks: the stored accounts (all of them, or only those the
 * staged rows name when `referencedOnly`, cheaper for small batches) and the staged accounts.
 */
export async function buildKnownAccounts(
  store: Store,
  sets: readonly StagedSet[],
  referencedOnly: boolean,
): Promise<void> {
  const accounts = sets.find((f) => f.spec.table === 'accounts');
  const references = sets.flatMap((f) =>
    f.spec.columns
      .filter((c) => c.accountRef)
      .map((c) => `SELECT ${cell(c.name)} AS account_id FROM ${sqlIdentifier(f.staged)} s`),
  );
  const stored =
    referencedOnly && references.length > 0
      ? `SELECT account_id FROM accounts WHERE account_id IN (${references.join(' UNION ')})`
      : referencedOnly
        ? 'SELECT account_id FROM accounts WHERE false'
        : 'SELECT account_id FROM accounts';
  await store.run(`CREATE OR REPLACE TEMP TABLE known_accounts AS ${stored}
    ${accounts ? `UNION SELECT ${cell('account_id')} FROM ${sqlIdentifier(accounts.staged)} s` : ''}`);
}

/** Up to `limit` issues of one staged set, by line; `extra` adds checks beyond KPI-SPEC §2. */
export async function rowIssues(
  store: Store,
  file: StagedSet,
  limit: number,
  extra: readonly ColumnCheck[] = [],
): Promise<InputIssue[]> {
  const checks = [...fileChecks(file.spec), ...extra];
  if (checks.length === 0) return [];
  const account = file.spec.columns.find((c) => c.accountRef);
  const join = account
    ? `LEFT JOIN known_accounts k ON k.account_id = ${cell(account.name)}`
    : 'LEFT JOIN (SELECT NULL AS account_id) k ON false';
  const flags = checks.map((c, i) => `(${c.bad}) AS bad_${i}, s.${sqlIdentifier(c.column)} AS value_${i}`);
  const rows = await store.query(
    `SELECT s.line, ${flags.join(', ')} FROM ${sqlIdentifier(file.staged)} s ${join}
     WHERE ${checks.map((c) => `(${c.bad})`).join(' OR ')} ORDER BY s.line LIMIT ${limit}`,
  );
  return rows
    .flatMap((row) =>
      checks.flatMap((check, i) =>
        row[`bad_${i}`] === true
          ? [
              {
                file: file.spec.file,
                line: Number(row.line),
                column: check.column,
                value: (row[`value_${i}`] as string | null) ?? null,
                rule: check.rule,
                message: check.message,
              },
            ]
          : [],
      ),
    )
    .slice(0, limit);
}

/** KPI-SPEC §2: one currency per store (exchange rates are not supported yet). */
export async function currencyIssues(store: Store, present: readonly StagedSet[]): Promise<InputIssue[]> {
  let established = await storeCurrency(store);
  const issues: InputIssue[] = [];
  for (const file of present.filter((f) => f.spec.columns.some((c) => c.name === 'currency'))) {
    // Each currency of the file once, at its first line.
    const rows = await store.query<{ line: number; currency: string }>(
      `SELECT MIN(line) AS line, upper(${cell('currency')}) AS currency FROM ${sqlIdentifier(file.staged)} s
       WHERE ${cell('currency')} IS NOT NULL GROUP BY upper(${cell('currency')}) ORDER BY line`,
    );
    // The first currency ever seen (stored, else this import's first) is the one every other row must match.
    established ??= rows[0]?.currency ?? null;
    const first = rows.find((r) => r.currency !== established);
    if (first) {
      issues.push({
        file: file.spec.file,
        line: Number(first.line),
        column: 'currency',
        value: first.currency,
        rule: 'single_currency',
        message: `currency ${first.currency} differs from ${established}; a store holds one currency`,
      });
    }
  }
  return issues;
}
