// Keeps the report's rollups current after an import, touching only the accounts the import changed.
import type { Store } from '../store/store.js';

/**
 * Recomputes the MRR movements (KPI-SPEC §3) of every account with a new or replaced MRR change.
 * `was_active`: some earlier change left the account with MRR > 0, so 0 → positive is a reactivation.
 */
export async function refreshMovements(store: Store, changedTable: string): Promise<void> {
  await store.run(
    `CREATE OR REPLACE TEMP TABLE touched_accounts AS SELECT DISTINCT account_id FROM ${changedTable}`,
  );
  await store.run('DELETE FROM mrr_movements WHERE account_id IN (SELECT account_id FROM touched_accounts)');
  await store.run(`INSERT INTO mrr_movements
    SELECT account_id, effective_at, old_mrr, new_mrr, prev_at, next_at, movement,
      LAG(effective_at) OVER (PARTITION BY account_id, movement ORDER BY effective_at) AS prev_same_at
    FROM (
      SELECT *,
        CASE WHEN old_mrr = 0 AND new_mrr > 0 AND NOT was_active THEN 'new'
             WHEN old_mrr = 0 AND new_mrr > 0 THEN 'reactivation'
             WHEN old_mrr > 0 AND new_mrr > old_mrr THEN 'expansion'
             WHEN old_mrr > 0 AND new_mrr > 0 AND new_mrr < old_mrr THEN 'contraction'
             WHEN old_mrr > 0 AND new_mrr = 0 THEN 'churn'
             ELSE 'none' END AS movement
      FROM (
        SELECT c.account_id, c.effective_at, c.mrr AS new_mrr,
          COALESCE(LAG(c.mrr) OVER (PARTITION BY c.account_id ORDER BY c.effective_at), 0) AS old_mrr,
          LAG(c.effective_at) OVER (PARTITION BY c.account_id ORDER BY c.effective_at) AS prev_at,
          LEAD(c.effective_at) OVER (PARTITION BY c.account_id ORDER BY c.effective_at) AS next_at,
          COALESCE(MAX(c.mrr) OVER (PARTITION BY c.account_id ORDER BY c.effective_at
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS was_active
        FROM mrr_changes c
        WHERE c.account_id IN (SELECT account_id FROM touched_accounts)
      ) changes
    ) classified`);
}

/** Folds newly added usage events into the per-day counts and each account's first value events. */
export async function refreshUsageRollups(store: Store, newUsageTable: string): Promise<void> {
  await store.run(`CREATE OR REPLACE TEMP TABLE usage_day_delta AS
    SELECT account_id, CAST(occurred_at AS DATE) AS day, count(*) AS events FROM ${newUsageTable} GROUP BY account_id, day`);
  await store.run(`UPDATE usage_daily SET events = usage_daily.events + d.events FROM usage_day_delta d
    WHERE d.account_id = usage_daily.account_id AND d.day = usage_daily.day`);
  await store.run(`INSERT INTO usage_daily SELECT d.account_id, d.day, d.events FROM usage_day_delta d
    WHERE NOT EXISTS (SELECT 1 FROM usage_daily u WHERE u.account_id = d.account_id AND u.day = d.day)`);

  // KPI-SPEC §4 TTFV: only events at or after the account's creation count.
  await store.run(`CREATE OR REPLACE TEMP TABLE first_event_delta AS
    SELECT u.account_id, u.event, MIN(u.occurred_at) AS first_at
    FROM ${newUsageTable} u JOIN accounts a ON a.account_id = u.account_id
    WHERE u.occurred_at >= a.created_at GROUP BY u.account_id, u.event`);
  await store.run(`UPDATE account_first_events SET first_at = d.first_at FROM first_event_delta d
    WHERE d.account_id = account_first_events.account_id AND d.event = account_first_events.event
      AND d.first_at < account_first_events.first_at`);
  await store.run(`INSERT INTO account_first_events SELECT d.account_id, d.event, d.first_at FROM first_event_delta d
    WHERE NOT EXISTS (SELECT 1 FROM account_first_events f WHERE f.account_id = d.account_id AND f.event = d.event)`);
}
