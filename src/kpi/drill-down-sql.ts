// The SQL of each drill-down kind: the rows a KPI counts in one period, read with the KPI's own conditions
// (KPI-SPEC §3–§4; the sources beside each family). Each builder returns CTEs ending in
// `drill_rows(row_key, sort_value, …columns)`; `row_key` is unique, so pages neither lose nor repeat rows.
import { sqlString, sqlTimestamp } from '../store/store.js';
import { healthScoresSql } from './health.js';
import { mrrAtCte } from './mrr-at.js';
import { days, type QueryContext, secondsBetween, segmentsCte } from './query-context.js';

/** One drill-down request: a context whose only period is the one drilled, and the segment to keep. */
export interface DrillScope {
  ctx: QueryContext;
  /** A bound placeholder (`$1`) holding the segment value, or null for the total row. */
  segment: string | null;
}

const startOf = (s: DrillScope) => sqlTimestamp(s.ctx.periods[0]!.start);
const endOf = (s: DrillScope) => sqlTimestamp(s.ctx.periods[0]!.end);

/** Keeps rows of accounts in the requested segment; the total keeps everything (rows without an account too). */
function inSegment(s: DrillScope, accountId: string): string {
  return s.segment === null
    ? ''
    : `JOIN segments sg ON sg.account_id = ${accountId} AND sg.seg = ${s.segment}`;
}

const account = (accountId: string) => `LEFT JOIN accounts a ON a.account_id = ${accountId}`;

/**
 * `account_state(account_id, mrr_start, mrr_end)` for every account with a change before the period's end,
 * and `period_moves`: the changes that are movements (not `none`) with effective_at in the period.
 */
function subscriptionCtes(s: DrillScope): string[] {
  return [
    segmentsCte(s.ctx),
    mrrAtCte('mrr_at_start', startOf(s)),
    mrrAtCte('mrr_at_end', endOf(s)),
    `account_state AS (
      SELECT COALESCE(e.account_id, b.account_id) AS account_id,
        COALESCE(b.mrr, CAST(0 AS DECIMAL(18, 4))) AS mrr_start, COALESCE(e.mrr, CAST(0 AS DECIMAL(18, 4))) AS mrr_end
      FROM mrr_at_end e FULL OUTER JOIN mrr_at_start b ON b.account_id = e.account_id)`,
    `period_moves AS (
      SELECT m.*, CASE WHEN m.movement IN ('contraction', 'churn') THEN m.old_mrr - m.new_mrr
                       ELSE m.new_mrr - m.old_mrr END AS amount
      FROM mrr_movements m
      WHERE m.effective_at >= ${startOf(s)} AND m.effective_at < ${endOf(s)} AND m.movement <> 'none')`,
  ];
}

const stateColumns = `st.account_id, a.name AS account_name, a.segment, st.mrr_start, st.mrr_end`;

/** E: accounts active at the end, with their MRR at start and end and the period's movements in order. */
export function activeAccountsSql(s: DrillScope): string[] {
  return [
    ...subscriptionCtes(s),
    `drill_rows AS (
      SELECT st.account_id AS row_key, st.mrr_end AS sort_value, ${stateColumns},
        st.mrr_end - st.mrr_start AS change, mv.kinds AS movements
      FROM account_state st ${account('st.account_id')} ${inSegment(s, 'st.account_id')}
      LEFT JOIN (SELECT account_id, string_agg(movement, ', ' ORDER BY effective_at) AS kinds
                 FROM period_moves GROUP BY account_id) mv ON mv.account_id = st.account_id
      WHERE st.mrr_end > 0)`,
  ];
}

/** S: accounts active at the start, with what they kept (NRR, GRR) and whether they are still active (CRR). */
export function startCustomersSql(s: DrillScope): string[] {
  return [
    ...subscriptionCtes(s),
    `drill_rows AS (
      SELECT st.account_id AS row_key, st.mrr_start AS sort_value, ${stateColumns},
        LEAST(st.mrr_start, st.mrr_end) AS retained_mrr, st.mrr_end - st.mrr_start AS change,
        st.mrr_end > 0 AS still_active
      FROM account_state st ${account('st.account_id')} ${inSegment(s, 'st.account_id')}
      WHERE st.mrr_start > 0)`,
  ];
}

