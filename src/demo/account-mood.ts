// How an account feels over time: calm while things go well, worse in the months before it cancels.
// Tickets, survey scores and usage all read this one curve, so they move together before churn.
import { DAY } from './instants.js';
import type { Timeline } from './subscription-timeline.js';

/** Unhappiness builds up over this long before the cancellation request. */
const LEAD = 120 * DAY;

export interface LiveSpan {
  start: number;
  end: number;
  trial: boolean;
}

export class AccountMood {
  constructor(private readonly timeline: Timeline) {}

  /** 0 (calm) … 1 (leaving): ramps up before a cancellation request and stays high until the churn. */
  distress(at: number): number {
    let d = 0;
    for (const c of this.timeline.cancellations) {
      if (at >= c.requested && at < c.ends) return 1;
      if (at >= c.requested - LEAD && at < c.requested) d = Math.max(d, 1 - (c.requested - at) / LEAD);
    }
    return d;
  }

  /** When the account uses the product: its trial, then each paid stint. */
  liveSpans(createdAt: number): LiveSpan[] {
    const spans: LiveSpan[] = [];
    if (this.timeline.trialEnd > createdAt)
      spans.push({ start: createdAt, end: this.timeline.trialEnd, trial: true });
    for (const s of this.timeline.stints) spans.push({ start: s.start, end: s.end, trial: false });
    return spans;
  }
}
