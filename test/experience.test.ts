// Experience and money on a small store whose every number is worked out by hand (range 2025-01-01 → 04-01, k = 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experienceCsv, experienceTable } from '../src/cli/experience.js';
import { bootstrapUnits } from '../src/insight/experience/bootstrap.js';
import {
  computeExperience,
  type Experience,
  groupMeasures,
  monthsBetween,
} from '../src/insight/experience/experience.js';
import type { Store } from '../src/store/store.js';
import { storeFromCsv } from './support/csv-store.js';

// | account | MRR at 01-01 | change in range        | at 04-01 | NPS before 01-01 | CSAT before 01-01 |
// | P1      | 100          | —                      | 100      | 9 (then 2 on 01-15) | 5              |
// | P2      | 100          | 150 on 02-01 (expands) | 150      | 10               | —                 |
// | Q1      | 200          | —                      | 200      | 8                | 4                 |
// | D1      | 100          | 0 on 02-15 (churns)    | 0        | 3                | 1                 |
// | D2      | 50           | 25 on 03-01            | 25       | 6                | 3                 |
// | N1      | 100          | —                      | 100      | —                | —                 |
// | J       | —            | new 80 on 02-01        | 80       | not in the cohort                     |
const accounts = `account_id,created_at
P1,2024-06-01
P2,2024-06-01
Q1,2024-06-01
D1,2024-06-01
D2,2024-06-01
N1,2024-06-01
J,2025-02-01
`;
const mrrChanges = `account_id,effective_at,mrr
P1,2024-06-01,100
P2,2024-06-01,100
Q1,2024-06-01,200
D1,2024-06-01,100
D2,2024-06-01,50
N1,2024-06-01,100
P2,2025-02-01,150
D1,2025-02-15,0
D2,2025-03-01,25
J,2025-02-01,80
`;
const responses = `response_id,submitted_at,metric,score,account_id
n1,2024-12-01,nps,9,P1
n1b,2025-01-15,nps,2,P1
n2,2024-11-01,nps,3,P2
n2b,2024-12-20,nps,10,P2
n3,2024-12-01,nps,8,Q1
n4,2024-12-01,nps,3,D1
n5,2024-12-01,nps,6,D2
c1,2024-12-02,csat,5,P1
c3,2024-12-02,csat,4,Q1
c4,2024-12-02,csat,1,D1
c5,2024-12-02,csat,3,D2
`;
// Pending at 04-01: Q1 (03-10 → 05-01) and D2 (03-20 → 04-30); N1's ended on 02-01.
const cancellations = `account_id,requested_at,ends_at
Q1,2025-03-10,2025-05-01
D2,2025-03-20,2025-04-30
N1,2025-01-01,2025-02-01
`;

let store: Store;
let e: Experience;
beforeAll(async () => {
  store = await storeFromCsv({
    'accounts.csv': accounts,
    'mrr_changes.csv': mrrChanges,
    'responses.csv': responses,
    'cancellations.csv': cancellations,
  });
  e = await computeExperience(store, {
    from: new Date('2025-01-01'),
    to: new Date('2025-04-01'),
    grossMargin: 0.8,
    minSample: 2,
  });
});
afterAll(() => store.close());

const nps = (group: string) => e.by_nps.find((g) => g.group === group)!;
const csat = (group: string) => e.by_csat.find((g) => g.group === group)!;

describe('by NPS group (latest answer before the start)', () => {
  it('groups the start cohort: P1 and P2 promoters (P2 latest 10), Q1 passive, D1 and D2 detractors', () => {
    expect(e.months).toBe(3);
    expect(e.by_nps.map((g) => [g.group, g.accounts])).toEqual([
      ['promoter', 2],
      ['passive', 1],
      ['detractor', 2],
      ['no_answer', 1],
    ]);
  });

  it('promoters: retention 2/2 (Wilson 34.24…100), NRR 250/200 = 125, one of two expands, by 50/200', () => {
    const p = nps('promoter');
    expect(p.retention.value).toBe(100);
    // p̂ = 1, n = 2: centre (1 + 0.96037) ÷ 2.92073 = 0.67119, half 0.96037 ÷ 2.92073 = 0.32881.
    expect(p.retention.low).toBeCloseTo(34.238, 2);
    expect(p.retention.high).toBe(100);
    expect(p.nrr.value).toBe(125);
    expect(p.expansion.value).toBe(50);
    expect(p.expansion_mrr.value).toBe(25);
    expect(p.clv.value).toBeNull(); // nobody churned: m = 0
  });

  it('detractors: retention 1/2, NRR 25/150, CLV = 25 × 0.8 ÷ (1 − 0.5^(1/3))', () => {
    const d = nps('detractor');
    expect(d.retention.value).toBe(50);
    expect(d.nrr.value).toBeCloseTo((25 / 150) * 100, 10);
    expect(d.expansion.value).toBe(0);
    // m = 1 − 0.7937005 = 0.2062995; 20 ÷ m = 96.9464.
    expect(d.clv.value).toBeCloseTo(96.9464, 3);
    expect(d.clv.enough).toBe(true);
    expect(nps('passive').clv.enough).toBe(false);
  });
});

