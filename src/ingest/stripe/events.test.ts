// Event envelopes to facts: customers, paid invoices, ignored types, and malformed events.
import { describe, expect, it } from 'vitest';
import { FidelioError } from '../../domain/errors.js';
import { stripeFacts } from './events.js';
import { envelope, fixture, type Json, payRailsObject } from './test-kit.js';

const payment = (type: string, invoice: Json) => {
  const facts = stripeFacts(envelope(type, invoice));
  if (facts.kind !== 'payment') throw new Error(`expected a payment, got ${facts.kind}`);
  return facts.payment;
};

function malformed(event: unknown): { code: string; columns: string[]; message: string } {
  try {
    stripeFacts(event);
  } catch (error) {
    if (!(error instanceof FidelioError) || error.kind !== 'invalid_input') throw error;
    return { code: error.code, columns: error.issues.map((i) => i.column), message: error.message };
  }
  throw new Error('expected the event to be rejected');
}

describe('customer events', () => {
  it('reads the OpenAPI customer: created 1234567890, no name, no country', () => {
    expect(stripeFacts(envelope('customer.created', fixture('openapi-fixture.customer')))).toEqual({
      kind: 'customer',
      customer: {
        id: 'cus_QXg1o8vcGmoR32',
        created_at: '2009-02-13T23:31:30.000Z',
        name: null,
        email: null,
        country: null, // address.country is null
        metadata: {},
        deleted: false,
      },
    });
  });

  it('reads name, email, address country and metadata of an updated customer', () => {
    const customer = fixture('openapi-fixture.customer');
    Object.assign(customer, { name: 'Acme GmbH', email: 'billing@acme.example', metadata: { plan: 'pro' } });
    customer.address.country = 'DE';
    const facts = stripeFacts(envelope('customer.updated', customer));
    expect(facts).toMatchObject({
      customer: {
        name: 'Acme GmbH',
        email: 'billing@acme.example',
        country: 'DE',
        metadata: { plan: 'pro' },
      },
    });
  });

  it('keeps a deleted customer as an account, marked deleted (pay-rails, older shape without name)', () => {
    expect(stripeFacts(envelope('customer.deleted', payRailsObject('customer.deleted')))).toEqual({
      kind: 'customer',
      customer: {
        id: 'cus_EGxrcooteA3WAb',
        created_at: '2019-01-03T06:43:28.000Z', // created 1546497808
        name: null,
        email: null,
        country: null,
        metadata: {},
        deleted: true,
      },
    });
  });
});

describe('paid invoices', () => {
  it('reads a one-off invoice: 24512 cents paid = 245.12 USD at status_transitions.paid_at (pay-rails)', () => {
    // billing_reason manual, no subscription, parent null: not recurring.
    expect(payment('invoice.paid', fixture('pay-rails.invoice'))).toEqual({
      payment_id: 'in_1RFFohKXBGcbgpbZk9MxzDMc',
      customer_id: 'cus_S9YwWMaQEgeJYO',
      paid_at: '2025-04-18T14:26:03.000Z', // paid_at 1744986363
      amount: 245.12,
      currency: 'USD',
      kind: 'one_time',
    });
  });

  it('recognises a basil-shape renewal by parent.subscription_details.subscription', () => {
    // pay-rails invoice.payment_failed is the failed first attempt; here its retry succeeded: the test sets
    // amount_paid and paid_at, and drops billing_reason so that only `parent` marks it recurring.
    const invoice = payRailsObject('invoice.payment_failed');
    Object.assign(invoice, { amount_paid: 24_900, status: 'paid', billing_reason: null });
    invoice.status_transitions.paid_at = 1_745_500_000;
    expect(payment('invoice.payment_succeeded', invoice)).toEqual({
      payment_id: 'in_1234',
      customer_id: 'cus_1234',
      paid_at: '2025-04-24T13:06:40.000Z',
      amount: 249, // 24900 cents
      currency: 'USD',
      kind: 'recurring',
    });
  });

  it('falls back to the invoice creation time when paid_at is missing', () => {
    expect(payment('invoice.paid', payRailsObject('invoice.payment_failed')).paid_at).toBe(
      '2025-04-23T18:46:02.000Z', // created 1745433962
    );
  });

  it('recognises the older shape by the top-level subscription, and a subscription billing_reason alone', () => {
    const old = fixture('pay-rails.invoice');
    old.subscription = 'sub_old';
    expect(payment('invoice.paid', old).kind).toBe('recurring');
    const byReason = fixture('pay-rails.invoice');
    byReason.billing_reason = 'subscription_create';
    expect(payment('invoice.paid', byReason).kind).toBe('recurring');
  });

  it('parses the OpenAPI invoice (recurring by its parent) and reads zero-decimal amounts as they are', () => {
    const invoice = fixture('openapi-fixture.invoice');
    Object.assign(invoice, { amount_paid: 5_000, currency: 'jpy' });
    expect(payment('invoice.paid', invoice)).toMatchObject({
      amount: 5_000,
      currency: 'JPY',
      kind: 'recurring',
    });
  });
});

describe('other events', () => {
  it('ignores event types it does not use (the OpenAPI plan.created envelope)', () => {
    expect(stripeFacts(fixture('openapi-fixture.event'))).toEqual({
      kind: 'ignored',
      ignored: 'plan.created',
    });
  });

  it('ignores invoice events other than paid ones, e.g. invoice.payment_failed', () => {
    expect(stripeFacts(envelope('invoice.payment_failed', payRailsObject('invoice.payment_failed')))).toEqual(
      {
        kind: 'ignored',
        ignored: 'invoice.payment_failed',
      },
    );
  });
});

describe('malformed events', () => {
  it('names the missing envelope fields', () => {
    expect(malformed({ id: 'evt_1', data: {} })).toMatchObject({
      code: 'stripe_event_malformed',
      columns: ['type', 'created', 'data.object'],
    });
    expect(malformed(null).columns).toEqual(['(root)']);
  });

  it('names a bad field of the object by its path from the event root', () => {
    const sub = payRailsObject('subscription.created');
    delete sub.customer;
    sub.items.data[0].quantity = -1;
    const result = malformed(envelope('customer.subscription.created', sub, { id: 'evt_bad' }));
    expect(result.columns).toEqual(['data.object.customer', 'data.object.items.data.0.quantity']);
    expect(result.message).toContain('Stripe event evt_bad (customer.subscription.created)');
  });

  it('rejects a subscription that names no currency anywhere', () => {
    const sub = payRailsObject('subscription.created');
    sub.items.data[0].price.currency = null;
    expect(malformed(envelope('customer.subscription.updated', sub)).columns).toEqual([
      'data.object.currency',
    ]);
  });

  it('does not check objects of ignored event types', () => {
    expect(stripeFacts(envelope('charge.refunded', { nonsense: true })).kind).toBe('ignored');
  });
});
