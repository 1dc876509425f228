// The health lab's feature reader (src/insight/health/features.ts: a few queries, windows summed in typed
// arrays) against the one big query it replaced, kept here as the independent reference: the default health
// model's component SQL (src/kpi/health.ts) with each snapshot as a period end, plus the lab's own windows.
// On a demo store, every account-snapshot, label, feature and component must be the same; only the mean
// satisfaction may differ in its last bits, because floating-point sums depend on their order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../src/demo/load-demo.js';
import type { Period } from '../src/domain/time.js';
import {
  COMPONENTS,
  FEATURES,
  HORIZON_DAYS,
  monthlySnapshots,
  type Observation,
  observationsAt,
  observationTable,
} from '../src/insight/health/features.js';
import { defaultSnapshots } from '../src/insight/health/lab.js';
import { DEFAULT_CONFIG } from '../src/kpi/config.js';
import { healthComponentsSql } from '../src/kpi/health.js';
import type { QueryContext } from '../src/kpi/query-context.js';
import { latestDataInstant } from '../src/kpi/store-facts.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import type { Store } from '../src/store/store.js';

const DAY = 86_400_000;
let store: Store;

beforeAll(async () => {
  store = await openDuckDbStore(':memory:');
  await loadDemoData(store, { accounts: 1000, seed: 3, endMonth: '2025-06' }, { workers: 0 });
}, 120_000);
afterAll(async () => {
  await store.close();
});

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const real = (expr: string) => `CAST(${expr} AS DOUBLE PRECISION)`;

