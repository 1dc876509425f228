// An account's state at as_of (MRR, status, last NPS, pending cancellation) and its health now, as SQL;
// the account list built on it, as JSON items and CSV records.
import { z } from 'zod';
import type { Period, PeriodKind } from '../domain/time.js';
import { DEFAULT_CONFIG } from '../kpi/config.js';
import { healthScoresSql } from '../kpi/health.js';
import type { HealthSnapshots, QueryContext } from '../kpi/query-context.js';
import { heldHealthSnapshots, latestDataInstant } from '../kpi/store-facts.js';
import { type Row, type Store, sqlTimestamp } from '../store/store.js';
import type { WorkspaceRuntime } from './hub.js';
import {
  idText,
  isoOrNull,
  type ListSql,
  likeEscape,
  numberOrNull,
  orderOf,
  Params,
  pageOf,
  pagingShape,
  type SortField,
  searchText,
  sortParam,
  textOrNull,
} from './list-paging.js';

export const DAY_MS = 86_400_000;
export const HEALTH_BANDS = ['healthy', 'neutral', 'at_risk'] as const;
type HealthBand = (typeof HEALTH_BANDS)[number];

// ---------------------------------------------------------------------------------------------------------
// What every account read needs: the instant the data describes and the health snapshots, once per data version.

export interface DataFacts {
  asOf: Date;
  snapshots: HealthSnapshots | null;
}

export function dataFacts(runtime: WorkspaceRuntime): Promise<DataFacts> {
  return runtime.cached('read:facts', async () => ({
    asOf: (await latestDataInstant(runtime.reader)) ?? new Date(),
    snapshots: await heldHealthSnapshots(runtime.reader),
  }));
}

/** The end of as_of's UTC day: health "now" counts every whole day up to and including as_of's. */
export function healthEnd(asOf: Date): Date {
  return new Date(Math.floor(asOf.getTime() / DAY_MS) * DAY_MS + DAY_MS);
}

export function healthContext(
  store: Store,
  facts: DataFacts,
  periods: Period[],
  kind: PeriodKind,
): QueryContext {
  return {
    periods,
    periodKind: kind,
    segmentBy: null,
    asOf: facts.asOf,
    config: DEFAULT_CONFIG,
    dialect: store.dialect,
    healthSnapshots: facts.snapshots,
  };
}

/** The one-period context of health now: the day of as_of. */
function currentHealthContext(store: Store, facts: DataFacts): QueryContext {
  const end = healthEnd(facts.asOf);
  return healthContext(store, facts, [{ start: new Date(end.getTime() - DAY_MS), end }], 'day');
}

/** KPI-SPEC §4 bands: healthy ≥ 70, at_risk < 40, neutral between (configurable). */
function bandSql(score: string): string {
  const { healthy, at_risk_below } = DEFAULT_CONFIG.health.bands;
  return `CASE WHEN ${score} IS NULL THEN NULL WHEN ${score} >= ${healthy} THEN 'healthy'
    WHEN ${score} >= ${at_risk_below} THEN 'neutral' ELSE 'at_risk' END`;
}

export function bandOf(score: number | null): HealthBand | null {
  if (score === null) return null;
  const { healthy, at_risk_below } = DEFAULT_CONFIG.health.bands;
  return score >= healthy ? 'healthy' : score >= at_risk_below ? 'neutral' : 'at_risk';
}

// ---------------------------------------------------------------------------------------------------------
// The account list.

const ACCOUNT_SORTS: Record<string, SortField> = {
  account_id: { expr: 'account_id', type: 'text' },
  name: { expr: 'lower(name)', type: 'text' },
  segment: { expr: 'segment', type: 'text' },
  country: { expr: 'country', type: 'text' },
  created_at: { expr: 'created_at', type: 'timestamp' },
  mrr: { expr: 'mrr', type: 'decimal' },
  last_nps: { expr: 'last_nps', type: 'integer' },
  last_nps_at: { expr: 'last_nps_at', type: 'timestamp' },
  health_score: { expr: 'health_score', type: 'double' },
};

