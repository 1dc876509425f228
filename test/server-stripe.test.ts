// The Stripe webhook end to end in-process: signature checks, the mapping into the workspace's store, and
// convergence: the same events in another order, with redeliveries, leave the same rows.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signStripePayload } from '../src/ingest/stripe/signature.js';
import { basilSubscription, envelope, fixture, type Json } from '../src/ingest/stripe/test-kit.js';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';

const SECRET = 'whsec_test_0123456789';
const T1 = 1_745_433_906; // the fixture subscription's start: 2025-04-23T18:45:06Z
const T2 = 1_746_000_000; // 2025-04-30T08:00:00Z
const T3 = 1_747_000_000; // 2025-05-11T21:46:40Z

/** Created at T1 with 1 × 2000 cents a month (20.00 USD MRR), 3 seats from T2 (60.00), deleted at T3 (0). */
function story(): Json[] {
  const created = basilSubscription();
  const upgraded = basilSubscription();
  upgraded.items.data[0].quantity = 3;
  const deleted = basilSubscription();
  Object.assign(deleted, { status: 'canceled', ended_at: T3, canceled_at: T3 });
  return [
    envelope('customer.subscription.created', created, { id: 'evt_1', created: T1 }),
    envelope('customer.subscription.updated', upgraded, { id: 'evt_2', created: T2 }),
    envelope('customer.subscription.deleted', deleted, { id: 'evt_3', created: T3 }),
  ];
}

let hub: WorkspaceHub;
let app: FastifyInstance;
beforeEach(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  for (const name of ['shop-a', 'shop-b']) {
    await hub.tenancy.setStripeSecret(await hub.tenancy.createWorkspace(name), SECRET);
  }
});
afterEach(async () => {
  await app.close();
  await hub.close();
});

function deliver(workspace: string, event: Json, options: { secret?: string; at?: number } = {}) {
  const body = JSON.stringify(event);
  const at = options.at ?? Math.floor(Date.now() / 1000);
  return app.inject({
    method: 'POST',
    url: `/api/v1/webhooks/stripe/${workspace}`,
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signStripePayload(body, options.secret ?? SECRET, at),
    },
    payload: body,
  });
}

async function rows(workspace: string, sql: string) {
  const runtime = await hub.runtime((await hub.tenancy.findWorkspace(workspace))!);
  return runtime.reader.query(sql);
}

const MRR_ROWS = `SELECT account_id, strftime(effective_at, '%Y-%m-%dT%H:%M:%S') AS at, CAST(mrr AS DOUBLE) AS mrr
  FROM mrr_changes ORDER BY effective_at, mrr`;

describe('Stripe webhook', () => {
  it('turns subscription events into MRR changes and movements, whatever the order of arrival', async () => {
    const [e1, e2, e3] = story();
    for (const event of [e1, e2, e3]) expect((await deliver('shop-a', event)).statusCode).toBe(200);
    for (const event of [e3, e1, e2, e2, e1]) expect((await deliver('shop-b', event)).statusCode).toBe(200);
    // The account's MRR is only ever what the subscription pays; rows where the total does not move are kept
    // (see docs/stripe.md), so compare the distinct (instant, MRR) steps.
    const expected = [
      { account_id: 'cus_1234', at: '2025-04-23T18:45:06', mrr: 20 },
      { account_id: 'cus_1234', at: '2025-04-30T08:00:00', mrr: 60 },
      { account_id: 'cus_1234', at: '2025-05-11T21:46:40', mrr: 0 },
    ];
    expect(await rows('shop-a', MRR_ROWS)).toEqual(expected);
    expect(await rows('shop-b', MRR_ROWS)).toEqual(expected);
    const movements = "SELECT movement FROM mrr_movements WHERE movement <> 'none' ORDER BY effective_at";
    expect(await rows('shop-b', movements)).toEqual([
      { movement: 'new' },
      { movement: 'expansion' },
      { movement: 'churn' },
    ]);
  });

  it('completes an account created by an early subscription event, and keeps the newest customer details', async () => {
    const [e1] = story();
    const customer = (name: string) => ({
      ...fixture('openapi-fixture.customer'),
      id: 'cus_1234',
      name,
      address: null,
    });
    await deliver('shop-a', e1);
    await deliver(
      'shop-a',
      envelope('customer.updated', customer('Acme Ltd'), { id: 'evt_c2', created: T2 }),
    );
    // Older, arriving late: changes nothing but may only move created_at earlier.
    await deliver('shop-a', envelope('customer.created', customer('Acme'), { id: 'evt_c1', created: T1 }));
    expect(await rows('shop-a', 'SELECT account_id, name FROM accounts')).toEqual([
      { account_id: 'cus_1234', name: 'Acme Ltd' },
    ]);
  });

  it('counts a redelivered event once and says so', async () => {
    const [e1] = story();
    expect((await deliver('shop-a', e1)).json()).toEqual({
      received: true,
      applied: 'subscription',
      duplicate: false,
    });
    expect((await deliver('shop-a', e1)).json()).toEqual({
      received: true,
      applied: 'subscription',
      duplicate: true,
    });
    expect(await rows('shop-a', 'SELECT count(*) AS n FROM stripe_subscription_states')).toEqual([{ n: 1 }]);
  });

  it('stores a paid invoice as a payment of its customer, in major units', async () => {
    const invoice = fixture('pay-rails.invoice');
    expect((await deliver('shop-a', envelope('invoice.paid', invoice, { id: 'evt_inv' }))).statusCode).toBe(
      200,
    );
    // amount_paid 24512 cents = 245.12 USD; no subscription parent, billing_reason manual → one_time.
    expect(
      await rows(
        'shop-a',
        'SELECT payment_id, account_id, CAST(amount AS DOUBLE) AS amount, kind, currency FROM payments',
      ),
    ).toEqual([
      {
        payment_id: 'in_1RFFohKXBGcbgpbZk9MxzDMc',
        account_id: 'cus_S9YwWMaQEgeJYO',
        amount: 245.12,
        kind: 'one_time',
        currency: 'USD',
      },
    ]);
  });

  it('refuses a wrong signature, an old or future timestamp, and writes nothing', async () => {
    const [e1] = story();
    const now = Math.floor(Date.now() / 1000);
    const refusals = [
      await deliver('shop-a', e1, { secret: 'whsec_other_secret_000' }),
      await deliver('shop-a', e1, { at: now - 301 }),
      await deliver('shop-a', e1, { at: now + 301 }),
      await app.inject({ method: 'POST', url: '/api/v1/webhooks/stripe/shop-a', payload: e1 }),
    ];
    for (const answer of refusals) {
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await rows('shop-a', 'SELECT count(*) AS n FROM stripe_events')).toEqual([{ n: 0 }]);
  });

  it('answers 404 for an unknown workspace and 409 until a signing secret is set', async () => {
    const [e1] = story();
    expect((await deliver('nobody', e1)).statusCode).toBe(404);
    await hub.tenancy.createWorkspace('shop-c');
    const answer = await deliver('shop-c', e1);
    expect(answer.statusCode).toBe(409);
    expect(answer.json().detail).toMatch(/PUT \/api\/v1\/stripe-secret/);
  });
});
