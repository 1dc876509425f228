// The money side of the demo behaves like a subscription business (checked on the generated CSV with SQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoFolder, demoFolder } from './test-kit.js';

const HORIZON = "TIMESTAMPTZ '2025-07-01 00:00:00Z'";
let demo: DemoFolder;
const one = async (sql: string) => Number(Object.values((await demo.query(sql))[0] ?? {})[0]);

beforeAll(async () => {
  demo = await demoFolder({ accounts: 2000, seed: 3, endMonth: '2025-06' });
});
afterAll(() => demo.remove());

describe('subscriptions', () => {
  it('churns exactly at the end of the paid term of a cancellation, and every ended term churns', async () => {
    const churnWithoutCancellation = await one(`SELECT count(*) FROM demo_mrr_changes m WHERE m.mrr = 0
      AND NOT EXISTS (SELECT 1 FROM demo_cancellations c
                      WHERE c.account_id = m.account_id AND c.ends_at = m.effective_at)`);
    const endedWithoutChurn =
      await one(`SELECT count(*) FROM demo_cancellations c WHERE c.ends_at < ${HORIZON}
      AND NOT EXISTS (SELECT 1 FROM demo_mrr_changes m
                      WHERE m.account_id = c.account_id AND m.effective_at = c.ends_at AND m.mrr = 0)`);
    expect(await one('SELECT count(*) FROM demo_mrr_changes WHERE mrr = 0')).toBeGreaterThan(50);
    expect(churnWithoutCancellation).toBe(0);
    expect(endedWithoutChurn).toBe(0);
  });

  it('gives notice one to three months ahead', async () => {
    const days = await demo.query<{ min: number; max: number }>(`SELECT
      min(date_diff('second', requested_at, ends_at)) / 86400 AS min,
      max(date_diff('second', requested_at, ends_at)) / 86400 AS max FROM demo_cancellations`);
    expect(days[0]!.min).toBeGreaterThanOrEqual(28);
    expect(days[0]!.max).toBeLessThanOrEqual(92);
  });

  it('leaves some cancellations pending at the end, from customers still paying', async () => {
    const pending = await demo.query<{ mrr: number }>(`SELECT last(m.mrr ORDER BY m.effective_at) AS mrr
      FROM demo_cancellations c JOIN demo_mrr_changes m USING (account_id)
      WHERE c.ends_at >= ${HORIZON} GROUP BY c.account_id`);
    expect(pending.length).toBeGreaterThan(5);
    expect(pending.every((p) => p.mrr > 0)).toBe(true);
  });

  it('has expansions, contractions and reactivations, some exactly at 00:00Z on the 1st', async () => {
    const moves = await demo.query<{ kind: string; n: number; on_first: number }>(`
      SELECT CASE WHEN old = 0 AND mrr > 0 AND was_active THEN 'reactivation'
                  WHEN old > 0 AND mrr > old THEN 'expansion'
                  WHEN old > 0 AND mrr > 0 AND mrr < old THEN 'contraction'
                  WHEN old > 0 AND mrr = 0 THEN 'churn' ELSE 'new' END AS kind,
             count(*) AS n,
             count(*) FILTER (WHERE strftime(effective_at AT TIME ZONE 'UTC', '%d %H:%M:%S') = '01 00:00:00') AS on_first
      FROM (SELECT *, coalesce(lag(mrr) OVER w, 0) AS old,
                   coalesce(max(mrr) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) > 0 AS was_active
            FROM demo_mrr_changes WINDOW w AS (PARTITION BY account_id ORDER BY effective_at))
      GROUP BY kind`);
    const by = Object.fromEntries(moves.map((m) => [m.kind, m]));
    expect(by.expansion!.n).toBeGreaterThan(by.contraction!.n);
    expect(by.contraction!.n).toBeGreaterThan(100);
    expect(by.reactivation!.n).toBeGreaterThan(3);
    expect(by.churn!.on_first).toBeGreaterThan(0);
    expect(by.new!.on_first).toBeGreaterThan(0);
  });

  it('makes most accounts paying customers, some never past their trial', async () => {
    const trialOnly = await one(`SELECT count(*) FILTER (WHERE account_id NOT IN
      (SELECT account_id FROM demo_mrr_changes)) / count(*) FROM demo_accounts`);
    expect(trialOnly).toBeGreaterThan(0.05);
    expect(trialOnly).toBeLessThan(0.3);
  });

  it('renews annual contracts, with pending outcomes only for terms due after the data', async () => {
    const rows = await demo.query<{ outcome: string; n: number; late: number; churn_mismatch: number }>(`
      SELECT outcome, count(*) AS n, count(*) FILTER (WHERE due_at >= ${HORIZON}) AS late,
        count(*) FILTER (WHERE outcome = 'churned' AND NOT EXISTS (SELECT 1 FROM demo_mrr_changes m
          WHERE m.account_id = r.account_id AND m.effective_at = r.due_at AND m.mrr = 0)) AS churn_mismatch
      FROM demo_renewals r GROUP BY outcome`);
    const by = Object.fromEntries(rows.map((r) => [r.outcome, r]));
    expect(by.renewed!.n).toBeGreaterThan(by.churned!.n);
    expect(by.churned!.churn_mismatch).toBe(0);
    expect(by.pending!.late).toBe(by.pending!.n);
    expect(by.renewed!.late + by.churned!.late).toBe(0);
  });
});

