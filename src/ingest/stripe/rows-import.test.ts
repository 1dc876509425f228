// The rows of Stripe events pass the CSV import's validation, and re-importing them as events trickle in,
// in any order, leaves the store as importing the final rows once would.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { IMPORT_FILES } from '../../domain/import-format.js';
import { openDuckDbStore } from '../../store/duckdb-store.js';
import type { Store } from '../../store/store.js';
import { importFiles, removeCsvFolders } from '../test-kit.js';
import { type StripeFacts, type SubscriptionState, stripeFacts } from './events.js';
import { cancellationRow, customerMrrChanges, customerRow, paymentRow } from './rows.js';
import { basilSubscription, envelope, fixture, type Json } from './test-kit.js';

afterAll(removeCsvFolders);

function csv(file: string, rows: readonly Record<string, string | null>[]): string {
  const columns = IMPORT_FILES.find((f) => f.file === file)!.columns.map((c) => c.name);
  const text = (v: string | null | undefined) =>
    v == null ? '' : /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => text(r[c])).join(','))].join('\n')}\n`;
}

/** What the server would import after receiving `events`: every row derived from all of them. */
function importFolderOf(events: readonly Json[]) {
  const facts: StripeFacts[] = events.map((e) => stripeFacts(e));
  const states: SubscriptionState[] = facts.flatMap((f) =>
    f.kind === 'subscription' ? [f.subscription] : [],
  );
  return {
    'accounts.csv': csv(
      'accounts.csv',
      facts.flatMap((f) => (f.kind === 'customer' ? [customerRow(f.customer)] : [])),
    ),
    'mrr_changes.csv': csv('mrr_changes.csv', customerMrrChanges(states)),
    'cancellations.csv': csv(
      'cancellations.csv',
      states.flatMap((s) => cancellationRow(s) ?? []),
    ),
    'payments.csv': csv(
      'payments.csv',
      facts.flatMap((f) => (f.kind === 'payment' ? [paymentRow(f.payment)] : [])),
    ),
  };
}

const mrrTables = async (store: Store) => ({
  changes: await store.query('SELECT * FROM mrr_changes ORDER BY ALL'),
  movements: await store.query('SELECT * FROM mrr_movements ORDER BY ALL'),
});

// One customer's story. sub_1234 starts at 2000 cents a month, grows to 3 seats, and is replaced at
// 2025-05-10T20:53:20Z (1746910400) by the yearly sub_5678 at 72000 cents = 6000 cents a month, in the
// same second: the total stays 60.00. sub_5678 is then set to cancel at its period end.
const CUSTOMER = envelope('customer.created', { ...fixture('openapi-fixture.customer'), id: 'cus_1234' });
const SWITCH_AT = 1_746_910_400;
function story(): Json[] {
  const created = basilSubscription();
  const threeSeats = basilSubscription();
  threeSeats.items.data[0].quantity = 3;
  const ended = { ...basilSubscription(), status: 'canceled', ended_at: SWITCH_AT, canceled_at: SWITCH_AT };
  const yearly = basilSubscription();
  Object.assign(yearly, { id: 'sub_5678', start_date: SWITCH_AT, created: SWITCH_AT });
  Object.assign(yearly.items.data[0].price, {
    unit_amount: 72_000,
    unit_amount_decimal: '72000',
    recurring: { interval: 'year', interval_count: 1 },
  });
  yearly.items.data[0].current_period_end = SWITCH_AT + 365 * 86_400;
  const cancelling = { ...structuredClone(yearly), cancel_at_period_end: true, canceled_at: 1_750_000_000 };
  const invoice = fixture('pay-rails.invoice');
  invoice.customer = 'cus_1234';
  return [
    envelope('customer.subscription.created', created, { id: 'evt_1' }),
    envelope('customer.subscription.updated', threeSeats, { id: 'evt_2', created: 1_746_000_000 }),
    envelope('customer.subscription.deleted', ended, { id: 'evt_3', created: SWITCH_AT + 2 }),
    envelope('customer.subscription.created', yearly, { id: 'evt_4', created: SWITCH_AT + 1 }),
    envelope('customer.subscription.updated', cancelling, { id: 'evt_5', created: 1_750_000_000 }),
    envelope('invoice.paid', invoice, { id: 'evt_6' }),
  ];
}

describe('Stripe rows through the CSV import', () => {
  it('pass validation and give the hand-computed MRR history', async () => {
    const store = await openDuckDbStore(':memory:');
    try {
      await importFiles(store, importFolderOf([CUSTOMER, ...story()]));
      const changes = await store.query<{ effective_at: Date; mrr: unknown }>(
        'SELECT effective_at, CAST(mrr AS DOUBLE) AS mrr FROM mrr_changes ORDER BY effective_at',
      );
      expect(changes.map((c) => [new Date(c.effective_at).toISOString(), c.mrr])).toEqual([
        ['2025-04-23T18:45:06.000Z', 20], // start_date 1745433906: 2000 cents × 1
        ['2025-04-30T08:00:00.000Z', 60], // 1746000000: × 3 seats
        ['2025-05-10T20:53:20.000Z', 60], // sub_1234 0 + sub_5678 72000 / 12 = 6000 cents
        ['2025-06-15T15:06:40.000Z', 60], // the cancellation request changes no MRR
      ]);
      const cancellations = await store.query('SELECT count(*) AS n FROM cancellations');
      const payments = await store.query('SELECT count(*) AS n FROM payments');
      expect([Number(cancellations[0]!.n), Number(payments[0]!.n)]).toEqual([1, 1]);
    } finally {
      await store.close();
    }
  });

  it('converge on the final rows whatever the arrival order and redeliveries', async () => {
    const events = story();
    const expected = await (async () => {
      const store = await openDuckDbStore(':memory:');
      await importFiles(store, importFolderOf([CUSTOMER, ...events]));
      const tables = await mrrTables(store);
      await store.close();
      return tables;
    })();
    const arrivals = fc
      .array(fc.nat({ max: events.length - 1 }), { maxLength: 3 })
      .chain((again) =>
        fc.shuffledSubarray([...events.keys(), ...again], { minLength: events.length + again.length }),
      );
    await fc.assert(
      fc.asyncProperty(arrivals, async (order) => {
        const store = await openDuckDbStore(':memory:');
        try {
          for (let n = 1; n <= order.length; n += 1) {
            await importFiles(store, importFolderOf([CUSTOMER, ...order.slice(0, n).map((i) => events[i])]));
          }
          expect(await mrrTables(store)).toEqual(expected);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 6 },
    );
  });
});
