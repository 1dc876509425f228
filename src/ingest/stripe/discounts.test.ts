// Coupons on subscriptions and items: which ones lower MRR, and by how much.
import { describe, expect, it } from 'vitest';
import { stripeFacts } from './events.js';
import { basilSubscription, envelope, fixture, type Json } from './test-kit.js';

const AT = 1_745_500_000; // the event time; discounts ending at or before it are over

function result(sub: Json) {
  const facts = stripeFacts(envelope('customer.subscription.updated', sub, { created: AT }));
  if (facts.kind !== 'subscription') throw new Error('expected a subscription state');
  return { mrr: facts.subscription.mrr, warnings: facts.warnings };
}

/** A discount in the current shape (`source.coupon`), expanded. */
const discount = (coupon: Json, extra: Json = {}) => ({
  id: `di_${coupon.id}`,
  object: 'discount',
  start: 1_745_000_000,
  end: null,
  source: { type: 'coupon', coupon },
  ...extra,
});
const percentOff = (percent: number, duration = 'forever') => ({
  ...fixture('openapi-fixture.coupon'), // 25.5 % off, forever
  id: `P${percent}`,
  percent_off: percent,
  duration,
});
const amountOff = (cents: number, currency = 'usd') => ({
  id: `A${cents}`,
  object: 'coupon',
  amount_off: cents,
  percent_off: null,
  currency,
  duration: 'forever',
});

describe('discounts', () => {
  it('takes a subscription-level percent_off coupon off the monthly amount (OpenAPI coupon: 25.5 %)', () => {
    const sub = basilSubscription(); // 2000 cents a month
    sub.discounts = [discount(fixture('openapi-fixture.coupon'))];
    expect(result(sub).mrr).toBeCloseTo(14.9, 10); // 2000 × (1 − 0.255) = 1490 cents
  });

  it('takes an item-level amount_off coupon off each invoice of that item', () => {
    const sub = basilSubscription();
    sub.items.data[0].discounts = [discount(amountOff(500))];
    expect(result(sub).mrr).toBe(15); // 2000 − 500 = 1500 cents
  });

  it('normalises an amount_off coupon on a yearly price to a month', () => {
    const sub = basilSubscription();
    Object.assign(sub.items.data[0].price, {
      unit_amount: 24_900,
      unit_amount_decimal: '24900',
      recurring: { interval: 'year', interval_count: 1 },
    });
    sub.discounts = [discount(amountOff(2_400))];
    expect(result(sub).mrr).toBe(18.75); // (24900 − 2400) / 12 = 22500 / 12 = 1875 cents
  });

  it('computes several discounts each on the undiscounted amount, and never below 0', () => {
    const sub = basilSubscription();
    sub.discounts = [discount(percentOff(10)), discount(amountOff(300))];
    expect(result(sub).mrr).toBe(15); // 2000 − 10 % of 2000 − 300 = 2000 − 200 − 300 = 1500 cents
    sub.discounts = [discount(percentOff(60)), discount(percentOff(60))];
    expect(result(sub).mrr).toBe(0); // 120 % off is capped at the whole amount
  });

  it('reads the older shape: a single `discount` with `coupon`, counted once when also listed', () => {
    const sub = basilSubscription();
    const old = { id: 'di_old', object: 'discount', coupon: percentOff(50), end: null };
    sub.discount = old;
    sub.discounts = ['di_old'];
    expect(result(sub)).toEqual({ mrr: 10, warnings: [] }); // 2000 × 50 % = 1000 cents
  });

  it('ignores a once coupon (one invoice, not the run rate) and a discount that has ended', () => {
    const sub = basilSubscription();
    sub.discounts = [discount(percentOff(50, 'once')), discount(percentOff(50), { id: 'di_over', end: AT })];
    expect(result(sub).mrr).toBe(20);
  });

  it('applies a repeating coupon while it lasts', () => {
    const sub = basilSubscription();
    sub.discounts = [discount(percentOff(25, 'repeating'), { end: AT + 86_400 })];
    expect(result(sub).mrr).toBe(15); // 2000 × 75 % = 1500 cents
  });

  it('uses currency_options for an amount_off coupon in another currency, else leaves it out and says so', () => {
    const sub = basilSubscription();
    const eur = { ...amountOff(400, 'eur'), currency_options: { usd: { amount_off: 500 } } };
    sub.discounts = [discount(eur)];
    expect(result(sub).mrr).toBe(15); // 2000 − 500 cents
    sub.discounts = [discount(amountOff(400, 'eur'))];
    expect(result(sub)).toEqual({ mrr: 20, warnings: [expect.stringContaining('no amount in USD')] });
  });

  it('leaves out a discount given only by id, and says so', () => {
    const sub = basilSubscription();
    sub.discounts = ['di_unexpanded'];
    expect(result(sub)).toEqual({ mrr: 20, warnings: [expect.stringContaining('di_unexpanded')] });
  });
});