/** The movements of the given kinds in the period; `signed` gives net amounts (new − old) instead of magnitudes. */
export function movementsSql(kinds: readonly string[], signed: boolean) {
  return (s: DrillScope): string[] => [
    ...subscriptionCtes(s),
    `drill_rows AS (
      SELECT CAST(m.effective_at AS VARCHAR) || ' ' || m.account_id AS row_key, m.effective_at AS sort_value,
        m.account_id, a.name AS account_name, a.segment, m.effective_at, m.movement, m.old_mrr, m.new_mrr,
        ${signed ? 'm.new_mrr - m.old_mrr' : 'm.amount'} AS amount
      FROM period_moves m ${account('m.account_id')} ${inSegment(s, 'm.account_id')}
      WHERE m.movement IN (${kinds.map(sqlString).join(', ')}))`,
  ];
}

/** Accounts with at least one movement of a kind in the period: one row each (counted once, KPI-SPEC §4). */
export function movementAccountsSql(kind: string) {
  return (s: DrillScope): string[] => [
    ...subscriptionCtes(s),
    `drill_rows AS (
      SELECT m.account_id AS row_key, MIN(m.effective_at) AS sort_value, m.account_id,
        MIN(a.name) AS account_name, MIN(a.segment) AS segment, MIN(m.effective_at) AS first_at,
        COUNT(*) AS movements, SUM(m.amount) AS amount
      FROM period_moves m ${account('m.account_id')} ${inSegment(s, 'm.account_id')}
      WHERE m.movement = ${sqlString(kind)}
      GROUP BY m.account_id)`,
  ];
}

/** churn_rate = churned ÷ S: the accounts of S and those that churned (joining and leaving within it too). */
export function churnSql(s: DrillScope): string[] {
  return [
    ...subscriptionCtes(s),
    `churned AS (SELECT DISTINCT account_id FROM period_moves WHERE movement = 'churn')`,
    `drill_rows AS (
      SELECT st.account_id AS row_key, st.mrr_start AS sort_value, ${stateColumns},
        st.mrr_start > 0 AS active_at_start, c.account_id IS NOT NULL AS churned
      FROM account_state st ${account('st.account_id')} ${inSegment(s, 'st.account_id')}
      LEFT JOIN churned c ON c.account_id = st.account_id
      WHERE st.mrr_start > 0 OR c.account_id IS NOT NULL)`,
  ];
}

/** Accounts active at the end with a cancellation requested before the end that ends at or after it. */
export function pendingCancellationsSql(s: DrillScope): string[] {
  return [
    ...subscriptionCtes(s),
    `asked AS (
      SELECT account_id, MIN(requested_at) AS requested_at, MIN(ends_at) AS ends_at FROM cancellations
      WHERE requested_at < ${endOf(s)} AND ends_at >= ${endOf(s)} GROUP BY account_id)`,
    `drill_rows AS (
      SELECT c.account_id AS row_key, c.ends_at AS sort_value, c.account_id, a.name AS account_name, a.segment,
        c.requested_at, c.ends_at, st.mrr_end
      FROM asked c JOIN account_state st ON st.account_id = c.account_id AND st.mrr_end > 0
      ${account('c.account_id')} ${inSegment(s, 'c.account_id')})`,
  ];
}

/** Renewals due in the period with a decided outcome (`pending` is not part of renewal_rate). */
export function renewalsSql(s: DrillScope): string[] {
  return [
    segmentsCte(s.ctx),
    `drill_rows AS (
      SELECT r.account_id || ' ' || CAST(r.due_at AS VARCHAR) || ' ' || r.outcome || ' ' ||
          CAST(ROW_NUMBER() OVER (PARTITION BY r.account_id, r.due_at, r.outcome) AS VARCHAR) AS row_key,
        r.due_at AS sort_value, r.account_id, a.name AS account_name, a.segment, r.due_at, r.outcome
      FROM renewals r ${account('r.account_id')} ${inSegment(s, 'r.account_id')}
      WHERE r.due_at >= ${startOf(s)} AND r.due_at < ${endOf(s)} AND r.outcome IN ('renewed', 'churned'))`,
  ];
}

