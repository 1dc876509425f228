// MRR_a(t) of KPI-SPEC §3 in SQL: each account's MRR at an instant is the new MRR of its latest change with
// effective_at < t. One definition for the drill-downs and the insight queries that need MRR at an instant.

/** `SELECT account_id, mrr` at `instant` (an SQL expression); `activeOnly` keeps accounts with MRR > 0. */
export function mrrAtSelect(instant: string, { activeOnly = false } = {}): string {
  return `SELECT account_id, new_mrr AS mrr FROM mrr_movements
    WHERE effective_at < ${instant} AND (next_at IS NULL OR next_at >= ${instant})${activeOnly ? ' AND new_mrr > 0' : ''}`;
}

/** The same as a common table expression `name(account_id, mrr)`. */
export function mrrAtCte(name: string, instant: string, options: { activeOnly?: boolean } = {}): string {
  return `${name}(account_id, mrr) AS (${mrrAtSelect(instant, options)})`;
}