export const accountsQuery = z.strictObject({
  q: searchText.optional().describe('text in the account id or name (case-insensitive)'),
  segment: idText.optional(),
  country: idText.optional(),
  status: z
    .enum(['active', 'churned', 'never'])
    .optional()
    .describe('active: MRR > 0 at as_of; churned: had MRR, now 0; never: never had MRR'),
  pending_cancellation: z
    .enum(['true', 'false'])
    .optional()
    .describe('asked to cancel (requested_at ≤ as_of) and the term has not ended (ends_at > as_of)'),
  health_band: z.enum(HEALTH_BANDS).optional().describe('health now; accounts without MRR have none'),
  mrr_min: z.coerce.number().min(0).optional(),
  mrr_max: z.coerce.number().min(0).optional(),
  sort: sortParam(ACCOUNT_SORTS, 'account_id'),
  ...pagingShape,
});
type AccountsQuery = z.infer<typeof accountsQuery>;

export const accountItem = z.object({
  account_id: z.string(),
  name: z.string().nullable(),
  segment: z.string().nullable(),
  country: z.string().nullable(),
  created_at: z.string(),
  mrr: z.number().describe('MRR at as_of: the latest change at or before it'),
  status: z.enum(['active', 'churned', 'never']),
  last_nps: z.number().int().nullable(),
  last_nps_at: z.string().nullable(),
  pending_cancellation: z.boolean(),
  cancellation_ends_at: z.string().nullable(),
  health_score: z.number().nullable().describe('0–100 at the end of as_of’s UTC day; null without MRR'),
  health_band: z.enum(HEALTH_BANDS).nullable(),
  attributes: z.record(z.string(), z.string().nullable()),
});
type AccountItem = z.infer<typeof accountItem>;

export const accountsAnswer = z.object({
  as_of: z.string(),
  items: z.array(accountItem),
  total: z.number().int(),
  next: z.string().nullable(),
});

/**
 * CTEs ending in `account_rows`: every account with its state at as_of. With `health`, the health CTEs too
 * (every active account's score, so the list can filter and sort by it).
 */
export function accountRowsCtes(asOf: Date, health: QueryContext | null): string[] {
  const at = sqlTimestamp(asOf);
  return [
    ...(health ? [healthScoresSql(health)] : []),
    `current_mrr AS (
      SELECT account_id, new_mrr AS mrr FROM mrr_movements
      WHERE effective_at <= ${at} AND (next_at IS NULL OR next_at > ${at}))`,
    // KPI-SPEC §3: an account's first activation is its one `new` movement.
    `ever_active AS (SELECT account_id FROM mrr_movements WHERE movement = 'new' AND effective_at <= ${at})`,
    `last_nps AS (
      SELECT account_id, score, submitted_at FROM (
        SELECT account_id, score, submitted_at,
          ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY submitted_at DESC, response_id DESC) AS rn
        FROM responses WHERE metric = 'nps' AND account_id IS NOT NULL AND submitted_at <= ${at}) r
      WHERE rn = 1)`,
    `pending AS (
      SELECT account_id, MIN(ends_at) AS ends_at FROM cancellations
      WHERE requested_at <= ${at} AND ends_at > ${at} GROUP BY account_id)`,
    `account_rows AS (
      SELECT a.account_id, a.name, a.segment, a.country, a.created_at,
        COALESCE(m.mrr, CAST(0 AS DECIMAL(18, 4))) AS mrr,
        CASE WHEN m.mrr > 0 THEN 'active' WHEN e.account_id IS NOT NULL THEN 'churned' ELSE 'never' END AS status,
        n.score AS last_nps, n.submitted_at AS last_nps_at,
        p.account_id IS NOT NULL AS pending_cancellation, p.ends_at AS cancellation_ends_at,
        ${health ? 'h.score' : 'CAST(NULL AS DOUBLE PRECISION)'} AS health_score
      FROM accounts a
      LEFT JOIN current_mrr m ON m.account_id = a.account_id
      LEFT JOIN ever_active e ON e.account_id = a.account_id
      LEFT JOIN last_nps n ON n.account_id = a.account_id
      LEFT JOIN pending p ON p.account_id = a.account_id
      ${health ? 'LEFT JOIN scored h ON h.account_id = a.account_id AND h.idx = 0' : ''})`,
  ];
}

