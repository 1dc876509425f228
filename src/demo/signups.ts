// When accounts sign up: growth over the window, a seasonal dip in August and December, quieter weekends.

import type { DemoWindow } from './demo-settings.js';
import { DAY, monthStart, weekday } from './instants.js';
import { mixSeed, Rng } from './random.js';

/** Sign-ups in the last month relative to the first: a business that roughly triples its intake. */
const GROWTH = 3;
/** Relative intake by calendar month, January first. */
const SEASON = [1.1, 1.05, 1.1, 1, 1, 0.95, 0.85, 0.55, 1.1, 1.15, 1.05, 0.6];
const WEEKEND = 0.35;
const SIGNUP_STREAM = 0x5167;

/**
 * Maps an account's position among all accounts to its sign-up day, so that account ids follow sign-up
 * order and each account can be placed without knowing the others.
 */
export class Signups {
  private readonly cumulative: Float64Array;
  private readonly monthShares: number[] = [];

  constructor(
    private readonly window: DemoWindow,
    seed: number,
  ) {
    const days = Math.round((window.horizon - window.start) / DAY);
    const weights = new Float64Array(days);
    const noise = new Rng(mixSeed(seed, SIGNUP_STREAM));
    const months: number[] = [];
    for (let m = 0; monthStart(window.start, m) < window.horizon; m++) {
      const month = new Date(monthStart(window.start, m)).getUTCMonth();
      months.push(GROWTH ** (m / 35) * SEASON[month]! * (1 + 0.07 * noise.normal()));
    }
    let total = 0;
    for (let d = 0; d < days; d++) {
      const at = window.start + d * DAY;
      const m = monthIndex(window.start, at);
      weights[d] = months[m]! * (weekday(at) % 6 === 0 ? WEEKEND : 1);
      total += weights[d]!;
      this.monthShares[m] = (this.monthShares[m] ?? 0) + weights[d]!;
    }
    this.cumulative = new Float64Array(days);
    let running = 0;
    for (let d = 0; d < days; d++) {
      running += weights[d]! / total;
      this.cumulative[d] = running;
    }
    this.monthShares = this.monthShares.map((w) => w / total);
  }

  /** The start of the sign-up day of account `index` of `count`; `u` in [0, 1) spreads accounts within a slot. */
  day(index: number, count: number, u: number): number {
    const q = (index + u) / count;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! <= q) lo = mid + 1;
      else hi = mid;
    }
    return this.window.start + lo * DAY;
  }

  /** The share of all sign-ups that fall in month `m` of the window (0 = first). */
  monthShare(m: number): number {
    return this.monthShares[m] ?? 0;
  }
}

function monthIndex(start: number, at: number): number {
  const a = new Date(start);
  const b = new Date(at);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}
