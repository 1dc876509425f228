// GET /api/v1/accounts, /api/v1/accounts/:id and /api/v1/responses: a workspace's accounts and survey answers,
// filtered, sorted and paged, as JSON or spreadsheet-safe CSV. User input reaches SQL only as bound
// parameters ($1…) or as a key of a whitelist; generated SQL holds only values we produced ourselves.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { csvDocument } from '../../domain/csv-cell.js';
import { METRICS } from '../../domain/import-format.js';
import { calendarPeriods, type Period, type PeriodKind, parseInstant } from '../../domain/time.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { healthScoresSql } from '../../kpi/health.js';
import type { HealthComponent } from '../../kpi/health-model.js';
import type { HealthSnapshots, QueryContext } from '../../kpi/query-context.js';
import { heldHealthSnapshots, latestDataInstant } from '../../kpi/store-facts.js';
import { type Row, type Store, sqlTimestamp } from '../../store/store.js';
import { principal } from '../auth.js';
import type { WorkspaceHub, WorkspaceRuntime } from '../hub.js';
import { type FieldProblem, HttpProblem } from '../problem.js';

export const MAX_LIMIT = 500;
/** Bounded lists of the account page: the newest this many of each. */
export const DETAIL_ITEMS = 50;
export const HISTORY_MONTHS = 12;
const DAY_MS = 86_400_000;
const HEALTH_BANDS = ['healthy', 'neutral', 'at_risk'] as const;
type HealthBand = (typeof HEALTH_BANDS)[number];
const COMPONENTS: readonly HealthComponent[] = [
  'usage_trend',
  'satisfaction',
  'support_load',
  'revenue_trend',
  'pending_cancellation',
];

// ---------------------------------------------------------------------------------------------------------
// Paging, sorting and output shared by the lists.

/** The SQL type of a sort key, so a cursor's key can be checked and cast back exactly. */
type KeyType = 'text' | 'timestamp' | 'decimal' | 'integer' | 'double';

interface SortField {
  /** An expression over the columns of the list's rows. */
  expr: string;
  type: KeyType;
}

interface Order {
  name: string;
  field: SortField;
  descending: boolean;
}

const KEY_PATTERNS: Record<KeyType, RegExp> = {
  text: /^[\s\S]{0,1000}$/,
  timestamp: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/,
  decimal: /^-?\d{1,18}(\.\d{1,4})?$/,
  integer: /^-?\d{1,10}$/,
  double: /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i,
};

const CASTS: Record<KeyType, (param: string) => string> = {
  text: (p) => p,
  timestamp: (p) => `CAST(${p} AS TIMESTAMP)`,
  decimal: (p) => `CAST(${p} AS DECIMAL(18, 4))`,
  integer: (p) => `CAST(${p} AS INTEGER)`,
  double: (p) => `CAST(${p} AS DOUBLE PRECISION)`,
};

/** Collects bound parameters and hands out their `$n` placeholders. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `sort`: a field name of the whitelist, `-` first for descending. */
function sortParam(fields: Record<string, SortField>, fallback: string) {
  const names = Object.keys(fields);
  return z
    .enum([...names, ...names.map((n) => `-${n}`)] as [string, ...string[]])
    .default(fallback)
    .describe(`one of ${names.join(', ')}; prefix - for descending; empty values sort last`);
}

const pagingShape = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).describe('rows per page, 1–500'),
  cursor: z.string().min(1).max(2000).optional().describe('the `next` of the previous page'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .describe('rows to skip, instead of a cursor'),
  format: z.enum(['json', 'csv']).optional().describe('csv for a spreadsheet (or send Accept: text/csv)'),
};

const searchText = z.string().min(1).max(200);
const idText = z.string().min(1).max(500);

interface Paging {
  sort: string;
  limit: number;
  cursor?: string | undefined;
  offset?: number | undefined;
}

interface Cursor {
  key: string | null;
  id: string;
}

function orderOf(fields: Record<string, SortField>, sort: string): Order {
  const descending = sort.startsWith('-');
  const name = descending ? sort.slice(1) : sort;
  return { name, field: fields[name]!, descending };
}

/** Empty keys last in both directions, then the id: a total order, so pages neither lose nor repeat rows. */
function orderBy(order: Order, id: string): string {
  const k = order.field.expr;
  return `(${k}) IS NULL, ${k}${order.descending ? ' DESC' : ''}, ${id}`;
}