function accountFilters(query: AccountsQuery, params: Params): string[] {
  const where: string[] = [];
  if (query.q !== undefined) {
    const pattern = params.add(`%${likeEscape(query.q)}%`);
    where.push(
      `(lower(account_id) LIKE lower(${pattern}) ESCAPE '\\' OR lower(name) LIKE lower(${pattern}) ESCAPE '\\')`,
    );
  }
  if (query.segment !== undefined) where.push(`segment = ${params.add(query.segment)}`);
  if (query.country !== undefined) where.push(`country = ${params.add(query.country)}`);
  if (query.status !== undefined) where.push(`status = ${params.add(query.status)}`);
  if (query.pending_cancellation !== undefined) {
    where.push(`pending_cancellation = ${params.add(query.pending_cancellation === 'true')}`);
  }
  if (query.health_band !== undefined)
    where.push(`${bandSql('health_score')} = ${params.add(query.health_band)}`);
  if (query.mrr_min !== undefined) where.push(`mrr >= ${params.add(query.mrr_min)}`);
  if (query.mrr_max !== undefined) where.push(`mrr <= ${params.add(query.mrr_max)}`);
  return where;
}

/** The attributes and health now of the listed accounts (health of all accounts only when filtering on it). */
export async function completeAccounts(
  store: Store,
  facts: DataFacts,
  rows: readonly Row[],
  healthKnown: boolean,
): Promise<AccountItem[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => String(r.account_id));
  const attributes = new Map<string, Record<string, string | null>>(ids.map((id) => [id, {}]));
  const params = new Params();
  const attributeRows = await store.query(
    `SELECT account_id, name, value FROM account_attributes
     WHERE account_id IN (${params.addAll(ids)}) ORDER BY account_id, name`,
    params.values,
  );
  for (const a of attributeRows) attributes.get(String(a.account_id))![String(a.name)] = textOrNull(a.value);
  const health = new Map<string, number>();
  if (!healthKnown) {
    const healthParams = new Params();
    const scored = await store.query(
      `WITH ${healthScoresSql(currentHealthContext(store, facts))}
       SELECT account_id, score FROM scored WHERE idx = 0 AND account_id IN (${healthParams.addAll(ids)})`,
      healthParams.values,
    );
    for (const s of scored) health.set(String(s.account_id), Number(s.score));
  }
  return rows.map((r) => {
    const id = String(r.account_id);
    const score = healthKnown ? numberOrNull(r.health_score) : (health.get(id) ?? null);
    return {
      account_id: id,
      name: textOrNull(r.name),
      segment: textOrNull(r.segment),
      country: textOrNull(r.country),
      created_at: isoOrNull(r.created_at)!,
      mrr: Number(r.mrr),
      status: r.status as AccountItem['status'],
      last_nps: numberOrNull(r.last_nps),
      last_nps_at: isoOrNull(r.last_nps_at),
      pending_cancellation: r.pending_cancellation === true,
      cancellation_ends_at: isoOrNull(r.cancellation_ends_at),
      health_score: score,
      health_band: bandOf(score),
      attributes: attributes.get(id)!,
    };
  });
}

export async function listAccounts(store: Store, facts: DataFacts, query: AccountsQuery) {
  const order = orderOf(ACCOUNT_SORTS, query.sort);
  // Health of every account costs a pass over the facts: only when the list filters or sorts by it.
  const healthWide = query.health_band !== undefined || order.name === 'health_score';
  const params = new Params();
  const list: ListSql = {
    ctes: accountRowsCtes(facts.asOf, healthWide ? currentHealthContext(store, facts) : null),
    source: 'account_rows',
    where: accountFilters(query, params),
    id: 'account_id',
  };
  const page = await pageOf(store, list, order, query, params);
  return {
    as_of: facts.asOf.toISOString(),
    items: await completeAccounts(store, facts, page.rows, healthWide),
    total: page.total,
    next: page.next,
  };
}

const ACCOUNT_COLUMNS = [
  'account_id',
  'name',
  'segment',
  'country',
  'created_at',
  'mrr',
  'status',
  'last_nps',
  'last_nps_at',
  'pending_cancellation',
  'cancellation_ends_at',
  'health_score',
  'health_band',
] as const;

/** One column per attribute name of the workspace (not only of this page), so pages line up. */
export async function accountsCsv(store: Store, items: readonly AccountItem[]) {
  const names = (
    await store.query('SELECT DISTINCT name FROM account_attributes ORDER BY name LIMIT 200')
  ).map((r) => String(r.name));
  const header = [...ACCOUNT_COLUMNS, ...names.map((n) => `attributes.${n}`)];
  const records = items.map((item) => [
    ...ACCOUNT_COLUMNS.map((c) => {
      const value = item[c];
      return typeof value === 'boolean' ? String(value) : value;
    }),
    ...names.map((n) => item.attributes[n] ?? null),
  ]);
  return { header, records };
}
