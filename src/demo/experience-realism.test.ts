// Surveys, tickets, usage and the employee pulse behave like real feedback (checked on the generated CSV).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employeeHeadcount } from './employee-pulse.js';
import { type DemoFolder, demoFolder } from './test-kit.js';

const ACCOUNTS = 2000;
let demo: DemoFolder;
const one = async (sql: string) => Number(Object.values((await demo.query(sql))[0] ?? {})[0]);
/** Cancellations of accounts that had been paying for at least 300 days before asking. */
const SETTLED_CANCELLATIONS = `(SELECT c.account_id, c.requested_at AS req FROM demo_cancellations c
  WHERE (SELECT min(effective_at) FROM demo_mrr_changes m WHERE m.account_id = c.account_id)
        <= c.requested_at - INTERVAL 300 DAY)`;

beforeAll(async () => {
  demo = await demoFolder({ accounts: ACCOUNTS, seed: 4, endMonth: '2025-06' });
});
afterAll(() => demo.remove());

describe('customer surveys', () => {
  it('scores sink in the months before a cancellation', async () => {
    const leaving =
      await one(`SELECT avg(r.score) FROM demo_responses r JOIN demo_cancellations c USING (account_id)
      WHERE r.metric = 'nps' AND r.submitted_at BETWEEN c.requested_at - INTERVAL 180 DAY AND c.ends_at`);
    const staying = await one(`SELECT avg(score) FROM demo_responses WHERE metric = 'nps'
      AND account_id NOT IN (SELECT account_id FROM demo_cancellations)`);
    expect(staying - leaving).toBeGreaterThan(1);
  });

  it('keeps every score on its scale, with CES answers on both the 5- and the 7-point scale', async () => {
    const bad = await one(`SELECT count(*) FROM demo_responses WHERE
      (metric IN ('nps', 'enps') AND score NOT BETWEEN 0 AND 10) OR (metric = 'csat' AND score NOT BETWEEN 1 AND 5)
      OR (metric = 'fcr' AND score NOT IN (0, 1)) OR (metric = 'ces' AND (scale NOT IN (5, 7) OR score NOT BETWEEN 1 AND scale))`);
    expect(bad).toBe(0);
    expect(await one("SELECT count(DISTINCT scale) FROM demo_responses WHERE metric = 'ces'")).toBe(2);
  });

  it('answers in the language of the country, with comments in English, Italian, French and Malay', async () => {
    const rows = await demo.query<{ locale: string; comments: number; texts: number }>(`
      SELECT locale, count(comment) AS comments, count(DISTINCT comment) AS texts
      FROM demo_responses WHERE metric <> 'enps' GROUP BY locale ORDER BY locale`);
    expect(rows.map((r) => r.locale)).toEqual(['en', 'fr', 'it', 'ms']);
    for (const r of rows) expect(r.texts).toBeGreaterThan(5);
    const mismatched =
      await one(`SELECT count(*) FROM demo_responses r JOIN demo_accounts a USING (account_id)
      WHERE r.locale <> CASE a.country WHEN 'IT' THEN 'it' WHEN 'FR' THEN 'fr'
                                       WHEN 'MY' THEN r.locale ELSE 'en' END`);
    expect(mismatched).toBe(0);
    expect(await one(`SELECT count(*) FROM demo_responses WHERE comment LIKE '%"%'`)).toBeGreaterThan(0);
  });

  it('names respondents among the account’s own users', async () => {
    const strangers = await one(`SELECT count(*) FROM demo_responses WHERE account_id IS NOT NULL
      AND NOT starts_with(respondent_id, 'usr_' || substr(account_id, 5) || '_')`);
    expect(strangers).toBe(0);
  });
});

