// An account's subscription history: trial, paid stints, seat true-ups, plan changes, cancellations with
// notice, churn at the end of the paid term, renewals of annual contracts, and reactivations.
import type { AccountProfile } from './account-profile.js';
import { DAY, HOUR, MonthlyAnchor, monthStart } from './instants.js';
import { adjustSeats, initialSeats, mrrCents, nextPlan, type Plan, type Segment } from './pricing.js';
import type { Rng } from './random.js';

export interface PriceAt {
  at: number;
  cents: number;
}
export interface Cancellation {
  requested: number;
  /** The end of the paid term; the churn (MRR 0) happens exactly then unless it lies past the data. */
  ends: number;
}
export interface Renewal {
  due: number;
  outcome: 'renewed' | 'churned' | 'pending';
}
/** A paid stretch [start, end); `end` is the horizon when the account is still paying. */
export interface Stint {
  start: number;
  end: number;
}

export interface Timeline {
  /** When the free trial ended (converted or expired), capped at the horizon. */
  trialEnd: number;
  stints: Stint[];
  changes: PriceAt[];
  /** Recurring charges: the MRR due on each billing date. */
  billings: PriceAt[];
  cancellations: Cancellation[];
  renewals: Renewal[];
}

/** Seat counts are trued up on most invoices; some seats are added mid-cycle (prorated). */
const TRUE_UP = 0.9;
const MID_CYCLE_SEATS = 0.45;
const PLAN_CHANGE = 0.03;
const ANNUAL_EXPANSION = 0.12;
const MONTHLY_HAZARD: Record<Segment, number> = { smb: 0.032, mid_market: 0.018, enterprise: 0.01 };
const ANNUAL_HAZARD: Record<Segment, number> = { smb: 0.22, mid_market: 0.16, enterprise: 0.1 };
const MAX_STINTS = 3;

interface Simulation {
  rng: Rng;
  p: AccountProfile;
  horizon: number;
  tl: Timeline;
  plan: Plan;
  seats: number;
}

export function simulateSubscription(p: AccountProfile, rng: Rng, horizon: number): Timeline {
  const tl: Timeline = {
    trialEnd: 0,
    stints: [],
    changes: [],
    billings: [],
    cancellations: [],
    renewals: [],
  };
  const converts = rng.chance(0.62 + 0.35 * p.fit);
  // Billing on the 1st at 00:00Z is common for contracts signed by procurement.
  const aligned = rng.chance(p.segment === 'enterprise' ? 0.6 : 0.15);
  let start = secondFloor(p.createdAt + Math.min(30, rng.logNormal(8, 0.6)) * DAY);
  if (aligned) start = monthStart(start, 1);
  tl.trialEnd = Math.min(converts ? start : p.createdAt + 14 * DAY, horizon);
  if (!converts || start >= horizon) return tl;
  const sim: Simulation = { rng, p, horizon, tl, plan: p.plan, seats: initialSeats(rng, p.segment) };
  for (let n = 0; n < MAX_STINTS; n++) {
    const end = p.annual ? annualStint(sim, start) : monthlyStint(sim, start);
    tl.stints.push({ start, end });
    if (end >= horizon || !rng.chance(0.06 + 0.2 * p.fit)) break;
    start = secondFloor(end + rng.int(45, 420) * DAY + rng.next() * 10 * HOUR);
    if (aligned) start = monthStart(start, 1);
    if (start >= horizon) break;
    // Returning customers usually come back smaller.
    sim.seats = Math.max(1, Math.round(sim.seats * (0.5 + 0.5 * rng.next())));
  }
  return tl;
}

