// Facts about a store's data that reports show beside the numbers.
import type { Store } from '../store/store.js';
import type { HealthSnapshots } from './query-context.js';

/** The store's single currency (KPI-SPEC §2), or null when no row names one. */
export async function storeCurrency(store: Store): Promise<string | null> {
  const rows = await store.query<{ currency: string }>(
    `SELECT currency FROM (SELECT upper(currency) AS currency FROM mrr_changes WHERE currency IS NOT NULL
     UNION ALL SELECT upper(currency) FROM payments WHERE currency IS NOT NULL) c LIMIT 1`,
  );
  return rows[0]?.currency ?? null;
}

/** as_of by default: the latest instant the data describes (scheduled ends_at and due_at excluded). */
export async function latestDataInstant(store: Store): Promise<Date | null> {
  const columns: [string, string][] = [
    ['accounts', 'created_at'],
    ['mrr_changes', 'effective_at'],
    ['cancellations', 'requested_at'],
    ['payments', 'paid_at'],
    ['costs', 'incurred_at'],
    ['responses', 'submitted_at'],
    ['tickets', 'opened_at'],
    ['tickets', 'resolved_at'],
    ['usage_events', 'occurred_at'],
  ];
  const union = columns
    .map(([table, column]) => `SELECT MAX(${column}) AS latest FROM ${table}`)
    .join(' UNION ALL ');
  const rows = await store.query<{ latest: Date | null }>(`SELECT MAX(latest) AS latest FROM (${union}) t`);
  return rows[0]?.latest ?? null;
}

export const HEALTH_SNAPSHOTS_KEY = 'health_snapshots';

/** What the health snapshots of the store cover, as the last import recorded it; null when there are none. */
export async function heldHealthSnapshots(store: Store): Promise<HealthSnapshots | null> {
  const rows = await store.query<{ value: string }>('SELECT value FROM store_meta WHERE key = $1', [
    HEALTH_SNAPSHOTS_KEY,
  ]);
  if (!rows[0]) return null;
  const held = JSON.parse(rows[0].value) as { last: string; windows: string };
  return { last: new Date(held.last), windows: held.windows };
}
