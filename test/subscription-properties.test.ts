// Properties of KPI-SPEC §3–4 on random MRR histories, against a brute-force reference (test/support).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { report, storeFromCsv } from './support/csv-store.js';
import { type Change, referencePeriod } from './support/reference-subscription.js';

const DAY = 86_400_000;
const ORIGIN = Date.UTC(2024, 11, 1); // 2024-12-01
const MONTH_STARTS = ['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01'].map((d) =>
  Date.parse(d),
);

// Instants on whole days and half days, so some land exactly on month boundaries.
const history = fc
  .array(
    fc.record({
      segment: fc.constantFrom('x', 'y'),
      changes: fc.uniqueArray(
        fc.record({
          halfDays: fc.integer({ min: 0, max: 300 }),
          mrr: fc.constantFrom(0, 0, 10, 20, 50, 100),
        }),
        { selector: (c) => c.halfDays, maxLength: 7 },
      ),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((accounts) =>
    accounts.map((a, i) => ({
      id: `acc${i}`,
      segment: a.segment,
      changes: a.changes.map((c) => ({
        account: `acc${i}`,
        at: ORIGIN + (c.halfDays * DAY) / 2,
        mrr: c.mrr,
      })),
    })),
  );

type History = (typeof history extends fc.Arbitrary<infer T> ? T : never)[number][];

async function reportOf(accounts: History) {
  const iso = (t: number) => new Date(t).toISOString();
  const store = await storeFromCsv({
    'accounts.csv': `account_id,created_at,segment,key\n${accounts.map((a) => `${a.id},2024-11-01,${a.segment},${a.id}`).join('\n')}\n`,
    'mrr_changes.csv': `account_id,effective_at,mrr\n${accounts
      .flatMap((a) => a.changes.map((c) => `${c.account},${iso(c.at)},${c.mrr}`))
      .join('\n')}\n`,
  });
  try {
    return {
      total: await report(store, '2025-01-01', '2025-05-01'),
      perAccount: await report(store, '2025-01-01', '2025-05-01', { segmentBy: 'key' }),
    };
  } finally {
    await store.close();
  }
}

const runs = { numRuns: 30 };

describe('subscription KPIs on random histories', () => {
  it('match a brute-force reading of the spec, period by period', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (accounts) => {
        const changes: Change[] = accounts.flatMap((a) => a.changes);
        const ids = accounts.map((a) => a.id);
        const { total } = await reportOf(accounts);
        total.rows.forEach((r, i) => {
          const ref = referencePeriod(changes, ids, MONTH_STARTS[i]!, MONTH_STARTS[i + 1]!);
          const k = r.kpis;
          const S = ref.activeStart.length;
          expect(k.mrr).toBeCloseTo(ref.mrrEnd, 6);
          expect(k.active_customers).toBe(ref.activeEnd.length);
          expect(k.new_mrr).toBeCloseTo(ref.moved.new, 6);
          expect(k.reactivation_mrr).toBeCloseTo(ref.moved.reactivation, 6);
          expect(k.expansion_mrr).toBeCloseTo(ref.moved.expansion, 6);
          expect(k.contraction_mrr).toBeCloseTo(ref.moved.contraction, 6);
          expect(k.churned_mrr).toBeCloseTo(ref.moved.churn, 6);
          expect(k.new_customers).toBe(ref.accountsWith.new.size);
          expect(k.reactivated_customers).toBe(ref.accountsWith.reactivation.size);
          expect(k.churned_customers).toBe(ref.accountsWith.churn.size);
          // crr is the share of start customers still active at the end (KPI-SPEC §4).
          const stayed = ref.activeStart.filter((a) => ref.activeEnd.includes(a)).length;
          expect(k.crr).toBe(S === 0 ? null : (stayed / S) * 100);
          expect(k.churn_rate).toBe(S === 0 ? null : (ref.accountsWith.churn.size / S) * 100);
          if (ref.mrrStart === 0) expect([k.nrr, k.grr]).toEqual([null, null]);
          else {
            expect(k.nrr).toBeCloseTo((ref.nrrNumerator / ref.mrrStart) * 100, 6);
            expect(k.grr).toBeCloseTo((ref.grrNumerator / ref.mrrStart) * 100, 6);
          }
        });
      }),
      runs,
    );
  });

  it('keep the identities (mrr(end) − mrr(start) = net_new_mrr, mrr = E × arpa) and the bounds of ratios', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (accounts) => {
        const { total, perAccount } = await reportOf(accounts);
        for (const r of [total, perAccount]) {
          const bySegment = new Map<string | null, (typeof r.rows)[number][]>();
          for (const x of r.rows) bySegment.set(x.segment, [...(bySegment.get(x.segment) ?? []), x]);
          for (const rows of bySegment.values()) {
            rows.slice(1).forEach((x, i) => {
              expect(x.kpis.mrr! - rows[i]!.kpis.mrr!).toBeCloseTo(x.kpis.net_new_mrr!, 6);
            });
          }
          for (const x of r.rows) {
            if (x.kpis.active_customers === 0) expect([x.kpis.mrr, x.kpis.arpa]).toEqual([0, null]);
            else expect(x.kpis.active_customers! * x.kpis.arpa!).toBeCloseTo(x.kpis.mrr!, 6);
          }
        }
        // Bounded ratios stay in bounds.
        for (const x of perAccount.rows) {
          for (const id of ['crr', 'grr']) {
            if (x.kpis[id] !== null) expect(x.kpis[id]).toBeGreaterThanOrEqual(0);
            if (x.kpis[id] !== null) expect(x.kpis[id]).toBeLessThanOrEqual(100);
          }
          if (x.kpis.nrr !== null) expect(x.kpis.nrr).toBeGreaterThanOrEqual(0);
          if (x.kpis.churn_rate !== null) expect(x.kpis.churn_rate).toBeGreaterThanOrEqual(0);
        }
        // The total is the sum of the per-account rows.
        for (const t of total.rows.filter((x) => x.segment === null)) {
          const parts = perAccount.rows.filter((x) => x.segment !== null && x.start === t.start);
          expect(parts.reduce((s, x) => s + x.kpis.net_new_mrr!, 0)).toBeCloseTo(t.kpis.net_new_mrr!, 6);
        }
      }),
      runs,
    );
  });
});
