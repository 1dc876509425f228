// One account's page: its state at as_of, its facts (newest first, bounded) and 12 months of MRR and health.
import { z } from 'zod';
import { calendarPeriods } from '../domain/time.js';
import { healthScoresSql } from '../kpi/health.js';
import type { HealthComponent } from '../kpi/health-model.js';
import type { Store } from '../store/store.js';
import {
  accountItem,
  accountRowsCtes,
  bandOf,
  completeAccounts,
  DAY_MS,
  type DataFacts,
  HEALTH_BANDS,
  healthContext,
  healthEnd,
} from './account-state.js';
import { isoOrNull, numberOrNull, Params, textOrNull } from './list-paging.js';
import { HttpProblem } from './problem.js';
import { RESPONSE_COLUMNS, responseItem, responseOf } from './response-item.js';

/** Bounded lists of the account page: the newest this many of each. */
export const DETAIL_ITEMS = 50;
export const HISTORY_MONTHS = 12;
const COMPONENTS: readonly HealthComponent[] = [
  'usage_trend',
  'satisfaction',
  'support_load',
  'revenue_trend',
  'pending_cancellation',
];

export const USAGE_WEEKS = 12;

const historyPoint = z.object({
  month: z.string().describe('first instant of the month'),
  end: z.string().describe('the instant the state is read at (the current month: the end of as_of’s day)'),
  mrr: z.number(),
  health_score: z.number().nullable(),
  health_band: z.enum(HEALTH_BANDS).nullable(),
  components: z.record(z.string(), z.number()).nullable().describe('each 0–1; null when not active'),
});

const bounded = <T extends z.ZodType>(item: T) => z.object({ total: z.number().int(), items: z.array(item) });

export const accountAnswer = z.object({
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
  usage: z.object({
    weeks: z
      .array(z.object({ week_start: z.string(), events: z.number().int() }))
      .describe(
        `usage events per ISO week (Monday, UTC) over the last ${USAGE_WEEKS} weeks to as_of; weeks without events are absent`,
      ),
    first_events: z
      .array(z.object({ event: z.string(), first_at: z.string() }))
      .describe(
        'the first time each event happened on or after the account was created (time to first value)',
      ),
  }),
  history: z.array(historyPoint).describe(`the last ${HISTORY_MONTHS} calendar months, oldest first`),
});

/** The account's product usage: weekly counts from the daily rollup, and its first use of each event. */
async function accountUsage(store: Store, id: string, asOf: Date) {
  const weeks = await store.query<{ week_start: Date; events: number }>(
    `SELECT CAST(date_trunc('week', day) AS TIMESTAMP) AS week_start, sum(events) AS events FROM usage_daily
     WHERE account_id = $1 AND day < CAST($2 AS TIMESTAMP) AND day >= CAST($2 AS TIMESTAMP) - INTERVAL ${USAGE_WEEKS} WEEK
     GROUP BY 1 ORDER BY 1`,
    [id, asOf.toISOString().replace('T', ' ').replace('Z', '')],
  );
  const firsts = await store.query<{ event: string; first_at: Date }>(
    'SELECT event, first_at FROM account_first_events WHERE account_id = $1 ORDER BY first_at, event LIMIT 50',
    [id],
  );
  return {
    weeks: weeks.map((w) => ({ week_start: isoOrNull(w.week_start)!, events: Number(w.events) })),
    first_events: firsts.map((f) => ({ event: f.event, first_at: isoOrNull(f.first_at)! })),
  };
}

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
    const score = numberOrNull(r.score);
    return {
      month: isoOrNull(r.p_start)!,
      end: isoOrNull(r.p_end)!,
      mrr: Number(r.mrr),
      health_score: score,
      health_band: bandOf(score),
      components: score === null ? null : Object.fromEntries(COMPONENTS.map((c) => [c, Number(r[c])])),
    };
  });
}

export async function accountDetail(store: Store, facts: DataFacts, id: string) {
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
        effective_at: isoOrNull(r.effective_at)!,
        mrr: Number(r.new_mrr),
        previous_mrr: Number(r.old_mrr),
        movement: String(r.movement),
      })),
    },
    cancellations: {
      total: cancellations.total,
      items: cancellations.rows.map((r) => ({
        requested_at: isoOrNull(r.requested_at)!,
        ends_at: isoOrNull(r.ends_at)!,
        pending: (r.requested_at as Date).getTime() <= asOf && (r.ends_at as Date).getTime() > asOf,
      })),
    },
    renewals: {
      total: renewals.total,
      items: renewals.rows.map((r) => ({ due_at: isoOrNull(r.due_at)!, outcome: String(r.outcome) })),
    },
    responses: { total: responses.total, items: responses.rows.map(responseOf) },
    tickets: {
      total: tickets.total,
      items: tickets.rows.map((r) => ({
        ticket_id: String(r.ticket_id),
        opened_at: isoOrNull(r.opened_at)!,
        resolved_at: isoOrNull(r.resolved_at),
        contacts: Number(r.contacts),
        channel: textOrNull(r.channel),
        abandoned: r.abandoned === null || r.abandoned === undefined ? null : r.abandoned === true,
      })),
    },
    usage: await accountUsage(store, id, facts.asOf),
    history: await accountHistory(store, facts, id),
  };
}
