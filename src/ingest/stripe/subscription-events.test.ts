// Subscription events as states: MRR, the instant a state takes effect, and pending cancellations.
import { describe, expect, it } from 'vitest';
import { type StripeFacts, type SubscriptionState, stripeFacts } from './events.js';
import { basilSubscription, envelope, fixture, type Json, payRailsObject } from './test-kit.js';

const EVENT_AT = 1_745_500_000; // 2025-04-24T13:06:40Z, when the test's event was recorded

function facts(
  type: string,
  object: Json,
  created = EVENT_AT,
): Extract<StripeFacts, { kind: 'subscription' }> {
  const result = stripeFacts(envelope(type, object, { id: 'evt_sub', created }));
  if (result.kind !== 'subscription') throw new Error(`expected a subscription state, got ${result.kind}`);
  return result;
}
const state = (type: string, object: Json, created?: number): SubscriptionState =>
  facts(type, object, created).subscription;
const mrrOf = (object: Json) => state('customer.subscription.updated', object).mrr;

describe('the older API shape (pay-rails, subscription-level periods and quantity)', () => {
  it('reads customer.subscription.created: 300 cents a month × quantity 2 = 6.00 USD from its start', () => {
    expect(state('customer.subscription.created', payRailsObject('subscription.created'))).toEqual({
      subscription_id: 'sub_00000000000000',
      customer_id: 'cus_00000000000000',
      observed_at: '2016-06-24T15:45:24.000Z', // no start_date: created 1466783124, not the event time
      mrr: 6, // price.amount 300 (a plan-like price, interval month) × item quantity 2 = 600 cents
      currency: 'USD', // no subscription currency in this shape: the price's "usd"
      status: 'active',
      cancel_requested_at: null,
      ends_at: null,
      event_id: 'evt_sub',
      event_type: 'customer.subscription.created',
    });
  });

  it('falls back to the subscription quantity when the item has none', () => {
    const sub = payRailsObject('subscription.created');
    sub.items.data[0].quantity = null;
    sub.quantity = 3;
    expect(mrrOf(sub)).toBe(9); // 300 cents × 3 = 900 cents
  });

  it('prices a subscription from before items by its top-level plan and quantity', () => {
    const sub = payRailsObject('subscription.created');
    sub.items = null;
    sub.plan = sub.price; // 300 cents a month
    expect(mrrOf(sub)).toBe(6); // × subscription quantity 2
  });

  it('ends a deleted subscription at ended_at with MRR 0 and no pending cancellation', () => {
    const s = state('customer.subscription.deleted', payRailsObject('subscription.deleted'));
    expect(s).toMatchObject({ observed_at: '2019-01-08T05:23:47.000Z', mrr: 0, status: 'canceled' });
    expect([s.cancel_requested_at, s.ends_at]).toEqual([null, null]);
  });

  it('takes cancel_at_period_end to end at the subscription-level current_period_end', () => {
    const sub = payRailsObject('subscription.created');
    sub.cancel_at_period_end = true;
    sub.canceled_at = 1_487_000_000; // the request: 2017-02-13T15:33:20Z
    expect(state('customer.subscription.updated', sub)).toMatchObject({
      mrr: 6, // still paying until the end of the term
      cancel_requested_at: '2017-02-13T15:33:20.000Z',
      ends_at: '2017-03-08T15:45:24.000Z', // current_period_end 1488987924
    });
  });
});

describe('the 2025 basil shape (periods on items)', () => {
  it('dates an update to status canceled at ended_at, not at arrival (pay-rails subscription.updated)', () => {
    const s = state('customer.subscription.updated', payRailsObject('subscription.updated'), 1_700_000_000);
    expect(s).toMatchObject({ observed_at: '2017-02-23T17:47:49.000Z', mrr: 0, status: 'canceled' });
  });

  it('dates any other update at the event time', () => {
    expect(state('customer.subscription.updated', basilSubscription()).observed_at).toBe(
      '2025-04-24T13:06:40.000Z',
    );
  });

  it('dates a created subscription at its start_date', () => {
    const sub = basilSubscription();
    sub.start_date = 1_745_000_000; // backdated: 2025-04-18T18:13:20Z
    expect(state('customer.subscription.created', sub).observed_at).toBe('2025-04-18T18:13:20.000Z');
  });

  it('ends a cancel_at_period_end subscription at the latest item period end', () => {
    const sub = basilSubscription();
    sub.cancel_at_period_end = true;
    sub.canceled_at = 1_745_500_000;
    const second = structuredClone(sub.items.data[0]);
    second.id = 'si_5678';
    second.current_period_end = 1_748_100_000; // later than the first item's 1748025906
    sub.items.data.push(second);
    expect(state('customer.subscription.updated', sub)).toMatchObject({
      mrr: 40, // two items of 2000 cents a month
      cancel_requested_at: '2025-04-24T13:06:40.000Z',
      ends_at: '2025-05-24T15:20:00.000Z', // max(1748025906, 1748100000)
    });
  });

  it('takes a scheduled cancel_at as the end, and the event time as the request when canceled_at is null', () => {
    const sub = basilSubscription();
    sub.cancel_at = 1_750_000_000; // 2025-06-15T15:06:40Z
    expect(state('customer.subscription.updated', sub, 1_745_600_000)).toMatchObject({
      cancel_requested_at: '2025-04-25T16:53:20.000Z', // the event's created, 1745600000
      ends_at: '2025-06-15T15:06:40.000Z',
    });
  });

  it('parses the OpenAPI fixture as it is (placeholders and all)', () => {
    // Its price has transform_quantity divide_by 1592560163, round down: floor(1 / 1592560163) = 0 units.
    expect(state('customer.subscription.updated', fixture('openapi-fixture.subscription'))).toMatchObject({
      subscription_id: 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw',
      customer_id: 'cus_QXg1o8vcGmoR32',
      mrr: 0,
      currency: 'USD',
      cancel_requested_at: '2009-02-13T23:31:30.000Z', // canceled_at 1234567890
      ends_at: '2009-02-13T23:31:30.000Z', // cancel_at 1234567890
    });
  });

  it('reads an expanded customer object for the customer id', () => {
    const sub = basilSubscription();
    sub.customer = { id: 'cus_1234', object: 'customer' };
    expect(state('customer.subscription.updated', sub).customer_id).toBe('cus_1234');
  });
});

