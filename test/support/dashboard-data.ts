// Test helper: a small hand-made workspace for the dashboard data routes, loaded through the API.
//
// | account | segment | created    | MRR changes (2026 unless said)                                      |
// |---------|---------|------------|---------------------------------------------------------------------|
// | a9      | smb     | 2025-11-20 | 40 @2025-12-05                                                      |
// | a1      | smb     | 2025-12-01 | 100 @2025-12-01, 150 @01-15, 120 @02-10, 0 @03-01T00:00Z            |
// | a2      | ent     | 2025-12-10 | 300 @2025-12-10, 0 @01-31, 200 @03-10                               |
// | a3      | smb     | 2026-01-05 | 50 @01-05, 80 @01-25, 80 @02-01 (no movement)                       |
// | a4      | ent     | 2026-01-20 | 400 @01-20, 0 @02-05, 100 @02-20, 150 @03-20                        |
// | a5      | smb     | 2026-02-03 | 60 @02-03, 0 @02-25 (joins and leaves within February)              |
// | a6      | (none)  | 2026-02-10 | 90 @02-10, 70 @03-05                                                |
// | a7      | ent     | 2026-03-02 | 500 @03-02                                                          |
// | a8      | smb     | 2026-03-15 | none                                                                |
//
// Cancellations: a1 asks 02-15, ends 03-01; a6 asks 02-20, ends 04-15; a3 asks 03-10, ends 03-20.
// Renewals: a1 01-15 renewed, a2 01-31 churned, a3 02-05 renewed, a4 02-05 pending, a6 03-15 renewed,
// a7 03-25 churned. One-time payments: a1 01-20 250 (active: counts), a5 02-01 40 (not yet active),
// a4 02-10 30 (churned), a3 03-03 70 (counts), a2 03-10 55 (its reactivation is at the same instant, so
// it was not active just before). Costs: acquisition a3 01-03 200, a4 01-18 300, none 01-31 500,
// a5 02-01 150, a7 03-01 400, none 03-15 100; service a1 02-10 80. Value event "activated": a1
// 2025-12-02, a3 01-06, a4 01-25T12:00Z, a5 03-10 (after its 30-day window), a7 03-04.
// as_of = the latest instant in the data = ticket t7, 2026-03-28T10:00Z.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export const AS_OF = '2026-03-28T10:00:00.000Z';

async function post(
  app: FastifyInstance,
  headers: Record<string, string>,
  resource: string,
  rows: unknown[],
) {
  const response = await app.inject({ method: 'POST', url: `/api/v1/${resource}`, headers, payload: rows });
  expect(response.statusCode, response.body).toBe(200);
}

const answer = (response_id: string, submitted_at: string, metric: string, score: number, more = {}) => ({
  response_id,
  submitted_at,
  metric,
  score,
  ...more,
});

