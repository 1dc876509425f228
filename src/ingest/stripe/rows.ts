// Stripe facts as import rows in the CSV column shape of KPI-SPEC §2, to go through the same validation.
import { FidelioError } from '../../domain/errors.js';
import type { CustomerFacts, PaymentFacts, SubscriptionState } from './events.js';

/** accounts.csv: one customer. */
export type AccountRow = {
  account_id: string;
  created_at: string;
  name: string | null;
  segment: string | null;
  country: string | null;
};
/** mrr_changes.csv: from `effective_at` on, the account's MRR is `mrr`. */
export type MrrChangeRow = {
  account_id: string;
  effective_at: string;
  mrr: string;
  currency: string | null;
  event_id: string | null;
};
/** cancellations.csv: a cancellation requested at `requested_at`, effective at `ends_at`. */
export type CancellationRow = { account_id: string; requested_at: string; ends_at: string };
/** payments.csv: money received. */
export type PaymentRow = {
  payment_id: string;
  account_id: string;
  paid_at: string;
  amount: string;
  kind: 'recurring' | 'one_time';
  currency: string | null;
};

/** A number as the import reads it: `.` decimals, never exponent notation. */
export function decimalText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // toFixed itself falls back to exponents from 1e21 on; such a number is whole anyway.
  if (Math.abs(value) >= 1e21) return BigInt(value).toString();
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** @example customerRow(facts.customer) // { account_id: 'cus_1', created_at: '2016-…Z', … } */
export function customerRow(customer: CustomerFacts): AccountRow {
  return {
    account_id: customer.id,
    created_at: customer.created_at,
    name: customer.name,
    segment: null,
    country: customer.country,
  };
}

/** The pending cancellation a state records, or null when it records none. */
export function cancellationRow(state: SubscriptionState): CancellationRow | null {
  if (state.cancel_requested_at === null || state.ends_at === null) return null;
  return { account_id: state.customer_id, requested_at: state.cancel_requested_at, ends_at: state.ends_at };
}

export function paymentRow(payment: PaymentFacts): PaymentRow {
  return {
    payment_id: payment.payment_id,
    account_id: payment.customer_id,
    paid_at: payment.paid_at,
    amount: decimalText(payment.amount),
    kind: payment.kind,
    currency: payment.currency,
  };
}

/** Created first, deleted last: the order Stripe records them in when they share a second. */
const TYPE_RANK: Record<string, number> = {
  'customer.subscription.created': 0,
  'customer.subscription.deleted': 2,
};

interface Timed {
  at: number;
  instant: string;
  state: SubscriptionState;
}

function timed(state: SubscriptionState): Timed {
  const at = Date.parse(state.observed_at);
  if (Number.isNaN(at)) {
    throw new FidelioError(
      'invalid_input',
      'stripe_state_malformed',
      `subscription state of event ${state.event_id}: observed_at "${state.observed_at}" is not an instant`,
    );
  }
  return { at, instant: new Date(at).toISOString(), state };
}

/** A total order on states, so any arrival order (and any duplicate) gives the same result. */
function compareTimed(a: Timed, b: Timed): number {
  const rank = (t: Timed) => TYPE_RANK[t.state.event_type] ?? 1;
  const text = (t: Timed) => JSON.stringify(t.state);
  return (
    a.at - b.at ||
    rank(a) - rank(b) ||
    (a.state.event_id < b.state.event_id ? -1 : a.state.event_id > b.state.event_id ? 1 : 0) ||
    (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0)
  );
}

function requireOneOf(states: readonly SubscriptionState[], field: 'customer_id' | 'currency'): string {
  const values = [...new Set(states.map((s) => s[field]))].sort();
  if (values.length > 1) {
    throw new FidelioError(
      'invalid_input',
      field === 'currency' ? 'stripe_mixed_currencies' : 'stripe_mixed_customers',
      `the subscription states of one customer must share one ${field}; found ${values.join(', ')}`,
    );
  }
  return values[0]!;
}

/**
 * The mrr_changes rows of ONE customer from ALL its known subscription states (any order, duplicates
 * allowed): at each instant where some state takes effect, the account's MRR is the sum, over its
 * subscriptions, of each one's latest state at or before that instant. The same set of states gives the
 * same rows whatever the arrival order.
 *
 * There is a row at every such instant, also where the total does not change (a "none" movement), and
 * `event_id` = `stripe:<customer>:<instant>:<mrr>`. So storing each new result through the import
 * converges on storing the last one alone: instants only accumulate as states arrive, a known event_id
 * is a true duplicate, and a changed total at a stored instant replaces that row (KPI-SPEC §2: one row
 * per account and effective_at, the later wins).
 * @example customerMrrChanges([created, updated]) // [{ account_id: 'cus_1', effective_at: '…', mrr: '6', … }]
 */
export function customerMrrChanges(states: readonly SubscriptionState[]): MrrChangeRow[] {
  if (states.length === 0) return [];
  const customer = requireOneOf(states, 'customer_id');
  const currency = requireOneOf(states, 'currency');
  const ordered = states.map(timed).sort(compareTimed);
  const history = new Map<string, Timed[]>();
  for (const t of ordered) {
    const list = history.get(t.state.subscription_id) ?? [];
    list.push(t);
    history.set(t.state.subscription_id, list);
  }
  // Summed in subscription-id order: floating-point addition depends on order, the result must not.
  const subscriptions = [...history.keys()].sort().map((id) => ({ list: history.get(id)!, next: 0 }));
  const rows: MrrChangeRow[] = [];
  for (const instant of new Set(ordered.map((t) => t.instant))) {
    const at = Date.parse(instant);
    let total = 0;
    for (const sub of subscriptions) {
      while (sub.next < sub.list.length && sub.list[sub.next]!.at <= at) sub.next += 1;
      total += sub.next > 0 ? sub.list[sub.next - 1]!.state.mrr : 0;
    }
    const mrr = decimalText(total);
    rows.push({
      account_id: customer,
      effective_at: instant,
      mrr,
      currency,
      event_id: `stripe:${customer}:${instant}:${mrr}`,
    });
  }
  return rows;
}
