// Applies one verified Stripe event to a workspace's store, in the caller's transaction. Redeliveries are
// recognised by event id; an account's Stripe MRR rows are re-derived from every subscription state seen, so
// events that arrive late or twice converge to the same rows (see customerMrrChanges).
import { FidelioError } from '../../domain/errors.js';
import { storeCurrency } from '../../kpi/store-facts.js';
import type { Store } from '../../store/store.js';
import { dropHealthSnapshots } from '../health-snapshots.js';
import { refreshMovements } from '../rollups.js';
import type { StripeFacts, SubscriptionState } from './events.js';
import { cancellationRow, customerMrrChanges, paymentRow } from './rows.js';

export type StripeOutcome = {
  applied: 'customer' | 'subscription' | 'payment' | 'ignored';
  duplicate: boolean;
};

export async function storeStripeEvent(
  store: Store,
  event: { id: string; type: string; created: number },
  facts: StripeFacts,
): Promise<StripeOutcome> {
  const applied = facts.kind;
  const seen = await store.query('SELECT 1 FROM stripe_events WHERE event_id = $1', [event.id]);
  if (seen.length > 0) return { applied, duplicate: true };
  await store.run('INSERT INTO stripe_events VALUES ($1, $2, now())', [event.id, event.type]);
  switch (facts.kind) {
    case 'customer': {
      const c = facts.customer;
      await ensureAccount(store, c.id, c.created_at);
      // Name and country follow the newest customer event; an older one arriving late changes nothing.
      const newer = await store.query(
        `INSERT INTO stripe_customers VALUES ($1, to_timestamp($2)::TIMESTAMP)
         ON CONFLICT (customer_id) DO UPDATE SET seen_at = excluded.seen_at WHERE excluded.seen_at >= stripe_customers.seen_at
         RETURNING customer_id`,
        [c.id, event.created],
      );
      await store.run(
        `UPDATE accounts SET created_at = LEAST(created_at, CAST($2 AS TIMESTAMPTZ)::TIMESTAMP)
         ${newer.length > 0 ? ', name = $3, country = $4' : ''} WHERE account_id = $1`,
        newer.length > 0 ? [c.id, c.created_at, c.name, c.country] : [c.id, c.created_at],
      );
      break;
    }
    case 'subscription':
      await storeSubscriptionState(store, facts.subscription);
      break;
    case 'payment': {
      const row = paymentRow(facts.payment);
      await ensureAccount(store, row.account_id, row.paid_at);
      await requireCurrency(store, row.currency);
      await store.run(
        `INSERT INTO payments SELECT $1, $2, CAST($3 AS TIMESTAMPTZ)::TIMESTAMP, CAST($4 AS DECIMAL(18, 4)), $5, $6
         WHERE NOT EXISTS (SELECT 1 FROM payments WHERE payment_id = $1)`,
        [row.payment_id, row.account_id, row.paid_at, row.amount, row.kind, row.currency],
      );
      break;
    }
    case 'ignored':
      return { applied, duplicate: false };
  }
  await dropHealthSnapshots(store);
  return { applied, duplicate: false };
}

async function storeSubscriptionState(store: Store, state: SubscriptionState): Promise<void> {
  const customer = state.customer_id;
  await ensureAccount(store, customer, state.observed_at);
  await requireCurrency(store, state.currency);
  await store.run('INSERT INTO stripe_subscription_states VALUES ($1, $2, $3)', [
    state.event_id,
    customer,
    JSON.stringify(state),
  ]);
  const states = (
    await store.query<{ state: string }>(
      'SELECT state FROM stripe_subscription_states WHERE customer_id = $1',
      [customer],
    )
  ).map((r) => JSON.parse(r.state) as SubscriptionState);
  await store.run("DELETE FROM mrr_changes WHERE account_id = $1 AND event_id LIKE 'stripe:%'", [customer]);
  for (const row of customerMrrChanges(states)) {
    await store.run(
      `INSERT INTO mrr_changes VALUES ($1, CAST($2 AS TIMESTAMPTZ)::TIMESTAMP, CAST($3 AS DECIMAL(18, 4)), $4, $5)`,
      [row.account_id, row.effective_at, row.mrr, row.currency, row.event_id],
    );
  }
  await store.run('CREATE OR REPLACE TEMP TABLE stripe_touched AS SELECT $1 AS account_id', [customer]);
  await refreshMovements(store, 'stripe_touched');
  const cancellation = cancellationRow(state);
  if (cancellation) {
    await store.run(
      `INSERT INTO cancellations SELECT $1, CAST($2 AS TIMESTAMPTZ)::TIMESTAMP, CAST($3 AS TIMESTAMPTZ)::TIMESTAMP
       WHERE NOT EXISTS (SELECT 1 FROM cancellations WHERE account_id = $1
                         AND requested_at = CAST($2 AS TIMESTAMPTZ)::TIMESTAMP AND ends_at = CAST($3 AS TIMESTAMPTZ)::TIMESTAMP)`,
      [cancellation.account_id, cancellation.requested_at, cancellation.ends_at],
    );
  }
}

/** Events about a customer may arrive before its customer.created: the account starts at the earliest we see. */
async function ensureAccount(store: Store, accountId: string, seenAt: string): Promise<void> {
  await store.run(
    `INSERT INTO accounts (account_id, created_at) VALUES ($1, CAST($2 AS TIMESTAMPTZ)::TIMESTAMP)
     ON CONFLICT (account_id) DO UPDATE SET created_at = LEAST(accounts.created_at, excluded.created_at)`,
    [accountId, seenAt],
  );
}

/** KPI-SPEC §2: one currency per store. */
async function requireCurrency(store: Store, currency: string | null): Promise<void> {
  if (!currency) return;
  const established = await storeCurrency(store);
  if (established && established !== currency.toUpperCase()) {
    throw new FidelioError(
      'invalid_input',
      'single_currency',
      `the event is in ${currency.toUpperCase()} but this workspace holds ${established}; a workspace holds one currency`,
    );
  }
}