/** The lab's feature query as it was first written (commit 451e7f8): one statement for all snapshots. */
async function referenceObservations(snapshots: readonly Date[]): Promise<Observation[]> {
  const ends = [...new Set(snapshots.map((s) => s.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
  const periods: Period[] = ends.map((end, i) => ({
    start: i === 0 ? new Date(end.getTime() - DAY) : ends[i - 1]!,
    end,
  }));
  const latest = await latestDataInstant(store);
  const ctx: QueryContext = {
    periods,
    periodKind: 'day',
    segmentBy: null,
    asOf: latest ?? ends[ends.length - 1]!,
    config: DEFAULT_CONFIG,
    dialect: store.dialect,
    healthSnapshots: null,
  };
  const rows = await store.query(`WITH ${healthComponentsSql(ctx)},
  users AS (
    SELECT e.account_id, p.idx, COUNT(DISTINCT e.user_id) AS users
    FROM usage_events e JOIN periods p ON e.occurred_at < p.p_end AND e.occurred_at >= p.p_end - INTERVAL '30 days'
    GROUP BY e.account_id, p.idx),
  answers AS (
    SELECT r.account_id, p.idx, r.metric, r.score,
      ROW_NUMBER() OVER (PARTITION BY r.account_id, p.idx, r.metric ORDER BY r.submitted_at DESC, r.response_id DESC) AS rn
    FROM responses r JOIN periods p ON r.submitted_at < p.p_end AND r.submitted_at >= p.p_end - INTERVAL '365 days'
    WHERE r.metric IN ('nps', 'csat') AND r.account_id IS NOT NULL),
  last_answers AS (
    SELECT account_id, idx,
      MAX(CASE WHEN metric = 'nps' THEN CAST(score AS DOUBLE PRECISION) / 10 END) AS nps_last,
      MAX(CASE WHEN metric = 'csat' THEN CAST(score - 1 AS DOUBLE PRECISION) / 4 END) AS csat_last
    FROM answers WHERE rn = 1 GROUP BY account_id, idx),
  support AS (
    SELECT t.account_id, p.idx,
      SUM(CASE WHEN COALESCE(t.abandoned, false) THEN 0 ELSE 1 END) AS handled,
      SUM(CASE WHEN NOT COALESCE(t.abandoned, false) AND t.contacts = 1 AND t.resolved_at < p.p_end
          THEN 1 ELSE 0 END) AS first_contact
    FROM tickets t JOIN periods p ON t.opened_at < p.p_end AND t.opened_at >= p.p_end - INTERVAL '90 days'
    WHERE t.account_id IS NOT NULL
    GROUP BY t.account_id, p.idx),
  churned AS (
    SELECT m.account_id, p.idx, 1 AS churned
    FROM mrr_movements m
    JOIN periods p ON m.effective_at >= p.p_end AND m.effective_at < p.p_end + INTERVAL '${HORIZON_DAYS} days'
    WHERE m.movement = 'churn'
    GROUP BY m.account_id, p.idx)
  SELECT c.account_id, CAST(c.idx AS INTEGER) AS idx, ${real('c.usage_trend')} AS usage_trend,
    ${real('c.satisfaction')} AS satisfaction, ${real('c.support_load')} AS support_load,
    ${real('c.revenue_trend')} AS revenue_trend, ${real('c.pending_cancellation')} AS pending_cancellation,
    ${real('a.recent_use')} AS recent_use, ${real('a.tickets')} AS tickets, ${real('a.mrr_end')} AS mrr_end,
    ${real('a.mrr_change')} AS mrr_change, ${real('u.users')} AS users, l.nps_last, l.csat_last,
    ${real('s.handled')} AS handled, ${real('s.first_contact')} AS first_contact,
    ${real('EXTRACT(EPOCH FROM p.p_end) - EXTRACT(EPOCH FROM ac.created_at)')} AS tenure_seconds,
    ${real('ch.churned')} AS churned
  FROM components c
  JOIN periods p ON p.idx = c.idx
  JOIN per_account a ON a.account_id = c.account_id AND a.idx = c.idx
  LEFT JOIN users u ON u.account_id = c.account_id AND u.idx = c.idx
  LEFT JOIN last_answers l ON l.account_id = c.account_id AND l.idx = c.idx
  LEFT JOIN support s ON s.account_id = c.account_id AND s.idx = c.idx
  LEFT JOIN churned ch ON ch.account_id = c.account_id AND ch.idx = c.idx
  LEFT JOIN accounts ac ON ac.account_id = c.account_id
  ORDER BY c.idx, c.account_id`);
  return rows.map((row) => {
    const at = ends[Number(row.idx)]!;
    const mrr = n(row.mrr_end);
    const before = mrr - n(row.mrr_change);
    const nps = orNull(row.nps_last);
    const csat = orNull(row.csat_last);
    const handled = n(row.handled);
    const months = Math.max(0, (n(row.tenure_seconds) * 1000) / (30.4375 * DAY));
    const complete = latest !== null && at.getTime() + HORIZON_DAYS * DAY <= latest.getTime();
    return {
      account_id: String(row.account_id),
      snapshot_at: at,
      features: [
        Math.log1p(n(row.recent_use)),
        Number(row.usage_trend),
        Math.log1p(n(row.users)),
        Number(row.satisfaction),
        nps ?? 0.5,
        csat ?? 0.5,
        nps === null && csat === null ? 1 : 0,
        Math.log1p(n(row.tickets)),
        handled === 0 ? 1 : n(row.first_contact) / handled,
        Math.log(Math.max(mrr, 1e-9)),
        before > 0 ? Math.log(mrr / before) : 0,
        Math.log1p(months),
        1 - Number(row.pending_cancellation),
      ],
      components: {
        usage_trend: Number(row.usage_trend),
        satisfaction: Number(row.satisfaction),
        support_load: Number(row.support_load),
        revenue_trend: Number(row.revenue_trend),
        pending_cancellation: Number(row.pending_cancellation),
      },
      label: complete ? (n(row.churned) > 0 ? 1 : 0) : null,
    };
  });
}

/** Asserts the two lists hold the same observations in the same order; returns how many values differ at all. */
function expectSame(actual: readonly Observation[], expected: readonly Observation[]): number {
  expect(actual.length).toBe(expected.length);
  let inexact = 0;
  for (let r = 0; r < expected.length; r++) {
    const a = actual[r]!;
    const e = expected[r]!;
    const where = `${e.account_id} at ${e.snapshot_at.toISOString()}`;
    expect([a.account_id, a.snapshot_at.getTime(), a.label], where).toEqual([
      e.account_id,
      e.snapshot_at.getTime(),
      e.label,
    ]);
    const pairs: [string, number, number][] = [
      ...FEATURES.map((f, j): [string, number, number] => [f, a.features[j]!, e.features[j]!]),
      ...COMPONENTS.map((c): [string, number, number] => [
        `component ${c}`,
        a.components[c],
        e.components[c],
      ]),
    ];
    for (const [name, x, y] of pairs) {
      if (Object.is(x, y)) continue;
      inexact++;
      // Only means of answers are sums in another order.
      expect(name, `${name} of ${where}: ${x} vs ${y}`).toMatch(/satisfaction$/);
      expect(Math.abs(x - y), `${name} of ${where}`).toBeLessThanOrEqual(1e-12);
    }
  }
  return inexact;
}

describe('health lab features against the reference query', () => {
  it('are the same on every monthly snapshot of a demo store', async () => {
    const snapshots = await defaultSnapshots(store);
    expect(snapshots.length).toBeGreaterThan(20);
    const expected = await referenceObservations(snapshots);
    expect(expected.length).toBeGreaterThan(5_000);
    expect(expected.some((o) => o.label === 1)).toBe(true);
    const actual = await observationsAt(store, snapshots);
    expect(expectSame(actual, expected)).toBeLessThan(expected.length / 1000);
  }, 60_000);

  it('are the same on snapshots that are not month starts, unsorted and repeated, past the data too', async () => {
    const latest = (await latestDataInstant(store))!;
    const days = (iso: string) => new Date(`${iso}T00:00:00Z`);
    const snapshots = [
      days('2024-02-17'),
      days('2023-03-01'),
      days('2024-02-17'),
      days('2025-04-29'),
      new Date(Math.floor(latest.getTime() / DAY) * DAY + DAY),
      days('2022-01-01'),
      ...monthlySnapshots(days('2024-09-03'), days('2024-12-31')),
    ];
    const expected = await referenceObservations(snapshots);
    expect(expected.some((o) => o.label === null)).toBe(true);
    expectSame(await observationsAt(store, snapshots), expected);
  }, 60_000);

  it('hold the same rows as columns, and nothing for no snapshot', async () => {
    const snapshots = monthlySnapshots(new Date('2024-01-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z'));
    const table = await observationTable(store, snapshots);
    const objects = await observationsAt(store, snapshots);
    expect(table.rows).toBe(objects.length);
    expect(table.snapshots.map((s) => s.toISOString())).toEqual(snapshots.map((s) => s.toISOString()));
    for (const r of [0, Math.floor(table.rows / 2), table.rows - 1]) {
      expect(table.accountIds[table.account[r]!]).toBe(objects[r]!.account_id);
      expect(Array.from(table.features.subarray(r * FEATURES.length, (r + 1) * FEATURES.length))).toEqual(
        objects[r]!.features,
      );
    }
    expect((await observationTable(store, [])).rows).toBe(0);
    expect(await observationsAt(store, [])).toEqual([]);
  }, 60_000);
});
