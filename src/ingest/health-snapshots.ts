// Keeps the health snapshots current: every active account's health components at every UTC month start.
import { calendarPeriods } from '../domain/time.js';
import { DEFAULT_CONFIG } from '../kpi/config.js';
import { healthComponentsSql, snapshotWindows } from '../kpi/health.js';
import type { QueryContext } from '../kpi/query-context.js';
import { HEALTH_SNAPSHOTS_KEY, latestDataInstant } from '../kpi/store-facts.js';
import type { Store } from '../store/store.js';

const monthStart = (t: Date, plus = 0) => new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + plus, 1));

/**
 * Recomputes the snapshots of the default health windows from the first month with MRR to the month start
 * after the latest data, with the same SQL a report uses when it computes health from the facts.
 */
export async function refreshHealthSnapshots(store: Store): Promise<void> {
  await store.run('DELETE FROM health_snapshots');
  await dropHealthSnapshots(store);
  const first = (
    await store.query<{ first: Date | null }>('SELECT MIN(effective_at) AS first FROM mrr_movements')
  )[0]?.first;
  const latest = await latestDataInstant(store);
  if (!first || !latest) return;
  const last = monthStart(latest, 1);
  const ctx: QueryContext = {
    periods: calendarPeriods(monthStart(first), last, 'month'),
    periodKind: 'month',
    segmentBy: null,
    asOf: latest,
    config: DEFAULT_CONFIG,
    dialect: store.dialect,
    healthSnapshots: null,
  };
  await store.run(`INSERT INTO health_snapshots
    SELECT * FROM (WITH ${healthComponentsSql(ctx)}
      SELECT c.account_id, p.p_end, c.usage_trend, c.satisfaction, c.support_load, c.revenue_trend,
        c.pending_cancellation
      FROM components c JOIN periods p ON p.idx = c.idx) snapshot`);
  const held = { last: last.toISOString(), windows: snapshotWindows(DEFAULT_CONFIG.health) };
  await store.run('INSERT INTO store_meta (key, value) VALUES ($1, $2)', [
    HEALTH_SNAPSHOTS_KEY,
    JSON.stringify(held),
  ]);
}

/** Marks the snapshots as not matching the facts: reports compute health from the facts until a refresh. */
export async function dropHealthSnapshots(store: Store): Promise<void> {
  await store.run('DELETE FROM store_meta WHERE key = $1', [HEALTH_SNAPSHOTS_KEY]);
}
