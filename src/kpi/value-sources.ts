// The aggregates behind the value KPIs: money to date, acquisition costs, and time to first value.
import { sqlString, sqlTimestamp } from '../store/store.js';
import {
  days,
  grouping,
  periodOf,
  periodsCte,
  type QueryContext,
  secondsBetween,
  segmentsCte,
} from './query-context.js';
import { type CumulativeSource, type FlowSource, num } from './source.js';

/**
 * Accounts created, payments and attributed costs, each placed at max(created_at, its own time), so that the
 * running sums at a period's end cover exactly "accounts created before end, money before end".
 */
export const historySource: CumulativeSource = {
  kind: 'cumulative',
  name: 'historical value',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    return `WITH ${periodsCte(ctx, { prefix: true })}, ${segmentsCte(ctx)},
    money(account_id, happened_at, accounts, payments, costs) AS (
      SELECT account_id, created_at, 1, CAST(0 AS DOUBLE PRECISION), CAST(0 AS DOUBLE PRECISION) FROM accounts
      UNION ALL
      SELECT pay.account_id, GREATEST(a.created_at, pay.paid_at), 0, pay.amount, 0
      FROM payments pay JOIN accounts a ON a.account_id = pay.account_id
      UNION ALL
      SELECT c.account_id, GREATEST(a.created_at, c.incurred_at), 0, 0, c.amount
      FROM costs c JOIN accounts a ON a.account_id = c.account_id)
    SELECT ${g.select}, SUM(e.accounts) AS accounts, SUM(e.payments) AS payments, SUM(e.costs) AS costs
    FROM money e LEFT JOIN segments sg ON sg.account_id = e.account_id
    ${periodOf(ctx, 'e.happened_at', { prefix: true })}
    GROUP BY ${g.groupBy}`;
  },
  apply: (series, before, rows) => {
    let accounts = num(before?.accounts);
    let payments = num(before?.payments);
    let costs = num(before?.costs);
    series.forEach((target, i) => {
      accounts += num(rows[i]?.accounts);
      payments += num(rows[i]?.payments);
      costs += num(rows[i]?.costs);
      target.history = { accounts, payments, costs };
    });
  },
};

/** Acquisition costs incurred in the period; costs without an account count in total rows only (KPI-SPEC §5). */
export const acquisitionCostSource: FlowSource = {
  kind: 'flow',
  name: 'acquisition costs',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    return `WITH ${periodsCte(ctx)}, ${segmentsCte(ctx)}
    SELECT ${g.select}, SUM(c.amount) AS amount
    FROM costs c LEFT JOIN segments sg ON sg.account_id = c.account_id
    ${periodOf(ctx, 'c.incurred_at')}
    WHERE c.kind = 'acquisition'
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    target.acquisitionCosts += num(row.amount);
  },
};

/** Accounts created in the period: days to their first value event, and who reached value within the window. */
export const ttfvSource: FlowSource = {
  kind: 'flow',
  name: 'time to first value',
  sql: (ctx: QueryContext) => {
    const events = ctx.config.value_events;
    if (events.length === 0) return null;
    const g = grouping(ctx);
    const asOf = sqlTimestamp(ctx.asOf);
    const windowEnd = `a.created_at + ${days(ctx.config.ttfv_window_days)}`;
    const daysToValue = `CAST(${secondsBetween('r.first_value_at', 'a.created_at')} AS DOUBLE PRECISION) / 86400`;
    return `WITH ${periodsCte(ctx)}, ${segmentsCte(ctx)},
    reached AS (
      SELECT account_id, MIN(first_at) AS first_value_at FROM account_first_events
      WHERE event IN (${events.map(sqlString).join(', ')}) GROUP BY account_id)
    SELECT ${g.select},
      ${ctx.dialect.sortedList(daysToValue)} FILTER (WHERE r.first_value_at <= ${asOf}) AS days_to_value,
      SUM(CASE WHEN ${windowEnd} <= ${asOf} THEN 1 ELSE 0 END) AS eligible,
      SUM(CASE WHEN ${windowEnd} <= ${asOf} AND r.first_value_at <= ${windowEnd} THEN 1 ELSE 0 END) AS reached
    FROM accounts a LEFT JOIN segments sg ON sg.account_id = a.account_id
    ${periodOf(ctx, 'a.created_at')}
    LEFT JOIN reached r ON r.account_id = a.account_id
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    if (!target.ttfv) return;
    const values = (row.days_to_value as number[] | null) ?? [];
    target.ttfv.sortedDays = [...target.ttfv.sortedDays, ...values].sort((x, y) => x - y);
    target.ttfv.eligible += num(row.eligible);
    target.ttfv.reachedInWindow += num(row.reached);
  },
};