describe('by CSAT group', () => {
  it('satisfied P1, Q1; neutral D2; dissatisfied D1; no answer P2, N1', () => {
    expect(csat('satisfied')).toMatchObject({ accounts: 2, mrr_start: 300, mrr_end: 300 });
    expect(csat('satisfied').nrr.value).toBe(100);
    expect(csat('neutral').nrr.value).toBe(50);
    expect(csat('dissatisfied').retention.value).toBe(0);
    expect(csat('dissatisfied').nrr.value).toBe(0);
    expect(csat('no_answer').nrr.value).toBe(125);
  });
});

describe('MRR at risk at the end', () => {
  it('detractors by latest answer before 04-01 (P1 now 2, D2 6), pending Q1 and D2, D2 in both', () => {
    const r = e.mrr_at_risk;
    expect(r.active).toEqual({ accounts: 6, mrr: 655 });
    expect(r.detractors).toEqual({ accounts: 2, mrr: 125 });
    expect(r.pending_cancellation).toEqual({ accounts: 2, mrr: 225 });
    expect(r.both).toEqual({ accounts: 1, mrr: 25 });
    expect(r.either).toEqual({ accounts: 3, mrr: 325 });
    expect(r.either_pct).toBeCloseTo((325 / 655) * 100, 10);
  });
});

describe('outputs', () => {
  it('renders a table and a CSV', () => {
    const table = experienceTable(e);
    expect(table).toContain('By NPS group');
    expect(table).toContain('125.0 %');
    const csv = experienceCsv(e).trim().split('\n');
    expect(csv[0]!.startsWith('grouping,group,accounts,mrr_start,mrr_end,retention,')).toBe(true);
    expect(csv).toHaveLength(1 + 8 + 5);
    expect(csv).toContain(`risk,either,3,,325${','.repeat(20)}`);
  });

  it('refuses an empty range', async () => {
    await expect(
      computeExperience(store, {
        from: new Date('2025-01-01'),
        to: new Date('2025-01-01'),
        grossMargin: 1,
        minSample: 30,
      }),
    ).rejects.toThrow('to must be after from');
  });
});

describe('bootstrap over accounts', () => {
  const cells = (k: number) => [
    { mrrStart: 100, mrrEnd: 0, accounts: 3 * k },
    { mrrStart: 100, mrrEnd: 100, accounts: 10 * k },
    { mrrStart: 200, mrrEnd: 260, accounts: 4 * k },
    { mrrStart: 50, mrrEnd: 40, accounts: 3 * k },
  ];
  const settings = { grossMargin: 1, minSample: 30 };

  it('holds the point estimate, narrows as n grows, and repeats with the seed', () => {
    const widths = [1, 4, 16].map((k) => {
      const g = groupMeasures('x', cells(k), 12, settings);
      for (const m of [g.nrr, g.expansion_mrr, g.clv]) {
        expect(m.low!).toBeLessThanOrEqual(m.value!);
        expect(m.high!).toBeGreaterThanOrEqual(m.value!);
      }
      expect(groupMeasures('x', cells(k), 12, settings)).toEqual(g);
      return g.nrr.high! - g.nrr.low!;
    });
    expect(widths[1]!).toBeLessThan(widths[0]!);
    expect(widths[2]!).toBeLessThan(widths[1]!);
  });

  it('draws as many units as there are, each resample, directly or as a multinomial', () => {
    for (const directLimit of [100, 0]) {
      let total = 0;
      bootstrapUnits(
        [3, 0, 7, 5],
        (draws) => {
          total = draws.reduce((s, d) => s + d, 0);
          expect(draws[1]).toBe(0);
          return total;
        },
        { resamples: 50, directLimit },
      );
      expect(total).toBe(15);
    }
    // Both ways resample the same thing: the mean of 1,000 units (half 0, half 1) has about the same interval.
    const mean = (directLimit: number) => bootstrapUnits([500, 500], (d) => d[1]! / 1000, { directLimit })!;
    const direct = mean(1e9);
    const multinomial = mean(0);
    expect(direct.low).toBeCloseTo(0.469, 2);
    expect(multinomial.low).toBeCloseTo(0.469, 2);
    expect(multinomial.high).toBeCloseTo(direct.high, 2);
  });

  it('counts whole calendar months, else days', () => {
    expect(monthsBetween(new Date('2025-01-01'), new Date('2026-01-01'))).toBe(12);
    expect(monthsBetween(new Date('2025-01-01'), new Date('2025-01-16'))).toBeCloseTo((15 * 12) / 365.25, 10);
  });
});
