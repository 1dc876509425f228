// GET /api/v1/kpis/:id/rows: the rows a drill-down lists make exactly the KPI's number in the report — for
// every drillable KPI, every period and every segment of the hand-made data of test/support/dashboard-data.ts.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KPIS } from '../src/kpi/catalogue.js';
import { DRILL_DOWNS } from '../src/kpi/drill-down.js';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { loadDashboardData } from './support/dashboard-data.js';

let hub: WorkspaceHub;
let app: FastifyInstance;
let acme: Record<string, string>;

type Cell = string | number | null;
interface Drill {
  kpi: string;
  start: string;
  end: string;
  segment: string | null;
  explains: string;
  columns: string[];
  rows: Cell[][];
  total: number;
  next: string | null;
}
interface ReportRow {
  start: string;
  segment: string | null;
  kpis: Record<string, number | null>;
}

const RANGE = 'from=2026-01-01&to=2026-04-01&value_event=activated';

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  await hub.tenancy.createWorkspace('acme');
  acme = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['ingest', 'read'])).token}` };
  await loadDashboardData(app, acme);
});
afterAll(async () => {
  await app.close();
  await hub.close();
});

async function getJson<T>(url: string): Promise<T> {
  const response = await app.inject({ method: 'GET', url, headers: acme });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
  return JSON.parse(response.body) as T;
}

async function problem(url: string, status: number) {
  const response = await app.inject({ method: 'GET', url, headers: acme });
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  return JSON.parse(response.body) as {
    code: string;
    detail: string;
    errors?: { path: string; rule: string }[];
  };
}

/** Every row of a drill-down, following `next` through pages of `limit`. */
async function allRows(url: string, limit = 500): Promise<Drill> {
  const first = await getJson<Drill>(`${url}&limit=${limit}`);
  let page = first;
  const rows = [...first.rows];
  while (page.next) {
    page = await getJson<Drill>(`${url}&limit=${limit}&cursor=${encodeURIComponent(page.next)}`);
    rows.push(...page.rows);
  }
  return { ...first, rows };
}

/** The rows as objects by column name. */
const records = (d: Drill): Record<string, Cell>[] =>
  d.rows.map((r) => Object.fromEntries(d.columns.map((c, i) => [c, r[i] ?? null])));
const sum = (values: Cell[]) => values.reduce<number>((s, v) => s + Number(v ?? 0), 0);
const share = (part: number, whole: number) => (whole === 0 ? null : (part / whole) * 100);
const meanOf = (values: Cell[]) => (values.length === 0 ? null : sum(values) / values.length);
const yes = (rows: Record<string, Cell>[], column: string) => rows.filter((r) => r[column] === 'yes').length;

/** Each drillable KPI recomputed from its rows, the way the answer's `explains` says. */
const FROM_ROWS: Record<string, (rows: Record<string, Cell>[]) => number | null> = {
  mrr: (r) => sum(r.map((x) => x.mrr_end!)),
  active_customers: (r) => r.length,
  arpa: (r) => (r.length === 0 ? null : sum(r.map((x) => x.mrr_end!)) / r.length),
  new_mrr: (r) => sum(r.map((x) => x.amount!)),
  reactivation_mrr: (r) => sum(r.map((x) => x.amount!)),
  expansion_mrr: (r) => sum(r.map((x) => x.amount!)),
  contraction_mrr: (r) => sum(r.map((x) => x.amount!)),
  churned_mrr: (r) => sum(r.map((x) => x.amount!)),
  net_new_mrr: (r) => sum(r.map((x) => x.amount!)),
  nrr: (r) => share(sum(r.map((x) => x.mrr_end!)), sum(r.map((x) => x.mrr_start!))),
  grr: (r) => share(sum(r.map((x) => x.retained_mrr!)), sum(r.map((x) => x.mrr_start!))),
  expansion_revenue: (r) => sum(r.map((x) => x.amount!)),
  crr: (r) => share(yes(r, 'still_active'), r.length),
  new_customers: (r) => r.length,
  reactivated_customers: (r) => r.length,
  churned_customers: (r) => r.length,
  churn_rate: (r) => share(yes(r, 'churned'), yes(r, 'active_at_start')),
  pending_churn_customers: (r) => r.length,
  renewal_rate: (r) => share(r.filter((x) => x.outcome === 'renewed').length, r.length),
  clv_historical: (r) => meanOf(r.map((x) => x.net!)),
  cac: (r) => {
    const newCustomers = r.filter((x) => x.source === 'new_customer').length;
    const costs = sum(r.filter((x) => x.source === 'acquisition_cost').map((x) => x.amount!));
    return newCustomers === 0 ? null : costs / newCustomers;
  },
  ttfv_median_days: (r) => {
    const sorted = r.map((x) => Number(x.days_to_value)).sort((a, b) => a - b);
    if (sorted.length === 0) return null;
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  },
  ttfv_reached_pct: (r) => share(yes(r, 'reached_in_window'), r.length),
  nps: (r) => {
    const promoters = share(r.filter((x) => x.category === 'promoter').length, r.length);
    const detractors = share(r.filter((x) => x.category === 'detractor').length, r.length);
    return promoters === null || detractors === null ? null : promoters - detractors;
  },
  nps_responses: (r) => r.length,
  csat: (r) => share(yes(r, 'satisfied'), r.length),
  csat_mean: (r) => meanOf(r.map((x) => x.score!)),
  ces: (r) => meanOf(r.map((x) => x.score_7!)),
  ces_high_effort_pct: (r) => share(yes(r, 'high_effort'), r.length),
  fcr_perceived: (r) => share(yes(r, 'resolved'), r.length),
  fcr: (r) => share(yes(r, 'first_contact'), r.length),
  health_mean: (r) => meanOf(r.map((x) => x.health_score!)),
  at_risk_customers: (r) => r.length,
};

/** Equal up to float sums; the report sums health scores as DECIMAL(18, 6), so their mean is within 1e-6. */
function expectSame(actual: number | null, expected: number | null, what: string, tolerance = 1e-9) {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThan(
    tolerance * Math.max(1, Math.abs(expected)),
  );
}

describe('the drill-down table', () => {
  test('covers every KPI id of the catalogue, and nothing else', () => {
    expect(Object.keys(DRILL_DOWNS).sort()).toEqual(KPIS.map((k) => k.id).sort());
    expect(Object.keys(FROM_ROWS).sort()).toEqual(
      Object.entries(DRILL_DOWNS)
        .filter(([, d]) => 'sql' in d)
        .map(([id]) => id)
        .sort(),
    );
  });
});

describe('the rows make the number of the report', () => {
  // Monthly rows by segment (total, smb, ent), a quarter, and months in a time zone whose boundaries are not
  // UTC midnights (a1's churn at 03-01T00:00Z falls on March 1st at 01:00 in Rome).
  const configurations = [
    { name: 'months by segment', query: `${RANGE}&period=month`, segmentBy: 'segment' },
    // A whole quarter (churn_rate 133 %: a5 and a4 joined and left within it), and one clipped to Feb–Mar.
    { name: 'a quarter by segment', query: `${RANGE}&period=quarter`, segmentBy: 'segment' },
    {
      name: 'a clipped quarter',
      query: 'from=2026-02-01&to=2026-04-01&value_event=activated&period=quarter',
      segmentBy: null,
    },
    { name: 'months in Europe/Rome', query: `${RANGE}&period=month&tz=Europe/Rome`, segmentBy: null },
    {
      name: 'weeks',
      query: 'from=2026-02-16&to=2026-03-16&value_event=activated&period=week',
      segmentBy: null,
    },
  ];
  for (const config of configurations) {
    test(`for every drillable KPI, period and segment: ${config.name}`, async () => {
      const by = config.segmentBy ? `&segment_by=${config.segmentBy}` : '';
      const report = await getJson<{ rows: ReportRow[] }>(`/api/v1/report?${config.query}${by}`);
      let checked = 0;
      for (const row of report.rows) {
        const segment = row.segment === null ? '' : `${by}&segment=${encodeURIComponent(row.segment)}`;
        for (const [id, recompute] of Object.entries(FROM_ROWS)) {
          const url = `/api/v1/kpis/${id}/rows?${config.query}&period_start=${row.start}${segment}`;
          const drill = await allRows(url);
          expect(drill.start).toBe(row.start);
          expect(drill.total, url).toBe(drill.rows.length);
          const tolerance = id === 'health_mean' ? 1e-6 : 1e-9;
          expectSame(
            recompute(records(drill)),
            row.kpis[id]!,
            `${id} ${row.start} ${row.segment}`,
            tolerance,
          );
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(30);
    });
  }
});

describe('March by hand', () => {
  // S (active at 03-01) = a1 120, a3 80, a4 100, a6 90, a9 40 = 430; E (at 04-01) = a2 200, a3 80, a4 150,
  // a6 70, a7 500, a9 40 = 1040. Movements: a1 churn 120 (03-01T00:00Z belongs to March), a7 new 500,
  // a6 contraction 20, a2 reactivation 200, a4 expansion 50: net 610 = 1040 − 430.
  const march = `?${RANGE}&period=month`;
  const column = (d: Drill, name: string) => d.rows.map((r) => r[d.columns.indexOf(name)]);

  test('active_customers lists the six accounts active at the end, largest MRR first', async () => {
    const drill = await allRows(`/api/v1/kpis/active_customers/rows${march}`);
    expect(drill).toMatchObject({ kpi: 'active_customers', start: '2026-03-01T00:00:00.000Z', total: 6 });
    expect(drill.end).toBe('2026-04-01T00:00:00.000Z');
    expect(column(drill, 'account_id')).toEqual(['a7', 'a2', 'a4', 'a3', 'a6', 'a9']);
    expect(column(drill, 'mrr_end')).toEqual([500, 200, 150, 80, 70, 40]);
    expect(column(drill, 'movements')).toEqual([
      'new',
      'reactivation',
      'expansion',
      null,
      'contraction',
      null,
    ]);
  });

  test('new_mrr and churned_mrr list their movements with positive amounts', async () => {
    const fresh = await allRows(`/api/v1/kpis/new_mrr/rows${march}`);
    expect(records(fresh)).toEqual([
      expect.objectContaining({ account_id: 'a7', movement: 'new', old_mrr: 0, new_mrr: 500, amount: 500 }),
    ]);
    const churned = await allRows(`/api/v1/kpis/churned_mrr/rows${march}`);
    expect(records(churned)).toEqual([
      expect.objectContaining({ account_id: 'a1', effective_at: '2026-03-01T00:00:00.000Z', amount: 120 }),
    ]);
    const net = await allRows(`/api/v1/kpis/net_new_mrr/rows${march}`);
    expect(column(net, 'amount')).toEqual([-120, 500, -20, 200, 50]);
  });

  test('crr and nrr list the five accounts of S: four still active (80 %), 340 of 430 kept', async () => {
    const drill = records(await allRows(`/api/v1/kpis/crr/rows${march}`));
    expect(drill.map((r) => [r.account_id, r.still_active])).toEqual([
      ['a1', 'no'],
      ['a4', 'yes'],
      ['a6', 'yes'],
      ['a3', 'yes'],
      ['a9', 'yes'],
    ]);
    expect(sum(drill.map((r) => r.mrr_end!))).toBe(340);
  });

  test('expansion_revenue: a4’s expansion and a3’s one-time payment, not a2’s payment at its reactivation', async () => {
    const drill = records(await allRows(`/api/v1/kpis/expansion_revenue/rows${march}`));
    expect(drill.map((r) => [r.source, r.account_id, r.reference, r.amount])).toEqual([
      ['one_time_payment', 'a3', 'p5', 70],
      ['expansion', 'a4', null, 50],
    ]);
  });

  test('nps lists the three answers with their category; the segment keeps its accounts only', async () => {
    const all = records(await allRows(`/api/v1/kpis/nps/rows${march}`));
    expect(all.map((r) => [r.response_id, r.score, r.category])).toEqual([
      ['n9', 7, 'passive'],
      ['n8', 0, 'detractor'],
      ['n7', 10, 'promoter'],
    ]);
    expect(all[1]).toMatchObject({
      account_id: 'a2',
      comment: 'Too slow',
      submitted_at: '2026-03-12T00:00:00.000Z',
    });
    const ent = records(
      await allRows(`/api/v1/kpis/nps_responses/rows${march}&segment_by=segment&segment=ent`),
    );
    expect(ent.map((r) => r.response_id)).toEqual(['n8', 'n7']);
  });

  test('cac in January: three acquisition costs (one without an account) over two new customers', async () => {
    const drill = records(await allRows(`/api/v1/kpis/cac/rows${march}&period_start=2026-01-01`));
    expect(drill.map((r) => [r.source, r.account_id, r.amount])).toEqual([
      ['acquisition_cost', 'a3', 200],
      ['new_customer', 'a3', null],
      ['acquisition_cost', 'a4', 300],
      ['new_customer', 'a4', null],
      ['acquisition_cost', null, 500],
    ]);
  });
});

describe('paging and CSV', () => {
  test('pages of two follow one another without losing or repeating rows', async () => {
    const url = `/api/v1/kpis/clv_historical/rows?${RANGE}`;
    const whole = await allRows(url);
    const paged = await allRows(url, 2);
    expect(whole.total).toBe(9);
    expect(paged.rows).toEqual(whole.rows);
    const first = await getJson<Drill>(`${url}&limit=2`);
    expect(first.rows).toHaveLength(2);
    expect(first.total).toBe(9);
    expect(first.next).not.toBeNull();
  });

  test('a cursor of another KPI is refused', async () => {
    const first = await getJson<Drill>(`/api/v1/kpis/mrr/rows?${RANGE}&limit=1`);
    const body = await problem(
      `/api/v1/kpis/active_customers/rows?${RANGE}&limit=1&cursor=${encodeURIComponent(first.next!)}`,
      400,
    );
    expect(body.errors?.[0]?.path).toBe('query.cursor');
  });

  test('format=csv: the columns, then the rows, formula cells defused, paging in headers', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/kpis/active_customers/rows?${RANGE}&format=csv&limit=3`,
      headers: acme,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('active_customers-rows.csv');
    expect(response.headers['x-total-count']).toBe('6');
    expect(response.headers['x-next-cursor']).toBeTruthy();
    expect(response.body.split('\n')).toEqual([
      'account_id,account_name,segment,mrr_start,mrr_end,change,movements',
      'a7,Account a7,ent,0,500,500,new',
      'a2,Account a2,ent,0,200,200,reactivation',
      `a4,"'=HYPERLINK(""http://x"")",ent,100,150,50,expansion`,
      '',
    ]);
  });
});

