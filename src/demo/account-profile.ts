// Who an account is: id, sign-up time, name, segment, plan, country, language, and its latent product fit.
import { companyName } from './company-names.js';
import type { DemoContext } from './demo-context.js';
import type { DemoWindow } from './demo-settings.js';
import { HOUR, MINUTE } from './instants.js';
import type { Plan, Segment } from './pricing.js';
import { type Rng, Weighted } from './random.js';

export type Locale = 'en' | 'it' | 'fr' | 'ms';

export interface AccountProfile {
  /** Zero-padded account number, shared by the account's ids (acc_…, usr_…, pay_…). */
  num: string;
  id: string;
  createdAt: number;
  name: string;
  segment: Segment;
  plan: Plan;
  country: string;
  locale: Locale;
  /** Hours to add to UTC for the account's business hours. */
  utcOffset: number;
  /** 0 (poor) … 1 (excellent) fit with the product: drives conversion, churn, scores and usage together. */
  fit: number;
  /** Annual contract (renewal rows) rather than month to month. */
  annual: boolean;
  /** People who use the product (usr_<num>_1 … usr_<num>_<users>). */
  users: number;
}

const SEGMENTS = new Weighted<Segment>([
  ['smb', 70],
  ['mid_market', 22],
  ['enterprise', 8],
]);
const PLAN_MIX: Record<Segment, Weighted<Plan>> = {
  smb: new Weighted<Plan>([
    ['starter', 62],
    ['growth', 33],
    ['scale', 5],
  ]),
  mid_market: new Weighted<Plan>([
    ['starter', 15],
    ['growth', 55],
    ['scale', 30],
  ]),
  enterprise: new Weighted<Plan>([
    ['growth', 30],
    ['scale', 70],
  ]),
};
const COUNTRIES = new Weighted<[string, number]>([
  [['US', -5], 28],
  [['GB', 0], 14],
  [['IT', 1], 15],
  [['FR', 1], 13],
  [['DE', 1], 12],
  [['MY', 8], 9],
  [['NL', 1], 5],
  [['ES', 1], 4],
]);
const USERS: Record<Segment, [number, number]> = { smb: [1, 4], mid_market: [3, 12], enterprise: [8, 30] };
const ANNUAL_SHARE: Record<Segment, number> = { smb: 0.05, mid_market: 0.3, enterprise: 1 };

export function accountProfile(ctx: DemoContext, index: number, rng: Rng): AccountProfile {
  const num = String(index + 1).padStart(ctx.idWidth, '0');
  const segment = SEGMENTS.draw(rng);
  const [country, utcOffset] = COUNTRIES.draw(rng);
  const day = ctx.signups.day(index, ctx.settings.accounts, rng.next());
  const localTime = 8 * HOUR + rng.next() * 11 * HOUR - utcOffset * HOUR;
  const createdAt = clamp(day + Math.floor(localTime / MINUTE) * MINUTE + rng.int(0, 59) * 1000, ctx.window);
  return {
    num,
    id: `acc_${num}`,
    createdAt,
    name: companyName(rng, country),
    segment,
    plan: PLAN_MIX[segment].draw(rng),
    country,
    locale: localeOf(country, rng),
    utcOffset,
    fit: (rng.next() + rng.next()) / 2,
    annual: rng.chance(ANNUAL_SHARE[segment]),
    users: rng.int(USERS[segment][0], USERS[segment][1]),
  };
}

function localeOf(country: string, rng: Rng): Locale {
  if (country === 'IT') return 'it';
  if (country === 'FR') return 'fr';
  // Many Malaysian businesses work in English.
  if (country === 'MY') return rng.chance(0.7) ? 'ms' : 'en';
  return 'en';
}

function clamp(at: number, window: DemoWindow): number {
  return Math.min(window.horizon - HOUR, Math.max(window.start + HOUR, at));
}