describe('MRR normalised to a month', () => {
  const priced = (unitAmount: number, interval: string, count: number, currency = 'usd') => {
    const sub = basilSubscription();
    sub.currency = currency;
    Object.assign(sub.items.data[0].price, {
      unit_amount: unitAmount,
      unit_amount_decimal: String(unitAmount),
      currency,
      recurring: { interval, interval_count: count, usage_type: 'licensed' },
    });
    return sub;
  };

  it('divides a yearly price by 12: $249.00 a year (pay-rails invoice.payment_failed) is 20.75 a month', () => {
    expect(mrrOf(priced(24_900, 'year', 1))).toBe(20.75); // 24900 / 12 = 2075 cents
  });

  it('divides by interval_count: 9000 cents a quarter (month × 3) is 30.00, 24000 per 2 years is 10.00', () => {
    expect(mrrOf(priced(9_000, 'month', 3))).toBe(30); // 9000 / 3 = 3000 cents
    expect(mrrOf(priced(24_000, 'year', 2))).toBe(10); // 24000 / 24 = 1000 cents
  });

  it('counts 52 weeks and 365 days a year', () => {
    expect(mrrOf(priced(1_000, 'week', 1))).toBeCloseTo(43.333_333_333, 9); // 1000 × 52 / 12 = 4333.33… cents
    expect(mrrOf(priced(100, 'day', 1))).toBeCloseTo(30.416_666_667, 9); // 100 × 365 / 12 = 3041.66… cents
  });

  it('multiplies by the item quantity', () => {
    const sub = priced(2_000, 'month', 1);
    sub.items.data[0].quantity = 7;
    expect(mrrOf(sub)).toBe(140); // 2000 × 7 = 14000 cents
  });

  it('applies package pricing: 25 seats at 1000 cents per started 10 seats is 30.00', () => {
    const sub = priced(1_000, 'month', 1);
    sub.items.data[0].quantity = 25;
    sub.items.data[0].price.transform_quantity = { divide_by: 10, round: 'up' };
    expect(mrrOf(sub)).toBe(30); // ceil(25 / 10) = 3 packages × 1000 cents
  });

  it('keeps sub-cent unit amounts from unit_amount_decimal', () => {
    const sub = priced(0, 'month', 1);
    sub.items.data[0].price.unit_amount_decimal = '0.5'; // half a cent per unit
    sub.items.data[0].quantity = 1_000;
    expect(mrrOf(sub)).toBe(5); // 0.5 × 1000 = 500 cents
  });

  it('reads zero- and three-decimal currencies: 5000 JPY is ¥5000, 5120 KWD is 5.120', () => {
    expect(mrrOf(priced(5_000, 'month', 1, 'jpy'))).toBe(5_000);
    expect(mrrOf(priced(5_120, 'month', 1, 'kwd'))).toBe(5.12);
  });

  it('counts a metered item as 0 and says so', () => {
    const sub = priced(2_000, 'month', 1);
    sub.items.data.push({
      id: 'si_metered',
      price: { currency: 'usd', unit_amount: 5, recurring: { interval: 'month', usage_type: 'metered' } },
    });
    const result = facts('customer.subscription.updated', sub);
    expect(result.subscription.mrr).toBe(20); // the licensed item only
    expect(result.warnings).toEqual([expect.stringContaining('si_metered is metered')]);
  });

  it('counts a tiered price without an amount as 0 and says so', () => {
    const sub = priced(2_000, 'month', 1);
    Object.assign(sub.items.data[0].price, {
      billing_scheme: 'tiered',
      unit_amount: null,
      unit_amount_decimal: null,
    });
    const result = facts('customer.subscription.updated', sub);
    expect(result.subscription.mrr).toBe(0);
    expect(result.warnings).toEqual([expect.stringContaining('no unit amount')]);
  });
});

describe('MRR by status', () => {
  const withStatus = (status: string) => {
    const sub = basilSubscription(); // 2000 cents a month
    sub.status = status;
    return mrrOf(sub);
  };

  it('counts active and past_due subscriptions', () => {
    expect([withStatus('active'), withStatus('past_due')]).toEqual([20, 20]);
  });

  it('counts trialing, incomplete, unpaid, paused, canceled and incomplete_expired as 0', () => {
    for (const status of ['trialing', 'incomplete', 'unpaid', 'paused', 'canceled', 'incomplete_expired']) {
      expect(withStatus(status), status).toBe(0);
    }
  });

  it('counts an active subscription with paused collection as 0', () => {
    const sub = basilSubscription();
    sub.pause_collection = { behavior: 'void', resumes_at: null };
    expect(mrrOf(sub)).toBe(0);
  });

  it('counts an unknown status as 0 and says so', () => {
    const sub = basilSubscription();
    sub.status = 'hibernating';
    const result = facts('customer.subscription.updated', sub);
    expect(result.subscription.mrr).toBe(0);
    expect(result.warnings).toEqual(['unknown status hibernating; MRR counted as 0']);
  });

  it('counts a deleted subscription as 0 whatever its status says', () => {
    expect(state('customer.subscription.deleted', basilSubscription()).mrr).toBe(0);
  });
});