describe('what is not drilled', () => {
  test('enps: a 404 saying employee answers are anonymous', async () => {
    const body = await problem(`/api/v1/kpis/enps/rows?${RANGE}`, 404);
    expect(body.code).toBe('not_drillable');
    expect(body.detail).toContain('anonymous');
  });

  test('clv and ltv_cac_ratio are formulas of other KPIs: a 404 naming what to drill instead', async () => {
    expect((await problem(`/api/v1/kpis/clv/rows?${RANGE}`, 404)).detail).toContain('churn_rate');
    expect((await problem(`/api/v1/kpis/ltv_cac_ratio/rows?${RANGE}`, 404)).code).toBe('not_drillable');
  });

  test('an unknown KPI id is a 404', async () => {
    expect((await problem(`/api/v1/kpis/nope/rows?${RANGE}`, 404)).code).toBe('unknown_kpi');
    expect((await problem(`/api/v1/kpis/constructor/rows?${RANGE}`, 404)).code).toBe('unknown_kpi');
  });

  test('employee answers stay out: segment_by=team is refused, and no listed answer is an enps one', async () => {
    const body = await problem(`/api/v1/kpis/nps/rows?${RANGE}&segment_by=team&segment=ops`, 400);
    expect(body.errors?.[0]).toMatchObject({ path: 'query.segment_by', rule: 'employee_answers_private' });
    const january = await allRows(`/api/v1/kpis/nps/rows?${RANGE}&period_start=2026-01-01`);
    expect(january.rows.map((r) => r[0])).toEqual(['n3', 'n2', 'n1']);
  });

  test('bad parameters are 400 problems naming them', async () => {
    const notStart = await problem(`/api/v1/kpis/mrr/rows?${RANGE}&period_start=2026-01-15`, 400);
    expect(notStart.errors?.[0]).toMatchObject({ path: 'query.period_start', rule: 'not_a_period_start' });
    const segmentAlone = await problem(`/api/v1/kpis/mrr/rows?${RANGE}&segment=smb`, 400);
    expect(segmentAlone.errors?.[0]?.path).toBe('query.segment');
    const noEvents = await problem('/api/v1/kpis/ttfv_median_days/rows?from=2026-01-01&to=2026-04-01', 400);
    expect(noEvents.errors?.[0]).toMatchObject({ path: 'query.value_event', rule: 'value_event_required' });
    expect((await problem(`/api/v1/kpis/mrr/rows?${RANGE}&segment_by=nope`, 400)).code).toBe(
      'unknown_segment_field',
    );
    expect((await problem(`/api/v1/kpis/mrr/rows?${RANGE}&bogus=1`, 400)).code).toBe('invalid_query');
  });
});
