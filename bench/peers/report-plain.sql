-- Plain-SQL peer: the KPIs shared with the pandas peer (KPI-SPEC §3-§4) per month and segment, from raw tables.
-- One straightforward DuckDB query over the raw tables of a Fidelio store (no rollups): movements by window
-- functions over mrr_changes, balances as running sums of per-month deltas. Parameters, set with
-- SET VARIABLE: report_from, report_to (TIMESTAMP, first days of months). Rows: one per month with
-- segment NULL (the total), then one per (month, segment) for every non-null segment value.
WITH
periods AS (
  SELECT range AS p_start, range + INTERVAL 1 MONTH AS p_end
  FROM range(getvariable('report_from'), getvariable('report_to'), INTERVAL 1 MONTH)
),
-- Rows without an account (or whose account has no segment) count only in the total (§5).
frame AS (
  SELECT p_start, p_end, NULL::VARCHAR AS segment, 1 AS is_total FROM periods
  UNION ALL
  SELECT p_start, p_end, segment, 0 FROM periods
  CROSS JOIN (SELECT DISTINCT segment FROM accounts WHERE segment IS NOT NULL)
),
-- §3: each change against the account's previous state; "active before" = some earlier change had mrr > 0.
changes AS (
  SELECT c.account_id, a.segment, c.effective_at, date_trunc('month', c.effective_at) AS month, c.mrr AS new_mrr,
    COALESCE(LAG(c.mrr) OVER (PARTITION BY c.account_id ORDER BY c.effective_at), 0) AS old_mrr,
    COALESCE(max(c.mrr) OVER (PARTITION BY c.account_id ORDER BY c.effective_at
                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS was_active
  FROM mrr_changes c JOIN accounts a USING (account_id)
),
-- An account's MRR only moves in months with a change: its state before the first and after the last one.
account_months AS (
  SELECT account_id, segment, month,
    arg_min(old_mrr, effective_at) AS mrr_before, arg_max(new_mrr, effective_at) AS mrr_after
  FROM changes GROUP BY account_id, segment, month
),
month_deltas AS (
  SELECT month, segment, GROUPING(segment) AS is_total,
    sum(mrr_after - mrr_before) AS d_mrr,
    sum(CAST(mrr_after > 0 AS INTEGER) - CAST(mrr_before > 0 AS INTEGER)) AS d_active,
    count(*) FILTER (WHERE mrr_before = 0 AND mrr_after > 0) AS n,
    sum(mrr_after - mrr_before) FILTER (WHERE mrr_before > 0) AS d_retained,
    sum(least(mrr_before, mrr_after) - mrr_before) FILTER (WHERE mrr_before > 0) AS d_kept
  FROM account_months
  GROUP BY GROUPING SETS ((month), (month, segment))
),
-- Balances at a boundary are running sums of the deltas of the months before it (MRR_a(t): changes < t).
balances AS (
  SELECT f.p_start, f.segment, f.is_total,
    COALESCE(sum(d.d_mrr), 0) AS mrr,
    COALESCE(sum(d.d_active), 0) AS e,
    COALESCE(sum(d.d_active) FILTER (WHERE d.month < f.p_start), 0) AS s,
    COALESCE(sum(d.n) FILTER (WHERE d.month = f.p_start), 0) AS n,
    sum(d.d_mrr) FILTER (WHERE d.month < f.p_start) AS s_start,
    sum(d.d_mrr) FILTER (WHERE d.month < f.p_start) + COALESCE(sum(d.d_retained) FILTER (WHERE d.month = f.p_start), 0) AS s_end,
    sum(d.d_mrr) FILTER (WHERE d.month < f.p_start) + COALESCE(sum(d.d_kept) FILTER (WHERE d.month = f.p_start), 0) AS s_kept
  FROM frame f
  LEFT JOIN month_deltas d ON d.month < f.p_end AND d.is_total = f.is_total AND d.segment IS NOT DISTINCT FROM f.segment
  GROUP BY f.p_start, f.segment, f.is_total
),
classified AS (
  SELECT account_id, segment, month AS p_start,
    CASE WHEN old_mrr = 0 AND new_mrr > 0 AND NOT was_active THEN 'new'
         WHEN old_mrr = 0 AND new_mrr > 0 THEN 'reactivation'
         WHEN old_mrr > 0 AND new_mrr > old_mrr THEN 'expansion'
         WHEN old_mrr > 0 AND new_mrr > 0 AND new_mrr < old_mrr THEN 'contraction'
         WHEN old_mrr > 0 AND new_mrr = 0 THEN 'churn'
         ELSE 'none' END AS kind,
    abs(new_mrr - old_mrr) AS delta
  FROM changes
  WHERE effective_at >= getvariable('report_from') AND effective_at < getvariable('report_to')
),
moves AS (
  SELECT p_start, segment, GROUPING(segment) AS is_total,
    sum(delta) FILTER (WHERE kind = 'new') AS new_mrr,
    sum(delta) FILTER (WHERE kind = 'reactivation') AS reactivation_mrr,
    sum(delta) FILTER (WHERE kind = 'expansion') AS expansion_mrr,
    sum(delta) FILTER (WHERE kind = 'contraction') AS contraction_mrr,
    sum(delta) FILTER (WHERE kind = 'churn') AS churned_mrr,
    count(DISTINCT account_id) FILTER (WHERE kind = 'new') AS new_customers,
    count(DISTINCT account_id) FILTER (WHERE kind = 'reactivation') AS reactivated_customers,
    count(DISTINCT account_id) FILTER (WHERE kind = 'churn') AS churned_customers
  FROM classified
  GROUP BY GROUPING SETS ((p_start), (p_start, segment))
),
-- §4: a 5-point ces answer s counts as 1 + (s - 1) * 6/4; high effort is above the answer's own midpoint.
answers AS (
  SELECT date_trunc('month', r.submitted_at) AS p_start, a.segment, GROUPING(a.segment) AS is_total,
    count(*) FILTER (WHERE metric = 'nps') AS nps_responses,
    count(*) FILTER (WHERE metric = 'nps' AND score >= 9) AS promoters,
    count(*) FILTER (WHERE metric = 'nps' AND score <= 6) AS detractors,
    count(*) FILTER (WHERE metric = 'csat') AS csat_n,
    count(*) FILTER (WHERE metric = 'csat' AND score >= 4) AS csat_happy,
    avg(score) FILTER (WHERE metric = 'csat') AS csat_mean,
    avg(CASE WHEN scale = 5 THEN 1 + (score - 1) * 1.5 ELSE score END) FILTER (WHERE metric = 'ces') AS ces,
    count(*) FILTER (WHERE metric = 'ces') AS ces_n,
    count(*) FILTER (WHERE metric = 'ces' AND score >= CASE WHEN scale = 5 THEN 4 ELSE 5 END) AS ces_high,
    count(*) FILTER (WHERE metric = 'fcr') AS fcr_answers,
    count(*) FILTER (WHERE metric = 'fcr' AND score = 1) AS fcr_yes
  FROM responses r LEFT JOIN accounts a USING (account_id)
  WHERE r.submitted_at >= getvariable('report_from') AND r.submitted_at < getvariable('report_to')
  GROUP BY GROUPING SETS ((p_start), (p_start, a.segment))
),
support AS (
  SELECT date_trunc('month', t.opened_at) AS p_start, a.segment, GROUPING(a.segment) AS is_total,
    count(*) FILTER (WHERE NOT COALESCE(abandoned, false)) AS tickets,
    count(*) FILTER (WHERE NOT COALESCE(abandoned, false) AND resolved_at IS NOT NULL AND contacts = 1) AS first_contact
  FROM tickets t LEFT JOIN accounts a USING (account_id)
  WHERE t.opened_at >= getvariable('report_from') AND t.opened_at < getvariable('report_to')
  GROUP BY GROUPING SETS ((p_start), (p_start, a.segment))
),
renewal_outcomes AS (
  SELECT date_trunc('month', r.due_at) AS p_start, a.segment, GROUPING(a.segment) AS is_total,
    count(*) FILTER (WHERE outcome = 'renewed') AS renewed,
    count(*) FILTER (WHERE outcome IN ('renewed', 'churned')) AS decided
  FROM renewals r JOIN accounts a USING (account_id)
  WHERE r.due_at >= getvariable('report_from') AND r.due_at < getvariable('report_to')
  GROUP BY GROUPING SETS ((p_start), (p_start, a.segment))
)

SELECT f.p_start AS "start", f.p_end AS "end", f.segment,
  COALESCE(b.mrr, 0) AS mrr,
  COALESCE(b.e, 0) AS active_customers,
  b.mrr / NULLIF(b.e, 0) AS arpa,
  COALESCE(m.new_mrr, 0) AS new_mrr,
  COALESCE(m.reactivation_mrr, 0) AS reactivation_mrr,
  COALESCE(m.expansion_mrr, 0) AS expansion_mrr,
  COALESCE(m.contraction_mrr, 0) AS contraction_mrr,
  COALESCE(m.churned_mrr, 0) AS churned_mrr,
  COALESCE(m.new_mrr, 0) + COALESCE(m.reactivation_mrr, 0) + COALESCE(m.expansion_mrr, 0)
    - COALESCE(m.contraction_mrr, 0) - COALESCE(m.churned_mrr, 0) AS net_new_mrr,
  100.0 * b.s_end / NULLIF(b.s_start, 0) AS nrr,
  100.0 * b.s_kept / NULLIF(b.s_start, 0) AS grr,
  100.0 * (b.e - b.n) / NULLIF(b.s, 0) AS crr,
  100.0 * COALESCE(m.churned_customers, 0) / NULLIF(b.s, 0) AS churn_rate,
  COALESCE(m.new_customers, 0) AS new_customers,
  COALESCE(m.reactivated_customers, 0) AS reactivated_customers,
  COALESCE(m.churned_customers, 0) AS churned_customers,
  100.0 * o.renewed / NULLIF(o.decided, 0) AS renewal_rate,
  100.0 * (q.promoters - q.detractors) / NULLIF(q.nps_responses, 0) AS nps,
  COALESCE(q.nps_responses, 0) AS nps_responses,
  100.0 * q.csat_happy / NULLIF(q.csat_n, 0) AS csat,
  q.csat_mean,
  q.ces,
  100.0 * q.ces_high / NULLIF(q.ces_n, 0) AS ces_high_effort_pct,
  100.0 * t.first_contact / NULLIF(t.tickets, 0) AS fcr,
  100.0 * q.fcr_yes / NULLIF(q.fcr_answers, 0) AS fcr_perceived
FROM frame f
LEFT JOIN balances b ON b.p_start = f.p_start AND b.is_total = f.is_total AND b.segment IS NOT DISTINCT FROM f.segment
LEFT JOIN moves m ON m.p_start = f.p_start AND m.is_total = f.is_total AND m.segment IS NOT DISTINCT FROM f.segment
LEFT JOIN answers q ON q.p_start = f.p_start AND q.is_total = f.is_total AND q.segment IS NOT DISTINCT FROM f.segment
LEFT JOIN support t ON t.p_start = f.p_start AND t.is_total = f.is_total AND t.segment IS NOT DISTINCT FROM f.segment
LEFT JOIN renewal_outcomes o ON o.p_start = f.p_start AND o.is_total = f.is_total AND o.segment IS NOT DISTINCT FROM f.segment
ORDER BY f.p_start, f.is_total DESC, f.segment
