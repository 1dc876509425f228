// Turns one Stripe webhook event into normalised facts: a customer, a subscription state, or a payment.
import { FidelioError } from '../../domain/errors.js';
import { toMajorUnits } from './currency.js';
import { recurringAmount } from './mrr.js';
import {
  CustomerSchema,
  type Envelope,
  EnvelopeSchema,
  InvoiceSchema,
  parseOrThrow,
  refId,
  type Subscription,
  SubscriptionSchema,
} from './schemas.js';

export interface CustomerFacts {
  id: string;
  created_at: string;
  name: string | null;
  email: string | null;
  /** ISO 3166-1 alpha-2 country of the customer's address, when given. */
  country: string | null;
  metadata: Record<string, string>;
  /** From `customer.deleted`: Stripe removed the customer; Fidelio keeps the account. */
  deleted: boolean;
}

/** What one event says about one subscription at one instant. */
export interface SubscriptionState {
  subscription_id: string;
  customer_id: string;
  /** When this state took effect, by the object's own timestamps (see observedAt). */
  observed_at: string;
  /** Monthly recurring revenue in major units of `currency`; 0 unless the subscription is paying. */
  mrr: number;
  currency: string;
  status: string;
  cancel_requested_at: string | null;
  ends_at: string | null;
  event_id: string;
  event_type: string;
}

export interface PaymentFacts {
  payment_id: string;
  customer_id: string;
  paid_at: string;
  /** Major units of `currency`, as charged (tax included). */
  amount: number;
  currency: string;
  kind: 'recurring' | 'one_time';
}

export type StripeFacts =
  | { kind: 'customer'; customer: CustomerFacts }
  | { kind: 'subscription'; subscription: SubscriptionState; warnings: string[] }
  | { kind: 'payment'; payment: PaymentFacts }
  | { kind: 'ignored'; ignored: string };

const CUSTOMER_EVENTS = new Set(['customer.created', 'customer.updated', 'customer.deleted']);
/** Every event carrying a whole subscription object is a snapshot of its state. */
const SUBSCRIPTION_EVENTS = new Set([
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'customer.subscription.pending_update_applied',
  'customer.subscription.pending_update_expired',
  'customer.subscription.trial_will_end',
]);
const PAYMENT_EVENTS = new Set(['invoice.paid', 'invoice.payment_succeeded']);

/** Statuses in which the customer pays: MRR counts. Every other status (trialing included) is 0. */
const PAYING = new Set(['active', 'past_due']);
/** Statuses Stripe never leaves. */
const ENDED = new Set(['canceled', 'incomplete_expired']);
const KNOWN = new Set([...PAYING, ...ENDED, 'trialing', 'incomplete', 'unpaid', 'paused']);

const iso = (unix: number) => new Date(unix * 1000).toISOString();

/**
 * The facts of one event envelope (`{id, type, created, data: {object, previous_attributes?}}`).
 * Event types Fidelio does not use give `{ kind: 'ignored' }`; a malformed envelope or object throws
 * FidelioError('invalid_input', 'stripe_event_malformed') naming each bad field's path.
 * @example stripeFacts(JSON.parse(rawBody)) // { kind: 'payment', payment: { payment_id: 'in_1', … } }
 */
export function stripeFacts(event: unknown): StripeFacts {
  const envelope = parseOrThrow(EnvelopeSchema, event, 'Stripe event', '');
  const source = `Stripe event ${envelope.id} (${envelope.type})`;
  const object = envelope.data.object;
  if (CUSTOMER_EVENTS.has(envelope.type)) {
    const c = parseOrThrow(CustomerSchema, object, source, 'data.object');
    const customer: CustomerFacts = {
      id: c.id,
      created_at: iso(c.created),
      name: c.name ?? null,
      email: c.email ?? null,
      country: c.address?.country ?? null,
      metadata: c.metadata ?? {},
      deleted: envelope.type === 'customer.deleted',
    };
    return { kind: 'customer', customer };
  }
  if (SUBSCRIPTION_EVENTS.has(envelope.type)) {
    return subscriptionFacts(
      envelope,
      parseOrThrow(SubscriptionSchema, object, source, 'data.object'),
      source,
    );
  }
  if (PAYMENT_EVENTS.has(envelope.type)) {
    const invoice = parseOrThrow(InvoiceSchema, object, source, 'data.object');
    const subscription = invoice.subscription ?? invoice.parent?.subscription_details?.subscription;
    const payment: PaymentFacts = {
      payment_id: invoice.id,
      customer_id: refId(invoice.customer),
      paid_at: iso(invoice.status_transitions?.paid_at ?? invoice.created),
      amount: toMajorUnits(invoice.amount_paid, invoice.currency),
      currency: invoice.currency.toUpperCase(),
      kind: subscription || invoice.billing_reason?.startsWith('subscription') ? 'recurring' : 'one_time',
    };
    return { kind: 'payment', payment };
  }
  return { kind: 'ignored', ignored: envelope.type };
}

/**
 * When the state took effect, by the object's own timestamps rather than by arrival: a new subscription
 * from its start, an ended one from when it ended, any other change from when Stripe recorded the event.
 */
function observedAt(type: string, sub: Subscription, eventCreated: number): number {
  if (type === 'customer.subscription.created') return sub.start_date ?? sub.created;
  if (type === 'customer.subscription.deleted' || ENDED.has(sub.status)) return sub.ended_at ?? eventCreated;
  return eventCreated;
}

/** The latest paid-through instant: top-level before API 2025-03-31.basil, per item from then on. */
function periodEnd(sub: Subscription): number | null {
  const ends = [sub.current_period_end, ...(sub.items?.data ?? []).map((i) => i.current_period_end)];
  const known = ends.filter((e): e is number => typeof e === 'number');
  return known.length > 0 ? Math.max(...known) : null;
}

function subscriptionFacts(envelope: Envelope, sub: Subscription, source: string): StripeFacts {
  const at = observedAt(envelope.type, sub, envelope.created);
  const amount = recurringAmount(sub, at);
  if (amount === null) {
    throw new FidelioError(
      'invalid_input',
      'stripe_event_malformed',
      `${source}: the subscription names no currency`,
      [
        {
          file: source,
          line: 1,
          column: 'data.object.currency',
          value: null,
          rule: 'required',
          message: 'data.object.currency: no currency on the subscription or its prices',
        },
      ],
    );
  }
  const warnings = amount.warnings;
  const ended = envelope.type === 'customer.subscription.deleted' || ENDED.has(sub.status);
  if (!KNOWN.has(sub.status)) warnings.push(`unknown status ${sub.status}; MRR counted as 0`);
  // A paused collection bills nothing until it resumes, whatever the status says.
  const paying = !ended && PAYING.has(sub.status) && !sub.pause_collection;
  const cancelling = !ended && (sub.cancel_at_period_end === true || typeof sub.cancel_at === 'number');
  const endsAt = cancelling ? (sub.cancel_at ?? periodEnd(sub)) : null;
  const subscription: SubscriptionState = {
    subscription_id: sub.id,
    customer_id: refId(sub.customer),
    observed_at: iso(at),
    mrr: paying ? amount.monthly : 0,
    currency: amount.currency,
    status: sub.status,
    // Stripe sets canceled_at to the time of the latest cancellation request, also for a period-end one.
    cancel_requested_at: cancelling ? iso(sub.canceled_at ?? envelope.created) : null,
    ends_at: endsAt === null ? null : iso(endsAt),
    event_id: envelope.id,
    event_type: envelope.type,
  };
  return { kind: 'subscription', subscription, warnings };
}
