// A Stripe subscription's recurring amount per month: prices × quantities, normalised by interval, less coupons.
import { toMajorUnits } from './currency.js';
import type { Coupon, Discount, Pricing, Subscription, SubscriptionItem } from './schemas.js';

export type Interval = 'day' | 'week' | 'month' | 'year';

/**
 * `amount` billed every `count` `interval`s, per month. A month is 1/12 year: a year is 12 months,
 * a week 12/52 of a month (52 weeks a year), a day 12/365 of a month (365 days a year).
 * @example perMonth(24900, 'year', 1) // 2075
 */
export function perMonth(amount: number, interval: Interval, count = 1): number {
  switch (interval) {
    case 'month':
      return amount / count;
    case 'year':
      return amount / (12 * count);
    case 'week':
      return (amount * 52) / (12 * count);
    case 'day':
      return (amount * 365) / (12 * count);
  }
}

export interface RecurringAmount {
  /** Monthly amount in major units (e.g. dollars), after the coupons Fidelio can see. */
  monthly: number;
  /** Upper-case ISO currency. */
  currency: string;
  /** What could not be priced and was counted as 0, in words for a log. */
  warnings: string[];
}

interface Billing {
  interval: Interval;
  count: number;
}

function billingOf(pricing: Pricing): Billing | null {
  const interval = pricing.recurring?.interval ?? pricing.interval;
  if (!interval) return null;
  return { interval, count: pricing.recurring?.interval_count ?? pricing.interval_count ?? 1 };
}

/** The unit amount in minor units; `*_decimal` carries sub-cent precision where the integer may not. */
function unitAmount(pricing: Pricing): number | null {
  const decimal = pricing.unit_amount_decimal ?? pricing.amount_decimal;
  if (decimal !== null && decimal !== undefined) return Number(decimal);
  return pricing.unit_amount ?? pricing.amount ?? null;
}

function billedQuantity(pricing: Pricing, quantity: number): number {
  // Package pricing ("per 10 seats"): Stripe bills ceil/floor(quantity / divide_by) units.
  const t = pricing.transform_quantity ?? pricing.transform_usage;
  if (!t) return quantity;
  return t.round === 'up' ? Math.ceil(quantity / t.divide_by) : Math.floor(quantity / t.divide_by);
}

/** Coupons in force at `at` (unix s) that recur; a `once` coupon discounts one invoice, not the run rate. */
function recurringCoupons(refs: readonly (string | Discount)[], at: number, warnings: string[]): Coupon[] {
  const coupons: Coupon[] = [];
  for (const ref of refs) {
    if (typeof ref === 'string') {
      warnings.push(`discount ${ref} is not expanded in the event; MRR is before it`);
      continue;
    }
    if (ref.end !== null && ref.end !== undefined && ref.end <= at) continue;
    const coupon = ref.coupon ?? ref.source?.coupon ?? null;
    if (coupon === null || typeof coupon === 'string') {
      warnings.push(`discount ${ref.id ?? '(no id)'} has no expanded coupon; MRR is before it`);
      continue;
    }
    if (coupon.duration !== 'once') coupons.push(coupon);
  }
  return coupons;
}

/**
 * Amount taken off `base` (minor units) by `coupons`, each on the undiscounted base, at most `base`.
 * `amountOff` turns a coupon's per-invoice amount into the terms of `base`.
 */
function discountOn(
  base: number,
  coupons: readonly Coupon[],
  currency: string,
  warnings: string[],
  amountOff: (perInvoice: number) => number = (a) => a,
): number {
  let off = 0;
  for (const coupon of coupons) {
    if (coupon.percent_off) off += (base * coupon.percent_off) / 100;
    if (coupon.amount_off) {
      const same = !coupon.currency || coupon.currency.toUpperCase() === currency;
      const amount = same ? coupon.amount_off : coupon.currency_options?.[currency.toLowerCase()]?.amount_off;
      if (amount === null || amount === undefined) {
        warnings.push(`coupon ${coupon.id ?? '(no id)'} has no amount in ${currency}; MRR is before it`);
      } else {
        off += amountOff(amount);
      }
    }
  }
  return Math.min(off, base);
}

function itemsOf(sub: Subscription): SubscriptionItem[] {
  const items = sub.items?.data ?? [];
  // Subscriptions from before items existed carry one plan and quantity at the top.
  if (items.length === 0 && sub.plan) return [{ plan: sub.plan, quantity: sub.quantity ?? null }];
  return items;
}

function currencyOf(sub: Subscription, items: readonly SubscriptionItem[]): string | null {
  const pricingCurrency = items.map((i) => (i.price ?? i.plan)?.currency).find((c) => !!c);
  const currency = sub.currency ?? pricingCurrency ?? null;
  return currency ? currency.toUpperCase() : null;
}

/** Discounts on the subscription; the legacy single `discount` is usually also listed in `discounts`. */
function subscriptionDiscounts(sub: Subscription): (string | Discount)[] {
  const list: (string | Discount)[] = [...(sub.discounts ?? [])];
  const single = sub.discount;
  if (single) {
    const at = list.findIndex((d) => (typeof d === 'string' ? d : d.id) === single.id && !!single.id);
    if (at >= 0) list[at] = single;
    else list.push(single);
  }
  return list;
}

/**
 * The subscription's recurring revenue per month at `at` (unix s), whatever its status; null when the
 * subscription names no currency anywhere (the caller reports it).
 * @example recurringAmount(sub, event.created) // { monthly: 6, currency: 'USD', warnings: [] }
 */
export function recurringAmount(sub: Subscription, at: number): RecurringAmount | null {
  const items = itemsOf(sub);
  const currency = currencyOf(sub, items);
  if (currency === null) return null;
  const warnings: string[] = [];
  let monthly = 0;
  let first: Billing | null = null;
  for (const item of items) {
    const pricing = item.price ?? item.plan;
    const name = `item ${item.id ?? '(no id)'}`;
    const billing = pricing ? billingOf(pricing) : null;
    const unit = pricing ? unitAmount(pricing) : null;
    if (!pricing || !billing) {
      warnings.push(`${name} has no recurring price; counted as 0`);
      continue;
    }
    if ((pricing.recurring?.usage_type ?? pricing.usage_type) === 'metered') {
      warnings.push(`${name} is metered: its amount is known only when invoiced; counted as 0`);
      continue;
    }
    if (unit === null) {
      warnings.push(`${name} has no unit amount (tiered price?); counted as 0`);
      continue;
    }
    first ??= billing;
    const base = unit * billedQuantity(pricing, item.quantity ?? sub.quantity ?? 1);
    const off = discountOn(base, recurringCoupons(item.discounts ?? [], at, warnings), currency, warnings);
    monthly += perMonth(base - off, billing.interval, billing.count);
  }
  const coupons = recurringCoupons(subscriptionDiscounts(sub), at, warnings);
  if (first && coupons.length > 0) {
    // An amount_off coupon comes off each invoice: per month at the subscription's (first item's) interval.
    const billing = first;
    monthly -= discountOn(monthly, coupons, currency, warnings, (a) =>
      perMonth(a, billing.interval, billing.count),
    );
  }
  return { monthly: toMajorUnits(monthly, currency), currency, warnings };
}
