// Facts to import rows: accounts, payments, cancellations, and a customer's MRR from its subscription states.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FidelioError } from '../../domain/errors.js';
import type { SubscriptionState } from './events.js';
import { cancellationRow, customerMrrChanges, customerRow, decimalText, paymentRow } from './rows.js';

const state = (
  subscription_id: string,
  observed_at: string,
  mrr: number,
  event_type = 'customer.subscription.updated',
  event_id = `evt_${subscription_id}_${observed_at}_${mrr}`,
): SubscriptionState => ({
  subscription_id,
  customer_id: 'cus_1',
  observed_at,
  mrr,
  currency: 'USD',
  status: mrr > 0 ? 'active' : 'canceled',
  cancel_requested_at: null,
  ends_at: null,
  event_id,
  event_type,
});
const totals = (states: SubscriptionState[]) =>
  customerMrrChanges(states).map((r) => [r.effective_at.slice(0, 10), r.mrr]);

describe('customerMrrChanges', () => {
  it('sums the latest state of each subscription at each instant', () => {
    const states = [
      state('sub_a', '2025-01-01T00:00:00.000Z', 6, 'customer.subscription.created'),
      state('sub_b', '2025-01-10T00:00:00.000Z', 20.75, 'customer.subscription.created'),
      state('sub_a', '2025-02-01T00:00:00.000Z', 10),
      state('sub_b', '2025-03-01T00:00:00.000Z', 0, 'customer.subscription.deleted'),
    ];
    expect(totals(states)).toEqual([
      ['2025-01-01', '6'], // a 6
      ['2025-01-10', '26.75'], // a 6 + b 20.75
      ['2025-02-01', '30.75'], // a 10 + b 20.75
      ['2025-03-01', '10'], // a 10 + b 0
    ]);
  });

  it('writes the row in the mrr_changes columns, the event id naming customer, instant and total', () => {
    expect(customerMrrChanges([state('sub_a', '2025-01-01T00:00:00Z', 6)])).toEqual([
      {
        account_id: 'cus_1',
        effective_at: '2025-01-01T00:00:00.000Z',
        mrr: '6',
        currency: 'USD',
        event_id: 'stripe:cus_1:2025-01-01T00:00:00.000Z:6',
      },
    ]);
  });

  it('orders states of one subscription in one second: created, then updates, then deleted', () => {
    const at = '2025-01-01T00:00:00.000Z';
    const created = state('sub_a', at, 0, 'customer.subscription.created', 'evt_z'); // trialing at creation
    const updated = state('sub_a', at, 6, 'customer.subscription.updated', 'evt_a'); // paid the same second
    expect(totals([updated, created])).toEqual([['2025-01-01', '6']]);
    const deleted = state('sub_a', at, 0, 'customer.subscription.deleted', 'evt_0');
    expect(totals([deleted, updated, created])).toEqual([['2025-01-01', '0']]);
  });

  it('keeps a row where the total does not change, so stored rows never go stale', () => {
    // A plan switch within one second: sub_a ends and sub_b starts at the same price.
    const states = [
      state('sub_a', '2025-01-01T00:00:00.000Z', 10, 'customer.subscription.created'),
      state('sub_a', '2025-02-01T00:00:00.000Z', 0, 'customer.subscription.deleted'),
      state('sub_b', '2025-02-01T00:00:00.000Z', 10, 'customer.subscription.created'),
    ];
    expect(totals(states)).toEqual([
      ['2025-01-01', '10'],
      ['2025-02-01', '10'], // 0 + 10: no movement, but the row replaces an earlier "0" for this instant
    ]);
  });

  it('gives nothing for no states, and refuses states of several customers or currencies', () => {
    expect(customerMrrChanges([])).toEqual([]);
    const other = { ...state('sub_b', '2025-01-01T00:00:00Z', 5), customer_id: 'cus_2' };
    expect(() => customerMrrChanges([state('sub_a', '2025-01-01T00:00:00Z', 5), other])).toThrow(
      expect.objectContaining({ code: 'stripe_mixed_customers' }),
    );
    const euro = { ...state('sub_b', '2025-01-01T00:00:00Z', 5), currency: 'EUR' };
    expect(() => customerMrrChanges([state('sub_a', '2025-01-01T00:00:00Z', 5), euro])).toThrow(FidelioError);
  });

  it('gives the same rows for any arrival order, with any state delivered more than once', () => {
    const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString();
    const states = fc
      .uniqueArray(
        fc.record({
          sub: fc.constantFrom('sub_a', 'sub_b', 'sub_c'),
          day: fc.integer({ min: 0, max: 4 }), // few days: many states share an instant
          mrr: fc.constantFrom(0, 6, 20.75, 0.1, 0.2, 0.3), // 0.1 + 0.2 + 0.3 depends on the order of addition
          type: fc.constantFrom('created', 'updated', 'deleted'),
          id: fc.constantFrom('evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5', 'evt_6'),
        }),
        { selector: (s) => s.id, minLength: 1, maxLength: 6 },
      )
      .map((list) =>
        list.map((s) => state(s.sub, day(s.day), s.mrr, `customer.subscription.${s.type}`, s.id)),
      );
    const arrivals = states.chain((list) =>
      fc
        .array(fc.nat({ max: list.length - 1 }), { maxLength: 6 })
        .chain((extra) =>
          fc.shuffledSubarray([...list.keys(), ...extra], { minLength: list.length + extra.length }),
        )
        .map((order) => ({ list, arrived: order.map((i) => list[i]!) })),
    );
    fc.assert(
      fc.property(arrivals, ({ list, arrived }) => {
        expect(customerMrrChanges(arrived)).toEqual(customerMrrChanges(list));
      }),
      { numRuns: 300 },
    );
  });
});