function monthlyStint(sim: Simulation, start: number): number {
  const { rng, p, tl, horizon } = sim;
  const anchor = new MonthlyAnchor(start);
  const requestCycle = cyclesUntilCancellation(sim, start);
  let cents = price(sim);
  tl.changes.push({ at: start, cents });
  let ends = Number.POSITIVE_INFINITY;
  for (let k = 0; ; k++) {
    const at = anchor.plus(k);
    if (at >= horizon) return horizon;
    if (at === ends) {
      tl.changes.push({ at, cents: 0 });
      return at;
    }
    if (k > 0 && k < requestCycle && rng.chance(TRUE_UP)) {
      // Accounts heading for the door shrink first.
      const growing = rng.chance(requestCycle - k <= 3 ? 0.25 : 0.45 + 0.3 * p.fit);
      sim.seats = adjustSeats(rng, p.segment, sim.seats, growing);
      cents = changePrice(sim, at, cents);
    }
    tl.billings.push({ at, cents });
    const next = anchor.plus(k + 1);
    if (k < requestCycle && rng.chance(PLAN_CHANGE + MID_CYCLE_SEATS)) {
      const when = midCycle(rng, at, next);
      if (rng.chance(PLAN_CHANGE / (PLAN_CHANGE + MID_CYCLE_SEATS))) {
        sim.plan = nextPlan(sim.plan, rng.chance(0.4 + 0.4 * p.fit));
      } else {
        sim.seats = adjustSeats(rng, p.segment, sim.seats, true);
      }
      if (when < horizon) cents = changePrice(sim, when, cents);
    }
    if (k === requestCycle) {
      const requested = secondFloor(at + rng.next() * (next - at));
      if (requested >= horizon) return horizon;
      const notice = (rng.chance(0.75) ? 30 : 60) * DAY;
      let j = k + 1;
      while (anchor.plus(j) - requested < notice) j++;
      ends = anchor.plus(j);
      tl.cancellations.push({ requested, ends });
    }
  }
}

function annualStint(sim: Simulation, start: number): number {
  const { rng, p, tl, horizon } = sim;
  const anchor = new MonthlyAnchor(start);
  let cents = price(sim);
  tl.changes.push({ at: start, cents });
  for (let term = 1; ; term++) {
    const due = anchor.plus(12 * term);
    const churns = rng.chance(ANNUAL_HAZARD[p.segment] * riskFactor(p));
    for (let k = 12 * (term - 1); k < 12 * term; k++) {
      const at = anchor.plus(k);
      if (at >= horizon) break;
      tl.billings.push({ at, cents });
      if (!churns && rng.chance(ANNUAL_EXPANSION)) {
        const when = midCycle(rng, at, anchor.plus(k + 1));
        sim.seats = adjustSeats(rng, p.segment, sim.seats, true);
        if (when < horizon) cents = changePrice(sim, when, cents);
      }
    }
    if (churns) {
      // Contracts require notice one to three months before the renewal date.
      const requested = secondFloor(due - rng.int(30, 90) * DAY - rng.next() * 8 * HOUR);
      if (requested < horizon) tl.cancellations.push({ requested, ends: due });
    }
    if (due >= horizon) {
      tl.renewals.push({ due, outcome: 'pending' });
      return horizon;
    }
    tl.renewals.push({ due, outcome: churns ? 'churned' : 'renewed' });
    if (churns) {
      tl.changes.push({ at: due, cents: 0 });
      return due;
    }
    if (rng.chance(0.6)) {
      sim.seats = adjustSeats(rng, p.segment, sim.seats, rng.chance(0.5 + 0.3 * p.fit));
      cents = changePrice(sim, due, cents);
    }
  }
}

/** The billing cycle in which the account asks to cancel (Infinity: not within the data). */
function cyclesUntilCancellation(sim: Simulation, start: number): number {
  const cycles = Math.ceil((sim.horizon - start) / (28 * DAY));
  const hazard = MONTHLY_HAZARD[sim.p.segment] * riskFactor(sim.p);
  for (let k = 0; k < cycles; k++) {
    // The first months carry the most churn: customers who never got going.
    if (sim.rng.chance(k < 3 ? hazard * 1.6 : hazard)) return k;
  }
  return Number.POSITIVE_INFINITY;
}

function riskFactor(p: AccountProfile): number {
  return 1.8 - 1.6 * p.fit;
}

function price(sim: Simulation): number {
  return mrrCents(sim.plan, sim.seats, sim.p.annual);
}

/** Records a new MRR when the price really moved (KPI-SPEC §3: an unchanged MRR is no movement). */
function changePrice(sim: Simulation, at: number, cents: number): number {
  const next = price(sim);
  if (next !== cents) sim.tl.changes.push({ at, cents: next });
  return next;
}

/** A prorated change between two invoices, clear of the day each invoice is paid. */
function midCycle(rng: Rng, at: number, next: number): number {
  return secondFloor(at + DAY + rng.next() * (next - at - 2 * DAY));
}

function secondFloor(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
