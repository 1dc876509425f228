// Facts about a store's data that reports show beside the numbers.
import type { Store } from '../store/store.js';

/** The store's single currency (KPI-SPEC §2), or null when no row names one. */
export async function storeCurrency(store: Store): Promise<string | null> {
  const rows = await store.query<{ currency: string }>(
    `SELECT currency FROM (SELECT upper(currency) AS currency FROM mrr_changes WHERE currency IS NOT NULL
     UNION ALL SELECT upper(currency) FROM payments WHERE currency IS NOT NULL) c LIMIT 1`,
  );
  return rows[0]?.currency ?? null;
}
