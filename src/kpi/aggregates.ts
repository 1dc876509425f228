// The raw aggregates of one (period, segment) row, as the SQL returns them, before any KPI is finalised.
import type { PeriodKind } from '../domain/time.js';

/** Subscription state over a period (KPI-SPEC §3), already accumulated from the movements. */
export interface SubscriptionState {
  mrrStart: number;
  mrrEnd: number;
  /** S, E and N of KPI-SPEC §3. */
  activeStart: number;
  activeEnd: number;
  joined: number;
  /** Σ over accounts active at start of MRR at end, and of min(MRR at end, MRR at start). */
  startCohortMrrEnd: number;
  startCohortMrrFloor: number;
  newMrr: number;
  reactivationMrr: number;
  expansionMrr: number;
  contractionMrr: number;
  churnedMrr: number;
  newCustomers: number;
  reactivatedCustomers: number;
  churnedCustomers: number;
}

/** Counts of survey answers by metric, then by `scale:score` (scale 0 when not a ces answer). */
export type ScoreCounts = Record<string, Record<string, number>>;

export interface RowAggregates {
  periodKind: PeriodKind;
  grossMargin: number;
  subscription: SubscriptionState;
  /** One-time payments in the period by accounts active just before paying. */
  oneTimeExpansion: number;
  /** Cumulative up to the period's end, over accounts created before it. */
  history: { accounts: number; payments: number; costs: number };
  acquisitionCosts: number;
  renewals: { renewed: number; churned: number; pending: number };
  pendingChurn: number;
  /** Null when no value event is configured. */
  ttfv: { sortedDays: number[]; eligible: number; reachedInWindow: number } | null;
  scores: ScoreCounts;
  tickets: { counted: number; firstContact: number };
  health: { scored: number; scoreSum: number; atRisk: number };
}

export function emptySubscription(): SubscriptionState {
  return {
    mrrStart: 0,
    mrrEnd: 0,
    activeStart: 0,
    activeEnd: 0,
    joined: 0,
    startCohortMrrEnd: 0,
    startCohortMrrFloor: 0,
    newMrr: 0,
    reactivationMrr: 0,
    expansionMrr: 0,
    contractionMrr: 0,
    churnedMrr: 0,
    newCustomers: 0,
    reactivatedCustomers: 0,
    churnedCustomers: 0,
  };
}

export function emptyAggregates(
  periodKind: PeriodKind,
  grossMargin: number,
  ttfvConfigured: boolean,
): RowAggregates {
  return {
    periodKind,
    grossMargin,
    subscription: emptySubscription(),
    oneTimeExpansion: 0,
    history: { accounts: 0, payments: 0, costs: 0 },
    acquisitionCosts: 0,
    renewals: { renewed: 0, churned: 0, pending: 0 },
    pendingChurn: 0,
    ttfv: ttfvConfigured ? { sortedDays: [], eligible: 0, reachedInWindow: 0 } : null,
    scores: {},
    tickets: { counted: 0, firstContact: 0 },
    health: { scored: 0, scoreSum: 0, atRisk: 0 },
  };
}