/** The rows strictly after the cursor's row in `orderBy`. */
function afterCursor(order: Order, id: string, cursor: Cursor, params: Params): string {
  const k = order.field.expr;
  const lastId = params.add(cursor.id);
  if (cursor.key === null) return `((${k}) IS NULL AND ${id} > ${lastId})`;
  const key = CASTS[order.field.type](params.add(cursor.key));
  const beyond = order.descending ? '<' : '>';
  return `((${k}) IS NULL OR ${k} ${beyond} ${key} OR (${k} = ${key} AND ${id} > ${lastId}))`;
}

function encodeCursor(sort: string, key: unknown, id: unknown): string {
  return Buffer.from(JSON.stringify([sort, key ?? null, String(id)])).toString('base64url');
}

/** A cursor made for this sort, with a key of the sort's type; anything else is a 400 naming query.cursor. */
function decodeCursor(text: string, order: Order, sort: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === sort && typeof parsed[2] === 'string') {
    const [, key, id] = parsed as [string, unknown, string];
    if (key === null || (typeof key === 'string' && KEY_PATTERNS[order.field.type].test(key))) {
      return { key, id };
    }
  }
  throw queryProblem(
    'cursor',
    'invalid_cursor',
    'not a cursor of this list and sort; pass the `next` of the previous page with the same sort',
  );
}

/** A 400 problem about one query parameter. */
function queryProblem(name: string, rule: string, message: string, value?: string): HttpProblem {
  const field: FieldProblem = { path: `query.${name}`, rule, message };
  if (value !== undefined) field.value = value;
  return new HttpProblem(400, 'invalid_query', `query parameter ${name}: ${message}`, [field]);
}

interface ListSql {
  /** CTEs before `filtered`, without WITH. */
  ctes: readonly string[];
  /** The rows to list: a table or CTE name. */
  source: string;
  where: readonly string[];
  id: string;
}

interface Page {
  rows: Row[];
  total: number;
  next: string | null;
}

/**
 * One query: the filtered rows' count beside the requested page (one row more than the limit, to know
 * whether another page follows). An empty page still carries the count through the outer join.
 */
async function pageOf(
  store: Store,
  list: ListSql,
  order: Order,
  paging: Paging,
  params: Params,
): Promise<Page> {
  const conditions: string[] = [];
  if (paging.cursor !== undefined && paging.offset !== undefined) {
    throw queryProblem('offset', 'cursor_or_offset', 'give a cursor or an offset, not both');
  }
  if (paging.cursor !== undefined) {
    conditions.push(afterCursor(order, list.id, decodeCursor(paging.cursor, order, paging.sort), params));
  }
  const sorted = orderBy(order, list.id);
  const sql = `WITH ${[...list.ctes, `filtered AS (SELECT * FROM ${list.source} WHERE ${list.where.join(' AND ') || 'true'})`].join(',\n')}
    SELECT counted.total_rows, page.* FROM (SELECT COUNT(*) AS total_rows FROM filtered) counted
    LEFT JOIN (
      SELECT filtered.*, CAST(${order.field.expr} AS VARCHAR) AS sort_key FROM filtered
      WHERE ${conditions.join(' AND ') || 'true'}
      ORDER BY ${sorted} LIMIT ${params.add(paging.limit + 1)} OFFSET ${params.add(paging.offset ?? 0)}
    ) page ON true
    ORDER BY ${sorted}`;
  const result = await store.query(sql, params.values);
  const total = Number(result[0]?.total_rows ?? 0);
  const rows = result.filter((r) => r[list.id] !== null && r[list.id] !== undefined);
  const more = rows.length > paging.limit;
  const shown = rows.slice(0, paging.limit);
  const last = shown[shown.length - 1];
  return {
    rows: shown,
    total,
    next: more && last ? encodeCursor(paging.sort, last.sort_key, last[list.id]) : null,
  };
}

/** `format=csv` or a request that accepts text/csv (and did not ask for json) gets CSV. */
function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

function sendCsv(
  reply: FastifyReply,
  name: string,
  page: { total: number; next: string | null },
  header: readonly string[],
  records: readonly (readonly (string | number | null)[])[],
): FastifyReply {
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .header('x-total-count', String(page.total))
    .header('vary', 'accept');
  if (page.next) reply.header('x-next-cursor', page.next);
  return reply.send(csvDocument(header, records));
}

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const number = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const placeholders = (params: Params, values: readonly unknown[]) =>
  values.map((v) => params.add(v)).join(', ');