export async function loadDashboardData(
  app: FastifyInstance,
  headers: Record<string, string>,
): Promise<void> {
  const account = (account_id: string, created_at: string, segment?: string) => ({
    account_id,
    created_at,
    name: account_id === 'a4' ? '=HYPERLINK("http://x")' : `Account ${account_id}`,
    ...(segment ? { segment } : {}),
  });
  await post(app, headers, 'accounts', [
    account('a9', '2025-11-20', 'smb'),
    account('a1', '2025-12-01', 'smb'),
    account('a2', '2025-12-10', 'ent'),
    account('a3', '2026-01-05', 'smb'),
    account('a4', '2026-01-20', 'ent'),
    account('a5', '2026-02-03', 'smb'),
    account('a6', '2026-02-10'),
    account('a7', '2026-03-02', 'ent'),
    account('a8', '2026-03-15', 'smb'),
  ]);
  const changes: [string, string, number][] = [
    ['a9', '2025-12-05', 40],
    ['a1', '2025-12-01', 100],
    ['a1', '2026-01-15', 150],
    ['a1', '2026-02-10', 120],
    ['a1', '2026-03-01T00:00:00Z', 0],
    ['a2', '2025-12-10', 300],
    ['a2', '2026-01-31', 0],
    ['a2', '2026-03-10', 200],
    ['a3', '2026-01-05', 50],
    ['a3', '2026-01-25', 80],
    ['a3', '2026-02-01', 80],
    ['a4', '2026-01-20', 400],
    ['a4', '2026-02-05', 0],
    ['a4', '2026-02-20', 100],
    ['a4', '2026-03-20', 150],
    ['a5', '2026-02-03', 60],
    ['a5', '2026-02-25', 0],
    ['a6', '2026-02-10', 90],
    ['a6', '2026-03-05', 70],
    ['a7', '2026-03-02', 500],
  ];
  await post(
    app,
    headers,
    'mrr-changes',
    changes.map(([account_id, effective_at, mrr]) => ({ account_id, effective_at, mrr })),
  );
  await post(app, headers, 'cancellations', [
    { account_id: 'a1', requested_at: '2026-02-15', ends_at: '2026-03-01' },
    { account_id: 'a6', requested_at: '2026-02-20', ends_at: '2026-04-15' },
    { account_id: 'a3', requested_at: '2026-03-10', ends_at: '2026-03-20' },
  ]);
  await post(app, headers, 'renewals', [
    { account_id: 'a1', due_at: '2026-01-15', outcome: 'renewed' },
    { account_id: 'a2', due_at: '2026-01-31', outcome: 'churned' },
    { account_id: 'a3', due_at: '2026-02-05', outcome: 'renewed' },
    { account_id: 'a4', due_at: '2026-02-05', outcome: 'pending' },
    { account_id: 'a6', due_at: '2026-03-15', outcome: 'renewed' },
    { account_id: 'a7', due_at: '2026-03-25', outcome: 'churned' },
  ]);
  const payment = (
    payment_id: string,
    account_id: string,
    paid_at: string,
    amount: number,
    kind: string,
  ) => ({
    payment_id,
    account_id,
    paid_at,
    amount,
    kind,
  });
  await post(app, headers, 'payments', [
    payment('p1', 'a1', '2026-01-02', 100, 'recurring'),
    payment('p2', 'a1', '2026-01-20', 250, 'one_time'),
    payment('p3', 'a5', '2026-02-01', 40, 'one_time'),
    payment('p4', 'a4', '2026-02-10', 30, 'one_time'),
    payment('p5', 'a3', '2026-03-03', 70, 'one_time'),
    payment('p6', 'a7', '2026-03-02', 500, 'recurring'),
    payment('p7', 'a2', '2026-03-10', 55, 'one_time'),
  ]);
  const cost = (account_id: string | null, incurred_at: string, amount: number, kind = 'acquisition') => ({
    account_id,
    incurred_at,
    amount,
    kind,
  });
  await post(app, headers, 'costs', [
    cost('a3', '2026-01-03', 200),
    cost('a4', '2026-01-18', 300),
    cost(null, '2026-01-31', 500),
    cost('a5', '2026-02-01', 150),
    cost('a7', '2026-03-01', 400),
    cost(null, '2026-03-15', 100),
    cost('a1', '2026-02-10', 80, 'service'),
  ]);
  await post(app, headers, 'usage', [
    { account_id: 'a1', occurred_at: '2025-12-02T09:00:00Z', event: 'activated' },
    { account_id: 'a3', occurred_at: '2026-01-06T09:00:00Z', event: 'activated' },
    { account_id: 'a4', occurred_at: '2026-01-21T09:00:00Z', event: 'login' },
    { account_id: 'a4', occurred_at: '2026-01-25T12:00:00Z', event: 'activated' },
    { account_id: 'a5', occurred_at: '2026-03-10T09:00:00Z', event: 'activated' },
    { account_id: 'a6', occurred_at: '2026-03-11T09:00:00Z', event: 'login' },
    { account_id: 'a7', occurred_at: '2026-03-04T09:00:00Z', event: 'activated' },
  ]);
  await post(app, headers, 'responses', [
    answer('n1', '2026-01-10', 'nps', 10, { account_id: 'a1', comment: 'Love it' }),
    answer('n2', '2026-01-12', 'nps', 6, { account_id: 'a3' }),
    answer('n3', '2026-01-20', 'nps', 9),
    answer('n4', '2026-02-03', 'nps', 3, { account_id: 'a4', comment: '=HYPERLINK("http://evil")' }),
    answer('n5', '2026-02-15', 'nps', 8, { account_id: 'a6' }),
    answer('n6', '2026-02-20', 'nps', 9, { account_id: 'a5' }),
    answer('n7', '2026-03-05', 'nps', 10, { account_id: 'a7' }),
    answer('n8', '2026-03-12', 'nps', 0, { account_id: 'a2', comment: 'Too slow' }),
    answer('n9', '2026-03-25', 'nps', 7, { account_id: 'a1' }),
    answer('c1', '2026-01-10', 'csat', 5, { account_id: 'a1' }),
    answer('c2', '2026-02-10', 'csat', 3, { account_id: 'a3' }),
    answer('c3', '2026-02-11', 'csat', 4, { account_id: 'a4' }),
    answer('c4', '2026-03-10', 'csat', 2, { account_id: 'a7' }),
    answer('e1', '2026-01-15', 'ces', 5, { account_id: 'a3', scale: 5 }),
    answer('e2', '2026-03-05', 'ces', 5, { account_id: 'a7' }),
    answer('e3', '2026-03-06', 'ces', 2, { account_id: 'a6', scale: 5 }),
    answer('e4', '2026-02-05', 'ces', 4, { account_id: 'a1', scale: 7 }),
    answer('f1', '2026-01-15', 'fcr', 1, { account_id: 'a1' }),
    answer('f2', '2026-01-16', 'fcr', 0, { account_id: 'a3' }),
    answer('f3', '2026-02-16', 'fcr', 1, { account_id: 'a6' }),
    ...[1, 2, 3, 4, 5, 6].map((i) =>
      answer(`emp${i}`, `2026-01-0${i}`, 'enps', i + 4, { team: 'eng', comment: `employee ${i}` }),
    ),
    answer('emp7', '2026-01-07', 'enps', 2, { team: 'ops', account_id: 'a1' }),
    answer('emp8', '2026-01-08', 'enps', 9, { team: 'ops' }),
  ]);
  const ticket = (ticket_id: string, opened_at: string, more: Record<string, unknown>) => ({
    ticket_id,
    opened_at,
    contacts: 1,
    ...more,
  });
  await post(app, headers, 'tickets', [
    ticket('t1', '2026-01-03', { account_id: 'a1', resolved_at: '2026-01-03T12:00:00Z' }),
    ticket('t2', '2026-01-10', { account_id: 'a3', resolved_at: '2026-01-12', contacts: 3 }),
    ticket('t3', '2026-02-02', { account_id: 'a4' }),
    ticket('t4', '2026-02-03', { resolved_at: '2026-02-03T10:00:00Z' }),
    ticket('t5', '2026-03-03', { account_id: 'a6', resolved_at: '2026-03-03T10:00:00Z', abandoned: true }),
    ticket('t6', '2026-03-09', { account_id: 'a7', resolved_at: '2026-03-10' }),
    ticket('t7', '2026-03-28T10:00:00Z', { account_id: 'a2', contacts: 2 }),
  ]);
}