describe('accounts', () => {
  it('mixes segments about 70/22/8, each account with a plan attribute', async () => {
    const mix = await demo.query<{ segment: string; share: number }>(
      'SELECT segment, count(*) / 2000 AS share FROM demo_accounts GROUP BY segment',
    );
    const share = Object.fromEntries(mix.map((m) => [m.segment, m.share]));
    expect(share.smb).toBeCloseTo(0.7, 1);
    expect(share.mid_market).toBeCloseTo(0.22, 1);
    expect(share.enterprise).toBeCloseTo(0.08, 1);
    expect(await one("SELECT count(*) FROM demo_accounts WHERE plan IN ('starter', 'growth', 'scale')")).toBe(
      2000,
    );
  });

  it('signs up more accounts each year, fewer in August and December', async () => {
    const years = await demo.query<{ n: number }>(`SELECT count(*) AS n FROM demo_accounts
      GROUP BY floor(date_diff('month', TIMESTAMPTZ '2022-07-01 00:00:00Z', created_at) / 12) ORDER BY 1`);
    expect(years.map((y) => y.n)).toEqual([...years.map((y) => y.n)].sort((a, b) => a - b));
    const quiet =
      await one(`SELECT avg(n) FILTER (WHERE m IN (8, 12)) / avg(n) FILTER (WHERE m NOT IN (8, 12))
      FROM (SELECT month(created_at) AS m, count(*) AS n FROM demo_accounts GROUP BY m)`);
    expect(quiet).toBeLessThan(0.8);
  });
});

describe('money', () => {
  it('charges the MRR in effect on every recurring payment, in cents', async () => {
    const wrong = await one(`SELECT count(*) FROM demo_payments p ASOF LEFT JOIN demo_mrr_changes m
      ON p.account_id = m.account_id AND p.paid_at >= m.effective_at
      WHERE p.kind = 'recurring' AND (m.mrr IS NULL OR m.mrr = 0 OR abs(p.amount - m.mrr) > 0.001)`);
    expect(wrong).toBe(0);
    expect(await one("SELECT count(*) FROM demo_payments WHERE kind = 'one_time'")).toBeGreaterThan(10);
    const fractional = await one(`SELECT count(*) FROM (SELECT amount FROM demo_payments UNION ALL
      SELECT mrr FROM demo_mrr_changes UNION ALL SELECT amount FROM demo_costs) WHERE abs(amount * 100 - round(amount * 100)) > 1e-6`);
    expect(fractional).toBe(0);
  });

  it('books acquisition costs per new customer and unattributed campaign spend', async () => {
    const costs = await demo.query<{ kind: string; attributed: number; unattributed: number }>(`
      SELECT kind, count(account_id) AS attributed, count(*) - count(account_id) AS unattributed
      FROM demo_costs GROUP BY kind`);
    const by = Object.fromEntries(costs.map((c) => [c.kind, c]));
    expect(by.acquisition!.attributed).toBeGreaterThan(100);
    expect(by.acquisition!.unattributed).toBeGreaterThanOrEqual(36 * 2);
    expect(by.service!.attributed).toBeGreaterThan(10);
    expect(by.service!.unattributed).toBe(0);
  });
});