// ---------------------------------------------------------------------------------------------------------
// What every read needs: the instant the data describes and the health snapshots, once per data version.

interface DataFacts {
  asOf: Date;
  snapshots: HealthSnapshots | null;
}

function dataFacts(runtime: WorkspaceRuntime): Promise<DataFacts> {
  return runtime.cached('read:facts', async () => ({
    asOf: (await latestDataInstant(runtime.reader)) ?? new Date(),
    snapshots: await heldHealthSnapshots(runtime.reader),
  }));
}

/** The end of as_of's UTC day: health "now" counts every whole day up to and including as_of's. */
function healthEnd(asOf: Date): Date {
  return new Date(Math.floor(asOf.getTime() / DAY_MS) * DAY_MS + DAY_MS);
}

function healthContext(store: Store, facts: DataFacts, periods: Period[], kind: PeriodKind): QueryContext {
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

function bandOf(score: number | null): HealthBand | null {
  if (score === null) return null;
  const { healthy, at_risk_below } = DEFAULT_CONFIG.health.bands;
  return score >= healthy ? 'healthy' : score >= at_risk_below ? 'neutral' : 'at_risk';
}

// ---------------------------------------------------------------------------------------------------------
// Accounts.

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

const accountItem = z.object({
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

const accountsAnswer = z.object({
  as_of: z.string(),
  items: z.array(accountItem),
  total: z.number().int(),
  next: z.string().nullable(),
});

/**
 * CTEs ending in `account_rows`: every account with its state at as_of. With `health`, the health CTEs too
 * (every active account's score, so the list can filter and sort by it).
 */
function accountRowsCtes(asOf: Date, health: QueryContext | null): string[] {
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

/** `%`, `_` and the escape character itself match literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The attributes and health now of the listed accounts (health of all accounts only when filtering on it). */
async function completeAccounts(
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
     WHERE account_id IN (${placeholders(params, ids)}) ORDER BY account_id, name`,
    params.values,
  );
  for (const a of attributeRows) attributes.get(String(a.account_id))![String(a.name)] = text(a.value);
  const health = new Map<string, number>();
  if (!healthKnown) {
    const healthParams = new Params();
    const scored = await store.query(
      `WITH ${healthScoresSql(currentHealthContext(store, facts))}
       SELECT account_id, score FROM scored WHERE idx = 0 AND account_id IN (${placeholders(healthParams, ids)})`,
      healthParams.values,
    );
    for (const s of scored) health.set(String(s.account_id), Number(s.score));
  }
  return rows.map((r) => {
    const id = String(r.account_id);
    const score = healthKnown ? number(r.health_score) : (health.get(id) ?? null);
    return {
      account_id: id,
      name: text(r.name),
      segment: text(r.segment),
      country: text(r.country),
      created_at: iso(r.created_at)!,
      mrr: Number(r.mrr),
      status: r.status as AccountItem['status'],
      last_nps: number(r.last_nps),
      last_nps_at: iso(r.last_nps_at),
      pending_cancellation: r.pending_cancellation === true,
      cancellation_ends_at: iso(r.cancellation_ends_at),
      health_score: score,
      health_band: bandOf(score),
      attributes: attributes.get(id)!,
    };
  });
}

async function listAccounts(store: Store, facts: DataFacts, query: AccountsQuery) {
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
async function accountsCsv(store: Store, items: readonly AccountItem[]) {
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

// ---------------------------------------------------------------------------------------------------------
// One account.

const historyPoint = z.object({
  month: z.string().describe('first instant of the month'),
  end: z.string().describe('the instant the state is read at (the current month: the end of as_of’s day)'),
  mrr: z.number(),
  health_score: z.number().nullable(),
  health_band: z.enum(HEALTH_BANDS).nullable(),
  components: z.record(z.string(), z.number()).nullable().describe('each 0–1; null when not active'),
});

const bounded = <T extends z.ZodType>(item: T) => z.object({ total: z.number().int(), items: z.array(item) });

const responseItem = z.object({
  response_id: z.string(),
  submitted_at: z.string(),
  metric: z.enum(METRICS),
  score: z.number().int(),
  scale: z.number().int().nullable(),
  account_id: z.string().nullable(),
  account_name: z.string().nullable(),
  segment: z.string().nullable(),
  respondent_id: z.string().nullable(),
  comment: z.string().nullable(),
  locale: z.string().nullable(),
});
type ResponseItem = z.infer<typeof responseItem>;

const accountAnswer = z.object({
  as_of: z.string(),
  account: accountItem,
  mrr_changes: bounded(
    z.object({
      effective_at: z.string(),
      mrr: z.number(),
      previous_mrr: z.number(),
      movement: z.string().describe('new, reactivation, expansion, contraction, churn or none (KPI-SPEC §3)'),
    }),
  ),
  cancellations: bounded(z.object({ requested_at: z.string(), ends_at: z.string(), pending: z.boolean() })),
  renewals: bounded(z.object({ due_at: z.string(), outcome: z.string() })),
  responses: bounded(responseItem),
  tickets: bounded(
    z.object({
      ticket_id: z.string(),
      opened_at: z.string(),
      resolved_at: z.string().nullable(),
      contacts: z.number().int(),
      channel: z.string().nullable(),
      abandoned: z.boolean().nullable(),
    }),
  ),
  history: z.array(historyPoint).describe(`the last ${HISTORY_MONTHS} calendar months, oldest first`),
});

/** The first DETAIL_ITEMS rows (newest first) of one account's facts, and how many there are. */
async function boundedList(store: Store, id: string, from: string, columns: string, newest: string) {
  const rows = await store.query(
    `SELECT COUNT(*) OVER () AS total_rows, ${columns} FROM ${from} WHERE account_id = $1
     ORDER BY ${newest} LIMIT ${DETAIL_ITEMS}`,
    [id],
  );
  return { total: Number(rows[0]?.total_rows ?? 0), rows };
}

/** Monthly MRR (state at each month's end, KPI-SPEC §1) and health of one account, oldest first. */
async function accountHistory(store: Store, facts: DataFacts, id: string) {
  const end = healthEnd(facts.asOf);
  const dayOfAsOf = new Date(end.getTime() - DAY_MS);
  const first = new Date(
    Date.UTC(dayOfAsOf.getUTCFullYear(), dayOfAsOf.getUTCMonth() - (HISTORY_MONTHS - 1), 1),
  );
  const ctx = healthContext(store, facts, calendarPeriods(first, end, 'month'), 'month');
  const rows = await store.query(
    `WITH ${healthScoresSql(ctx)},
    mrr_at AS (
      SELECT p.idx, m.new_mrr FROM periods p JOIN mrr_movements m ON m.account_id = $1
        AND m.effective_at < p.p_end AND (m.next_at IS NULL OR m.next_at >= p.p_end))
    SELECT p.idx, p.p_start, p.p_end, COALESCE(mm.new_mrr, 0) AS mrr, s.score,
      ${COMPONENTS.map((c) => `s.${c}`).join(', ')}
    FROM periods p LEFT JOIN mrr_at mm ON mm.idx = p.idx
    LEFT JOIN scored s ON s.idx = p.idx AND s.account_id = $1
    ORDER BY p.idx`,
    [id],
  );
  return rows.map((r) => {
    const score = number(r.score);
    return {
      month: iso(r.p_start)!,
      end: iso(r.p_end)!,
      mrr: Number(r.mrr),
      health_score: score,
      health_band: bandOf(score),
      components: score === null ? null : Object.fromEntries(COMPONENTS.map((c) => [c, Number(r[c])])),
    };
  });
}

async function accountDetail(store: Store, facts: DataFacts, id: string) {
  const params = new Params();
  const filter = `account_id = ${params.add(id)}`;
  const found = await store.query(
    `WITH ${accountRowsCtes(facts.asOf, null).join(',\n')} SELECT * FROM account_rows WHERE ${filter}`,
    params.values,
  );
  if (found.length === 0) {
    throw new HttpProblem(404, 'unknown_account', `no account ${JSON.stringify(id)} in this workspace`);
  }
  const account = (await completeAccounts(store, facts, found, false))[0]!;
  const asOf = facts.asOf.getTime();
  const mrr = await boundedList(
    store,
    id,
    'mrr_movements',
    'effective_at, new_mrr, old_mrr, movement',
    'effective_at DESC',
  );
  const cancellations = await boundedList(
    store,
    id,
    'cancellations',
    'requested_at, ends_at',
    'requested_at DESC',
  );
  const renewals = await boundedList(store, id, 'renewals', 'due_at, outcome', 'due_at DESC');
  // KPI-SPEC §5: employee answers are anonymous; they never show on an account.
  const responses = await boundedList(
    store,
    id,
    `(SELECT r.*, a.name AS account_name, a.segment FROM responses r JOIN accounts a USING (account_id)
      WHERE r.metric <> 'enps') r`,
    RESPONSE_COLUMNS.join(', '),
    'submitted_at DESC, response_id DESC',
  );
  const tickets = await boundedList(
    store,
    id,
    'tickets',
    'ticket_id, opened_at, resolved_at, contacts, channel, abandoned',
    'opened_at DESC, ticket_id DESC',
  );
  return {
    as_of: facts.asOf.toISOString(),
    account,
    mrr_changes: {
      total: mrr.total,
      items: mrr.rows.map((r) => ({
        effective_at: iso(r.effective_at)!,
        mrr: Number(r.new_mrr),
        previous_mrr: Number(r.old_mrr),
        movement: String(r.movement),
      })),
    },
    cancellations: {
      total: cancellations.total,
      items: cancellations.rows.map((r) => ({
        requested_at: iso(r.requested_at)!,
        ends_at: iso(r.ends_at)!,
        pending: (r.requested_at as Date).getTime() <= asOf && (r.ends_at as Date).getTime() > asOf,
      })),
    },
    renewals: {
      total: renewals.total,
      items: renewals.rows.map((r) => ({ due_at: iso(r.due_at)!, outcome: String(r.outcome) })),
    },
    responses: { total: responses.total, items: responses.rows.map(responseOf) },
    tickets: {
      total: tickets.total,
      items: tickets.rows.map((r) => ({
        ticket_id: String(r.ticket_id),
        opened_at: iso(r.opened_at)!,
        resolved_at: iso(r.resolved_at),
        contacts: Number(r.contacts),
        channel: text(r.channel),
        abandoned: r.abandoned === null || r.abandoned === undefined ? null : r.abandoned === true,
      })),
    },
    history: await accountHistory(store, facts, id),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Survey answers.

const RESPONSE_SORTS: Record<string, SortField> = {
  submitted_at: { expr: 'submitted_at', type: 'timestamp' },
  score: { expr: 'score', type: 'integer' },
  metric: { expr: 'metric', type: 'text' },
  response_id: { expr: 'response_id', type: 'text' },
  account_id: { expr: 'account_id', type: 'text' },
};

const RESPONSE_COLUMNS = [
  'response_id',
  'submitted_at',
  'metric',
  'score',
  'scale',
  'account_id',
  'account_name',
  'segment',
  'respondent_id',
  'comment',
  'locale',
] as const;

export const responsesQuery = z.strictObject({
  metric: z
    .enum(METRICS)
    .optional()
    .describe('nps, csat, ces or fcr; enps answers are never listed (KPI-SPEC §5), see docs/api.md'),
  score_min: z.coerce.number().int().optional(),
  score_max: z.coerce.number().int().optional(),
  segment: idText.optional().describe('the segment of the answering account'),
  account_id: idText.optional(),
  from: z
    .string()
    .max(100)
    .optional()
    .describe('submitted at or after this instant (2025-03-01 = 00:00 UTC)'),
  to: z.string().max(100).optional().describe('submitted before this instant'),
  q: searchText.optional().describe('text in the comment (case-insensitive)'),
  sort: sortParam(RESPONSE_SORTS, '-submitted_at'),
  ...pagingShape,
});
type ResponsesQuery = z.infer<typeof responsesQuery>;

const responsesAnswer = z.object({
  items: z.array(responseItem),
  total: z.number().int(),
  next: z.string().nullable(),
});

/** An instant parameter, or a 400 naming it. */
function instantParam(name: string, value: string): Date {
  const instant = parseInstant(value);
  if (!instant) {
    throw queryProblem(
      name,
      'instant',
      'not an ISO-8601 date (2025-03-01) or date-time with an offset (2025-03-01T10:00:00Z)',
      value,
    );
  }
  return instant;
}

function responseFilters(query: ResponsesQuery, params: Params): string[] {
  // KPI-SPEC §5: employee answers are anonymous; listing them one by one (or by small groups) could
  // identify people, so they are not part of this list at all. The report shows eNPS with suppression.
  const where = ["metric <> 'enps'"];
  if (query.metric !== undefined) where.push(`metric = ${params.add(query.metric)}`);
  if (query.score_min !== undefined) where.push(`score >= ${params.add(query.score_min)}`);
  if (query.score_max !== undefined) where.push(`score <= ${params.add(query.score_max)}`);
  if (query.segment !== undefined) where.push(`segment = ${params.add(query.segment)}`);
  if (query.account_id !== undefined) where.push(`account_id = ${params.add(query.account_id)}`);
  const stamp = (d: Date) =>
    `CAST(${params.add(d.toISOString().replace('T', ' ').replace('Z', ''))} AS TIMESTAMP)`;
  if (query.from !== undefined) where.push(`submitted_at >= ${stamp(instantParam('from', query.from))}`);
  if (query.to !== undefined) where.push(`submitted_at < ${stamp(instantParam('to', query.to))}`);
  if (query.q !== undefined) {
    where.push(`lower(comment) LIKE lower(${params.add(`%${likeEscape(query.q)}%`)}) ESCAPE '\\'`);
  }
  return where;
}

function responseOf(r: Row): ResponseItem {
  return {
    response_id: String(r.response_id),
    submitted_at: iso(r.submitted_at)!,
    metric: r.metric as ResponseItem['metric'],
    score: Number(r.score),
    scale: number(r.scale),
    account_id: text(r.account_id),
    account_name: text(r.account_name),
    segment: text(r.segment),
    respondent_id: r.metric === 'enps' ? null : text(r.respondent_id),
    comment: text(r.comment),
    locale: text(r.locale),
  };
}

async function listResponses(store: Store, query: ResponsesQuery) {
  if (query.metric === 'enps') {
    throw queryProblem(
      'metric',
      'employee_answers_private',
      'employee answers are anonymous (KPI-SPEC §5) and are not listed; read eNPS by team from ' +
        'GET /api/v1/report?segment_by=team, which suppresses small groups',
      'enps',
    );
  }
  const order = orderOf(RESPONSE_SORTS, query.sort);
  const params = new Params();
  const list: ListSql = {
    ctes: [
      `response_rows AS (
        SELECT r.response_id, r.submitted_at, r.metric, r.score, r.scale, r.account_id, a.name AS account_name,
          a.segment, r.respondent_id, r.comment, r.locale
        FROM responses r LEFT JOIN accounts a ON a.account_id = r.account_id)`,
    ],
    source: 'response_rows',
    where: responseFilters(query, params),
    id: 'response_id',
  };
  const page = await pageOf(store, list, order, query, params);
  return { items: page.rows.map(responseOf), total: page.total, next: page.next };
}

// ---------------------------------------------------------------------------------------------------------

/** The same list in JSON and CSV is one cache entry. */
const cacheKey = ({ format: _format, ...query }: { format?: string | undefined }) => JSON.stringify(query);

const csvNote =
  ' Add format=csv (or Accept: text/csv) for CSV; paging then comes in x-total-count and x-next-cursor.';

export function registerAccountRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/accounts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary: 'Accounts with their state at as_of, filtered, sorted and paged',
        description: `The list of docs/api.md "Reading accounts and answers".${csvNote}`,
        querystring: accountsQuery,
        response: { 200: accountsAnswer },
      },
    },
    async (request, reply) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const facts = await dataFacts(runtime);
      const answer = await runtime.cached(`read:accounts:${cacheKey(request.query)}`, () =>
        listAccounts(runtime.reader, facts, request.query),
      );
      if (!wantsCsv(request, request.query.format)) return reply.header('vary', 'accept').send(answer);
      const csv = await accountsCsv(runtime.reader, answer.items);
      return sendCsv(reply, 'accounts', answer, csv.header, csv.records);
    },
  );
  typed.get(
    '/api/v1/accounts/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary: 'One account: its state, facts (newest first, bounded) and 12 months of MRR and health',
        params: z.object({ id: idText }),
        querystring: z.strictObject({}),
        response: { 200: accountAnswer },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const facts = await dataFacts(runtime);
      const id = request.params.id;
      return runtime.cached(`read:account:${JSON.stringify(id)}`, () =>
        accountDetail(runtime.reader, facts, id),
      );
    },
  );
  typed.get(
    '/api/v1/responses',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary: 'Survey answers of customers (never employee answers), filtered, sorted and paged',
        description: `The list of docs/api.md "Reading accounts and answers".${csvNote}`,
        querystring: responsesQuery,
        response: { 200: responsesAnswer },
      },
    },
    async (request, reply) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const answer = await runtime.cached(`read:responses:${cacheKey(request.query)}`, () =>
        listResponses(runtime.reader, request.query),
      );
      if (!wantsCsv(request, request.query.format)) return reply.header('vary', 'accept').send(answer);
      const records = answer.items.map((item) => RESPONSE_COLUMNS.map((c) => item[c]));
      return sendCsv(reply, 'responses', answer, RESPONSE_COLUMNS, records);
    },
  );
}