/** Expansion movements and one-time payments by accounts whose MRR just before paying was > 0. */
export function expansionRevenueSql(s: DrillScope): string[] {
  return [
    ...subscriptionCtes(s),
    `parts AS (
      SELECT 'expansion' AS source, m.account_id, m.effective_at AS at, CAST(NULL AS VARCHAR) AS reference,
        m.amount, 'e ' || CAST(m.effective_at AS VARCHAR) || ' ' || m.account_id AS row_key
      FROM period_moves m WHERE m.movement = 'expansion'
      UNION ALL
      SELECT 'one_time_payment', pay.account_id, pay.paid_at, pay.payment_id, pay.amount, 'p ' || pay.payment_id
      FROM payments pay
      JOIN mrr_movements m ON m.account_id = pay.account_id AND m.effective_at < pay.paid_at
        AND (m.next_at IS NULL OR m.next_at >= pay.paid_at) AND m.new_mrr > 0
      WHERE pay.kind = 'one_time' AND pay.paid_at >= ${startOf(s)} AND pay.paid_at < ${endOf(s)})`,
    `drill_rows AS (
      SELECT p.row_key, p.at AS sort_value, p.source, p.account_id, a.name AS account_name, a.segment, p.at,
        p.reference, p.amount
      FROM parts p ${account('p.account_id')} ${inSegment(s, 'p.account_id')})`,
  ];
}

/** Accounts created before the end, with their payments and attributed costs before the end. */
export function historySql(s: DrillScope): string[] {
  const end = endOf(s);
  return [
    segmentsCte(s.ctx),
    `paid AS (SELECT account_id, SUM(amount) AS amount FROM payments WHERE paid_at < ${end} GROUP BY account_id)`,
    `spent AS (
      SELECT account_id, SUM(amount) AS amount FROM costs
      WHERE incurred_at < ${end} AND account_id IS NOT NULL GROUP BY account_id)`,
    `money AS (
      SELECT a.account_id, a.name AS account_name, a.segment, a.created_at,
        COALESCE(p.amount, CAST(0 AS DECIMAL(18, 4))) AS payments,
        COALESCE(c.amount, CAST(0 AS DECIMAL(18, 4))) AS costs
      FROM accounts a LEFT JOIN paid p ON p.account_id = a.account_id LEFT JOIN spent c ON c.account_id = a.account_id
      ${inSegment(s, 'a.account_id')}
      WHERE a.created_at < ${end})`,
    `drill_rows AS (
      SELECT account_id AS row_key, payments - costs AS sort_value, account_id, account_name, segment, created_at,
        payments, costs, payments - costs AS net
      FROM money)`,
  ];
}

/** Acquisition costs incurred in the period (unattributed ones in the total only) and the new customers. */
export function acquisitionSql(s: DrillScope): string[] {
  return [
    ...subscriptionCtes(s),
    `parts AS (
      SELECT 'acquisition_cost' AS source, c.account_id, c.incurred_at AS at, c.amount,
        'c ' || CAST(c.incurred_at AS VARCHAR) || ' ' || COALESCE(c.account_id, '') || ' ' || CAST(c.amount AS VARCHAR)
          || ' ' || CAST(ROW_NUMBER() OVER (PARTITION BY c.account_id, c.incurred_at, c.amount) AS VARCHAR) AS row_key
      FROM costs c
      WHERE c.kind = 'acquisition' AND c.incurred_at >= ${startOf(s)} AND c.incurred_at < ${endOf(s)}
      UNION ALL
      SELECT 'new_customer', m.account_id, m.effective_at, CAST(NULL AS DECIMAL(18, 4)), 'n ' || m.account_id
      FROM period_moves m WHERE m.movement = 'new')`,
    `drill_rows AS (
      SELECT p.row_key, p.at AS sort_value, p.source, p.account_id, a.name AS account_name, a.segment, p.at, p.amount
      FROM parts p ${account('p.account_id')} ${inSegment(s, 'p.account_id')})`,
  ];
}

/**
 * Accounts created in the period with their first value event (at or after created_at). `window`: those whose
 * window has elapsed by as_of (ttfv_reached_pct); otherwise those that reached value by as_of (the median).
 */