describe('other rows', () => {
  it('makes an accounts row without a segment', () => {
    const customer = {
      id: 'cus_1',
      created_at: '2025-01-01T00:00:00.000Z',
      name: 'Acme',
      email: 'a@acme.example',
      country: 'DE',
      metadata: { tier: 'gold' },
      deleted: false,
    };
    expect(customerRow(customer)).toEqual({
      account_id: 'cus_1',
      created_at: '2025-01-01T00:00:00.000Z',
      name: 'Acme',
      segment: null,
      country: 'DE',
    });
  });

  it('makes a cancellations row only for a state with a pending cancellation', () => {
    const open = state('sub_a', '2025-01-01T00:00:00.000Z', 6);
    expect(cancellationRow(open)).toBeNull();
    const pending = {
      ...open,
      cancel_requested_at: '2025-01-05T00:00:00.000Z',
      ends_at: '2025-02-01T00:00:00.000Z',
    };
    expect(cancellationRow(pending)).toEqual({
      account_id: 'cus_1',
      requested_at: '2025-01-05T00:00:00.000Z',
      ends_at: '2025-02-01T00:00:00.000Z',
    });
  });

  it('makes a payments row with the amount as a plain decimal', () => {
    const payment = {
      payment_id: 'in_1',
      customer_id: 'cus_1',
      paid_at: '2025-04-18T14:26:03.000Z',
      amount: 245.12,
      currency: 'USD',
      kind: 'one_time' as const,
    };
    expect(paymentRow(payment)).toEqual({
      payment_id: 'in_1',
      account_id: 'cus_1',
      paid_at: '2025-04-18T14:26:03.000Z',
      amount: '245.12',
      kind: 'one_time',
      currency: 'USD',
    });
  });

  it('never writes exponent notation', () => {
    expect([decimalText(0.0000001), decimalText(1e21), decimalText(20.75), decimalText(0)]).toEqual([
      '0.0000001',
      '1000000000000000000000',
      '20.75',
      '0',
    ]);
  });
});
