// Support KPI (KPI-SPEC §4): first contact resolution from tickets.
import type { Kpi } from './kpi.js';
import { pct } from './kpi.js';
import { grouping, periodOf, periodsCte, type QueryContext, segmentsCte } from './query-context.js';
import { type FlowSource, num } from './source.js';

export const SUPPORT_KPIS: readonly Kpi[] = [
  {
    id: 'fcr',
    family: 'support',
    label: 'First contact resolution',
    unit: 'percent',
    better: 'higher',
    formula:
      'tickets opened in the period, not abandoned, resolved with 1 contact ÷ those not abandoned × 100',
    finalize: (a) => pct(a.tickets.firstContact, a.tickets.counted),
  },
];

export const ticketsSource: FlowSource = {
  kind: 'flow',
  name: 'tickets',
  sql: (ctx: QueryContext) => {
    const g = grouping(ctx);
    const kept = 'COALESCE(t.abandoned, false) = false';
    return `WITH ${periodsCte(ctx)}, ${segmentsCte(ctx)}
    SELECT ${g.select},
      SUM(CASE WHEN ${kept} THEN 1 ELSE 0 END) AS counted,
      SUM(CASE WHEN ${kept} AND t.resolved_at IS NOT NULL AND t.contacts = 1 THEN 1 ELSE 0 END) AS first_contact
    FROM tickets t LEFT JOIN segments sg ON sg.account_id = t.account_id
    ${periodOf(ctx, 't.opened_at')}
    GROUP BY ${g.groupBy}`;
  },
  apply: (target, row) => {
    target.tickets.counted += num(row.counted);
    target.tickets.firstContact += num(row.first_contact);
  },
};