export function ttfvSql(window: boolean) {
  return (s: DrillScope): string[] => {
    const { config, asOf } = s.ctx;
    const at = sqlTimestamp(asOf);
    const windowEnd = `a.created_at + ${days(config.ttfv_window_days)}`;
    const daysToValue = `CAST(${secondsBetween('r.first_value_at', 'a.created_at')} AS DOUBLE PRECISION) / 86400`;
    return [
      segmentsCte(s.ctx),
      `reached AS (
        SELECT account_id, MIN(first_at) AS first_value_at FROM account_first_events
        WHERE event IN (${config.value_events.map(sqlString).join(', ')}) GROUP BY account_id)`,
      `drill_rows AS (
        SELECT a.account_id AS row_key, ${window ? 'a.created_at' : daysToValue} AS sort_value, a.account_id,
          a.name AS account_name, a.segment, a.created_at, r.first_value_at,
          ${window ? `COALESCE(r.first_value_at <= ${windowEnd}, false) AS reached_in_window` : `${daysToValue} AS days_to_value`}
        FROM accounts a LEFT JOIN reached r ON r.account_id = a.account_id ${inSegment(s, 'a.account_id')}
        WHERE a.created_at >= ${startOf(s)} AND a.created_at < ${endOf(s)}
          AND ${window ? `${windowEnd} <= ${at}` : `r.first_value_at <= ${at}`})`,
    ];
  };
}

/** Per metric, the columns that show how an answer counts. */
const ANSWER_COLUMNS: Record<string, string> = {
  nps: `CASE WHEN r.score >= 9 THEN 'promoter' WHEN r.score >= 7 THEN 'passive' ELSE 'detractor' END AS category`,
  csat: 'r.score >= 4 AS satisfied',
  // KPI-SPEC §4: a 5-point answer s counts as 1 + (s − 1) × 6/4; high effort = above the scale's midpoint.
  ces: `r.scale, 1 + CAST(r.score - 1 AS DOUBLE PRECISION) * 6 / (r.scale - 1) AS score_7,
    r.score > (1 + r.scale) / 2.0 AS high_effort`,
  fcr: 'r.score = 1 AS resolved',
};

/** Customer answers of one metric submitted in the period (never employee answers: callers never ask for enps). */
export function answersSql(metric: 'nps' | 'csat' | 'ces' | 'fcr') {
  return (s: DrillScope): string[] => [
    segmentsCte(s.ctx),
    `drill_rows AS (
      SELECT r.response_id AS row_key, r.submitted_at AS sort_value, r.response_id, r.submitted_at, r.account_id,
        a.name AS account_name, a.segment, r.score, ${ANSWER_COLUMNS[metric]}, r.comment, r.locale
      FROM responses r ${account('r.account_id')} ${inSegment(s, 'r.account_id')}
      WHERE r.metric = ${sqlString(metric)} AND r.submitted_at >= ${startOf(s)} AND r.submitted_at < ${endOf(s)})`,
  ];
}

/** Tickets opened in the period and not abandoned, and whether each was resolved at the first contact. */
export function ticketsSql(s: DrillScope): string[] {
  return [
    segmentsCte(s.ctx),
    `drill_rows AS (
      SELECT t.ticket_id AS row_key, t.opened_at AS sort_value, t.ticket_id, t.opened_at, t.account_id,
        a.name AS account_name, a.segment, t.channel, t.contacts, t.resolved_at,
        t.resolved_at IS NOT NULL AND t.contacts = 1 AS first_contact
      FROM tickets t ${account('t.account_id')} ${inSegment(s, 't.account_id')}
      WHERE COALESCE(t.abandoned, false) = false
        AND t.opened_at >= ${startOf(s)} AND t.opened_at < ${endOf(s)})`,
  ];
}

/** Accounts active at the end with their health score, band and components; `atRisk` keeps the lowest band. */
export function healthSql(atRisk: boolean) {
  return (s: DrillScope): string[] => {
    const { healthy, at_risk_below } = s.ctx.config.health.bands;
    return [
      // healthScoresSql brings the periods and segments CTEs with it.
      healthScoresSql(s.ctx),
      `drill_rows AS (
        SELECT h.account_id AS row_key, h.score AS sort_value, h.account_id, a.name AS account_name, a.segment,
          h.score AS health_score,
          CASE WHEN h.score >= ${healthy} THEN 'healthy' WHEN h.score >= ${at_risk_below} THEN 'neutral'
               ELSE 'at_risk' END AS health_band,
          h.usage_trend, h.satisfaction, h.support_load, h.revenue_trend, h.pending_cancellation
        FROM scored h ${account('h.account_id')} ${inSegment(s, 'h.account_id')}
        WHERE h.idx = 0 ${atRisk ? `AND h.score < ${at_risk_below}` : ''})`,
    ];
  };
}
