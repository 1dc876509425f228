// Test helpers of the Stripe ingest: fixture payloads from test/fixtures/stripe and event envelopes.
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../../test/fixtures/stripe/', import.meta.url);

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely in tests, like the JSON they are.
export type Json = any;

/** A fixture by file name without `.json`, parsed afresh (tests may change it). */
export function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8'));
}

/** The `object` of a pay-rails fixture, which holds an event's `data` member, not an envelope. */
export function payRailsObject(name: string): Json {
  return fixture(`pay-rails.${name}`).object;
}

/**
 * A webhook envelope around `object`, as Stripe sends it.
 * @example envelope('customer.created', customer, { created: 1745433962 })
 */
export function envelope(
  type: string,
  object: Json,
  options: { id?: string; created?: number; previous_attributes?: Json } = {},
): Json {
  const data: Json = { object };
  if (options.previous_attributes !== undefined) data.previous_attributes = options.previous_attributes;
  return {
    id: options.id ?? 'evt_test',
    object: 'event',
    api_version: '2025-03-31.basil',
    created: options.created ?? 1_745_433_962,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data,
  };
}

/**
 * The OpenAPI fixture subscription (API 2025-03-31.basil shape) with its contradictory placeholders
 * replaced by a coherent story: active since 2025-04-23T18:45:06Z (1745433906), one item at
 * price_1234 = 2000 cents a month × 1, paid through 2025-05-23T18:45:06Z (1748025906), no cancellation,
 * no pause, no package divisor. `items.data[0]` is the item to change.
 */
export function basilSubscription(): Json {
  const sub = fixture('openapi-fixture.subscription');
  Object.assign(sub, {
    id: 'sub_1234',
    customer: 'cus_1234',
    status: 'active',
    created: 1_745_433_906,
    start_date: 1_745_433_906,
    billing_cycle_anchor: 1_745_433_906,
    cancel_at: null,
    canceled_at: null,
    cancel_at_period_end: false,
    ended_at: null,
    trial_start: null,
    trial_end: null,
    pause_collection: null,
  });
  const item = sub.items.data[0];
  Object.assign(item, {
    id: 'si_1234',
    subscription: 'sub_1234',
    quantity: 1,
    current_period_start: 1_745_433_906,
    current_period_end: 1_748_025_906,
  });
  Object.assign(item.price, { id: 'price_1234', transform_quantity: null });
  item.plan = null;
  return sub;
}
