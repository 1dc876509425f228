// The price list (EUR per seat and month by plan) and how many seats accounts of each segment buy.
import type { Rng } from './random.js';

export const CURRENCY = 'EUR';
export const PLANS = ['starter', 'growth', 'scale'] as const;
export type Plan = (typeof PLANS)[number];
export type Segment = 'smb' | 'mid_market' | 'enterprise';

const SEAT_PRICE_CENTS: Record<Plan, number> = { starter: 1200, growth: 2400, scale: 4200 };
/** Annual contracts are billed monthly at a discount. */
const ANNUAL_DISCOUNT = 0.85;

const SEATS: Record<Segment, { median: number; min: number; max: number }> = {
  smb: { median: 4, min: 1, max: 25 },
  mid_market: { median: 22, min: 8, max: 150 },
  enterprise: { median: 120, min: 50, max: 1500 },
};

export function initialSeats(rng: Rng, segment: Segment): number {
  const s = SEATS[segment];
  return clampSeats(Math.round(rng.logNormal(s.median, 0.55)), s);
}

/** A seat true-up: a handful of seats more or fewer, in proportion to the account's size. */
export function adjustSeats(rng: Rng, segment: Segment, seats: number, growing: boolean): number {
  const step = Math.max(1, Math.round(seats * (0.01 + 0.06 * rng.next())));
  return clampSeats(growing ? seats + step : seats - step, SEATS[segment]);
}

function clampSeats(seats: number, s: { min: number; max: number }): number {
  return Math.min(s.max, Math.max(s.min, seats));
}

export function mrrCents(plan: Plan, seats: number, annual: boolean): number {
  return Math.round(seats * SEAT_PRICE_CENTS[plan] * (annual ? ANNUAL_DISCOUNT : 1));
}

export function nextPlan(plan: Plan, up: boolean): Plan {
  const i = PLANS.indexOf(plan) + (up ? 1 : -1);
  return PLANS[Math.min(PLANS.length - 1, Math.max(0, i))]!;
}
