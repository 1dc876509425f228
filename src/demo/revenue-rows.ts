// Writes an account's money rows: MRR changes, cancellations, renewals, payments and costs.
import type { AccountRun } from './account-run.js';
import { money } from './csv-text.js';
import { F } from './demo-files.js';
import { DAY, HOUR, iso } from './instants.js';
import { CURRENCY, type Segment } from './pricing.js';

/** One-off fees in cents, [min, max]: onboarding at the start, professional services later. */
const ONBOARDING_FEE: Record<Segment, [number, number]> = {
  smb: [0, 0],
  mid_market: [50_000, 300_000],
  enterprise: [250_000, 1_200_000],
};
const SERVICES_FEE: Record<Segment, [number, number]> = {
  smb: [15_000, 60_000],
  mid_market: [40_000, 400_000],
  enterprise: [80_000, 800_000],
};
const SERVICES_CHANCE: Record<Segment, number> = { smb: 0.004, mid_market: 0.03, enterprise: 0.05 };
const ACQUISITION: Record<Segment, [number, number]> = {
  smb: [30_000, 90_000],
  mid_market: [400_000, 1_000_000],
  enterprise: [2_500_000, 7_000_000],
};
/** Small accounts mostly come through campaigns whose spend is not attributed to one account. */
const ATTRIBUTED: Record<Segment, number> = { smb: 0.35, mid_market: 1, enterprise: 1 };

export function writeRevenue(run: AccountRun): void {
  const { out, p, tl } = run;
  const mrr = out.file(F.mrr);
  tl.changes.forEach((c, i) => {
    mrr
      .ascii(`mrr_${p.num}_`)
      .int(i + 1)
      .comma()
      .ascii(p.id)
      .comma()
      .instant(c.at)
      .comma()
      .money(c.cents);
    mrr.ascii(`,${CURRENCY}`).end();
  });
  for (const c of tl.cancellations) out.add(F.cancellations, `${p.id},${iso(c.requested)},${iso(c.ends)}\n`);
  for (const r of tl.renewals) out.add(F.renewals, `${p.id},${iso(r.due)},${r.outcome}\n`);
  writePayments(run);
  writeAcquisition(run);
}

function writePayments({ out, p, tl, rng, horizon }: AccountRun): void {
  let n = 0;
  const payments = out.file(F.payments);
  const pay = (at: number, cents: number, kind: string) => {
    if (at >= horizon) return;
    n++;
    payments.ascii(`pay_${p.num}_`).int(n).comma().ascii(p.id).comma().instant(at).comma().money(cents);
    payments.ascii(kind === 'recurring' ? `,recurring,${CURRENCY}` : `,one_time,${CURRENCY}`).end();
  };
  // Delivering onboarding and services costs part of what they earn.
  const serviceCost = (at: number, fee: number, share: number) => {
    if (at < horizon) out.add(F.costs, `${p.id},${iso(at)},${money(Math.round(fee * share))},service\n`);
  };
  const [feeMin, feeMax] = ONBOARDING_FEE[p.segment];
  const first = tl.stints[0];
  if (first && feeMax > 0 && rng.chance(0.7)) {
    const at = first.start + rng.int(1, 10) * DAY + rng.int(0, 8 * 3600) * 1000;
    const fee = roundTo(rng.int(feeMin, feeMax), 5000);
    pay(at, fee, 'one_time');
    serviceCost(at + 3 * DAY, fee, 0.4 + 0.3 * rng.next());
  }
  const [serviceMin, serviceMax] = SERVICES_FEE[p.segment];
  for (const b of tl.billings) {
    // Card charges settle within a few hours of the invoice.
    pay(b.at + rng.int(60, 6 * 3600) * 1000, b.cents, 'recurring');
    if (rng.chance(SERVICES_CHANCE[p.segment])) {
      const at = b.at + rng.int(2, 25) * DAY + rng.int(0, 8) * HOUR;
      const fee = roundTo(rng.int(serviceMin, serviceMax), 1000);
      pay(at, fee, 'one_time');
      serviceCost(at, fee, 0.5 + 0.2 * rng.next());
    }
  }
}

function writeAcquisition({ out, p, tl, rng }: AccountRun): void {
  const first = tl.stints[0];
  if (!first || !rng.chance(ATTRIBUTED[p.segment])) return;
  const [min, max] = ACQUISITION[p.segment];
  // Sales effort is spent during the trial.
  const at = Math.floor((p.createdAt + rng.next() * (first.start - p.createdAt)) / 1000) * 1000;
  out.add(F.costs, `${p.id},${iso(at)},${money(roundTo(rng.int(min, max), 100))},acquisition\n`);
}

function roundTo(cents: number, step: number): number {
  return Math.round(cents / step) * step;
}
