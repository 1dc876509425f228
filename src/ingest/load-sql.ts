// Moves validated staged rows into their table, recognising rows already stored (KPI-SPEC §2 keys).
import { DEFAULT_CES_SCALE, type FileSpec } from '../domain/import-format.js';
import { type Store, sqlIdentifier } from '../store/store.js';
import { castColumn, cell } from './column-sql.js';

export interface LoadCounts {
  added: number;
  replaced: number;
  skipped: number;
}

/** The new rows of a load sit in this temporary table afterwards, for the rollups to read. */
export const newRowsTable = (spec: FileSpec) => `new_${spec.table}`;

export async function loadStagedRows(
  store: Store,
  spec: FileSpec,
  staged: string,
  stagedRows: number,
): Promise<LoadCounts> {
  const table = sqlIdentifier(spec.table);
  const fresh = sqlIdentifier(newRowsTable(spec));
  const names = spec.columns.map((c) => sqlIdentifier(c.name)).join(', ');
  const casts = spec.columns
    .map((c) => `${castColumnFor(spec, c.name)} AS ${sqlIdentifier(c.name)}`)
    .join(', ');
  const from = `FROM ${sqlIdentifier(staged)} s`;
  let replaced = 0;
  switch (spec.key.kind) {
    case 'id': {
      const id = sqlIdentifier(spec.key.column);
      // First occurrence in the file wins, and a stored row with the same id wins over the file.
      await store.run(`CREATE OR REPLACE TEMP TABLE ${fresh} AS
        SELECT ${casts} FROM (SELECT *, row_number() OVER (PARTITION BY ${id} ORDER BY line) AS occurrence
                              FROM ${sqlIdentifier(staged)}) s
        WHERE s.occurrence = 1 AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.${id} = ${cell(spec.key.column)})`);
      break;
    }
    case 'row': {
      // Set semantics: repeated rows of the file collapse, and rows already stored drop out.
      const stored = (await countRows(store, spec.table)) > 0 ? `EXCEPT SELECT ${names} FROM ${table}` : '';
      await store.run(`CREATE OR REPLACE TEMP TABLE ${fresh} AS
        SELECT DISTINCT ${casts} ${from} ${stored}`);
      break;
    }
    case 'mrr':
      replaced = await loadMrrChanges(store, staged, casts, names);
      break;
  }
  await store.run(`INSERT INTO ${table} (${names}) SELECT ${names} FROM ${fresh}`);
  const added = await countRows(store, newRowsTable(spec));
  return { added: added - replaced, replaced, skipped: stagedRows - added };
}

/** The cast of one staged column to its stored type, with the defaults of KPI-SPEC §2. */
export function castColumnFor(spec: FileSpec, name: string): string {
  const column = spec.columns.find((c) => c.name === name)!;
  if (spec.table === 'responses' && name === 'scale') {
    // KPI-SPEC §2: the scale matters for ces only, where blank means 7.
    return `CASE WHEN lower(${cell('metric')}) = 'ces' THEN COALESCE(${castColumn(column)}, ${DEFAULT_CES_SCALE}) END`;
  }
  return castColumn(column);
}

/** mrr_changes: a known event_id is a duplicate; one row per (account, effective_at), the later line winning. */
async function loadMrrChanges(store: Store, staged: string, casts: string, names: string): Promise<number> {
  await store.run(`CREATE OR REPLACE TEMP TABLE mrr_candidates AS
    SELECT ${casts}, s.line FROM (
      SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY line) AS occurrence FROM ${sqlIdentifier(staged)}
    ) s
    WHERE ${cell('event_id')} IS NULL
       OR (s.occurrence = 1 AND NOT EXISTS (SELECT 1 FROM mrr_changes m WHERE m.event_id = ${cell('event_id')}))`);
  await store.run(`CREATE OR REPLACE TEMP TABLE new_mrr_changes AS
    SELECT ${names} FROM (
      SELECT *, row_number() OVER (PARTITION BY account_id, effective_at ORDER BY line DESC) AS recency FROM mrr_candidates
    ) c WHERE c.recency = 1
    EXCEPT SELECT ${names} FROM mrr_changes`);
  const replaced = await store.query<{ n: number }>(`SELECT count(*) AS n FROM mrr_changes m
    WHERE EXISTS (SELECT 1 FROM new_mrr_changes n WHERE n.account_id = m.account_id AND n.effective_at = m.effective_at)`);
  await store.run(`DELETE FROM mrr_changes m
    WHERE EXISTS (SELECT 1 FROM new_mrr_changes n WHERE n.account_id = m.account_id AND n.effective_at = m.effective_at)`);
  return Number(replaced[0]?.n ?? 0);
}

export async function countRows(store: Store, table: string): Promise<number> {
  const rows = await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${sqlIdentifier(table)}`);
  return Number(rows[0]?.n ?? 0);
}