describe('support tickets', () => {
  it('resolves most tickets hours to days later, on the first contact more often than not', async () => {
    const t = (
      await demo.query<Record<string, number>>(`SELECT
        avg((resolved_at IS NOT NULL)::INT) AS resolved, avg(abandoned::INT) AS abandoned,
        avg((contacts = 1)::INT) AS first_contact, max(contacts) AS most_contacts,
        count(*) FILTER (WHERE resolved_at <= opened_at) AS backwards,
        count(*) FILTER (WHERE abandoned AND resolved_at IS NOT NULL) AS abandoned_resolved,
        count(DISTINCT channel) AS channels, avg((account_id IS NULL)::INT) AS anonymous
      FROM demo_tickets`)
    )[0]!;
    expect(t.resolved).toBeGreaterThan(0.85);
    expect(t.abandoned).toBeGreaterThan(0.01);
    expect(t.abandoned).toBeLessThan(0.08);
    expect(t.first_contact).toBeGreaterThan(0.55);
    expect(t.most_contacts).toBe(5);
    expect(t.backwards).toBe(0);
    expect(t.abandoned_resolved).toBe(0);
    expect(t.channels).toBe(3);
    expect(t.anonymous).toBeLessThan(0.05);
  });

  it('sees more tickets from an account in the four months before it cancels', async () => {
    const ratio = await one(`SELECT count(*) FILTER (WHERE t.opened_at >= c.req - INTERVAL 120 DAY)
        / count(*) FILTER (WHERE t.opened_at < c.req - INTERVAL 120 DAY)
      FROM ${SETTLED_CANCELLATIONS} c JOIN demo_tickets t USING (account_id)
      WHERE t.opened_at BETWEEN c.req - INTERVAL 240 DAY AND c.req`);
    expect(ratio).toBeGreaterThan(1.5);
  });
});

describe('product usage', () => {
  it('reaches the value event (report_created) within days to weeks for most accounts', async () => {
    const ttfv = await demo.query<{ reached: number; median_days: number }>(`
      SELECT count(first) / ${ACCOUNTS} AS reached, median(days) AS median_days FROM (
        SELECT min(u.occurred_at) AS first, date_diff('second', a.created_at, min(u.occurred_at)) / 86400 AS days
        FROM demo_accounts a JOIN demo_usage u USING (account_id)
        WHERE u.event = 'report_created' GROUP BY a.account_id, a.created_at)`);
    expect(ttfv[0]!.reached).toBeGreaterThan(0.6);
    expect(ttfv[0]!.median_days).toBeGreaterThan(1);
    expect(ttfv[0]!.median_days).toBeLessThan(14);
    const early = await one(`SELECT count(*) FROM demo_usage u JOIN demo_accounts a USING (account_id)
      WHERE u.occurred_at < a.created_at`);
    expect(early).toBe(0);
  });

  it('clusters a user’s events on active days', async () => {
    const perDay = await one(`SELECT avg(n) FROM (SELECT count(*) AS n FROM demo_usage
      GROUP BY account_id, user_id, CAST(occurred_at AS DATE))`);
    expect(perDay).toBeGreaterThan(2.5);
  });

  it('fades in the months before a cancellation', async () => {
    const ratio = await one(`SELECT count(*) FILTER (WHERE u.occurred_at >= c.req - INTERVAL 60 DAY)
        / count(*) FILTER (WHERE u.occurred_at < c.req - INTERVAL 180 DAY)
      FROM ${SETTLED_CANCELLATIONS} c JOIN demo_usage u USING (account_id)
      WHERE u.occurred_at BETWEEN c.req - INTERVAL 240 DAY AND c.req`);
    expect(ratio).toBeLessThan(0.7);
  });
});

describe('employee pulse', () => {
  it('asks a headcount that grows with the company but is capped, anonymously, by team', async () => {
    const monthly = await demo.query<{ answers: number; anonymous: number }>(`
      SELECT count(*) AS answers, count(*) - count(account_id) - count(respondent_id) + count(*) AS anonymous
      FROM demo_responses WHERE metric = 'enps' GROUP BY date_trunc('month', submitted_at) ORDER BY 1`);
    expect(monthly).toHaveLength(36);
    const cap = employeeHeadcount(ACCOUNTS) + 3;
    expect(Math.max(...monthly.map((m) => m.answers))).toBeLessThanOrEqual(cap);
    expect(monthly.every((m) => m.anonymous === 2 * m.answers)).toBe(true);
    expect(employeeHeadcount(1_000_000)).toBe(2000);
  });

  it('has a small team below the suppression threshold every month and bigger teams above it', async () => {
    const teams = await demo.query<{ team: string; most: number; least: number }>(`
      SELECT team, max(n) AS most, min(n) AS least FROM (SELECT team, count(*) AS n FROM demo_responses
        WHERE metric = 'enps' GROUP BY team, date_trunc('month', submitted_at)) GROUP BY team`);
    const by = Object.fromEntries(teams.map((t) => [t.team, t]));
    expect(by.legal!.most).toBeLessThan(5);
    expect(by.engineering!.least).toBeGreaterThanOrEqual(5);
  });
});
