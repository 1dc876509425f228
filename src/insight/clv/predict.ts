// Predictive CLV per account: fit BG/NBD on everyone and Gamma-Gamma on the repeat buyers, then
// project purchases month by month over the horizon and discount the expected margin.
import { type BgNbdFit, bgNbdExpected, bgNbdPAlive, fitBgNbd } from './bgnbd.js';
import type { ClvInputs, TimeUnit } from './clv-inputs.js';
import { distinctRows } from './distinct-rows.js';
import { fitGammaGamma, type GammaGammaFit, gammaGammaExpectedSpend } from './gamma-gamma.js';

/** Days in an average Gregorian month: the horizon's months are this long. */
export const DAYS_PER_MONTH = 365.2425 / 12;

export interface ClvSettings {
  horizonMonths: number;
  discountMonthly: number;
  grossMargin: number;
  unit: TimeUnit;
}

export interface AccountClv {
  account_id: string;
  frequency: number;
  recency: number;
  T: number;
  p_alive: number;
  expected_purchases: number;
  expected_spend: number;
  clv: number;
}

export interface ClvResult {
  model: {
    bgnbd: { r: number; alpha: number; a: number; b: number; log_likelihood: number };
    gamma_gamma: { p: number; q: number; gamma: number };
  };
  accounts: AccountClv[];
}

/** The fewest repeat buyers with a positive spend that the spend model is fitted on. */
export const MIN_REPEAT_BUYERS = 10;

export class NotEnoughDataError extends Error {}

/** Fits both models; throws NotEnoughDataError when there are too few repeat buyers. */
export function fitClvModels(inputs: ClvInputs): { bgnbd: BgNbdFit; gammaGamma: GammaGammaFit } {
  const repeat: number[] = [];
  for (let i = 0; i < inputs.frequency.length; i++) {
    if (inputs.frequency[i]! > 0 && inputs.monetary[i]! > 0) repeat.push(i);
  }
  if (repeat.length < MIN_REPEAT_BUYERS) {
    throw new NotEnoughDataError(
      `${repeat.length} account(s) bought on more than one day before the calibration end; the models need at least ${MIN_REPEAT_BUYERS}`,
    );
  }
  const bgnbd = fitBgNbd(inputs);
  const gammaGamma = fitGammaGamma({
    frequency: Float64Array.from(repeat, (i) => inputs.frequency[i]!),
    monetary: Float64Array.from(repeat, (i) => inputs.monetary[i]!),
  });
  return { bgnbd, gammaGamma };
}

/**
 * Per account: p_alive; expected_purchases = E[Y(H)] over the horizon H; expected_spend = E[M | x, m_x]
 * per purchase; clv = Σ_{m=1..H} (E[Y(m)] − E[Y(m−1)]) · expected_spend · grossMargin / (1+d)^m.
 */
export function predictClv(inputs: ClvInputs, settings: ClvSettings): ClvResult {
  const { bgnbd, gammaGamma } = fitClvModels(inputs);
  const month = settings.unit === 'week' ? DAYS_PER_MONTH / 7 : DAYS_PER_MONTH;
  const discounts = Array.from(
    { length: settings.horizonMonths },
    (_, m) => (1 + settings.discountMonthly) ** -(m + 1),
  );
  // Purchases depend on (x, t_x, T) only: project each distinct row once.
  const rows = distinctRows([inputs.frequency, inputs.recency, inputs.T]);
  const [xs, txs, Ts] = rows.columns as [Float64Array, Float64Array, Float64Array];
  const aliveOf = new Float64Array(xs.length);
  const purchasesOf = new Float64Array(xs.length);
  const discountedOf = new Float64Array(xs.length);
  for (let g = 0; g < xs.length; g++) {
    let previous = 0;
    let discounted = 0;
    for (let m = 1; m <= settings.horizonMonths; m++) {
      const cumulative = bgNbdExpected(bgnbd.params, m * month, xs[g]!, txs[g]!, Ts[g]!);
      discounted += Math.max(cumulative - previous, 0) * discounts[m - 1]!;
      previous = cumulative;
    }
    aliveOf[g] = bgNbdPAlive(bgnbd.params, xs[g]!, txs[g]!, Ts[g]!);
    purchasesOf[g] = previous;
    discountedOf[g] = discounted;
  }
  const accounts: AccountClv[] = inputs.accountIds.map((account_id, i) => {
    const x = inputs.frequency[i]!;
    const mx = inputs.monetary[i]!;
    const g = rows.groupOf[i]!;
    const spend = gammaGammaExpectedSpend(gammaGamma.params, x > 0 && mx > 0 ? x : 0, mx);
    return {
      account_id,
      frequency: x,
      recency: inputs.recency[i]!,
      T: inputs.T[i]!,
      p_alive: aliveOf[g]!,
      expected_purchases: purchasesOf[g]!,
      expected_spend: spend,
      clv: discountedOf[g]! * spend * settings.grossMargin,
    };
  });
  const { r, alpha, a, b } = bgnbd.params;
  return {
    model: {
      bgnbd: { r, alpha, a, b, log_likelihood: bgnbd.logLikelihood },
      gamma_gamma: { ...gammaGamma.params },
    },
    accounts,
  };
}
