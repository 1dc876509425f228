// Stripe amounts are integers in a currency's minor unit; this turns them into major units (cents → dollars).

/** Stripe's zero-decimal currencies: an amount of 500 JPY means ¥500. (docs.stripe.com/currencies) */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

/** Stripe's three-decimal currencies: an amount of 5120 KWD means 5.120 KWD. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/**
 * How many minor units make one major unit of `currency` in Stripe's API. ISK, HUF and TWD stay
 * two-decimal in the API (Stripe's "special cases") even where only whole units can be charged.
 * @example minorUnitsPerMajor('usd') // 100
 */
export function minorUnitsPerMajor(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 1;
  if (THREE_DECIMAL.has(code)) return 1000;
  return 100;
}

/** @example toMajorUnits(24512, 'usd') // 245.12 */
export function toMajorUnits(minor: number, currency: string): number {
  return minor / minorUnitsPerMajor(currency);
}
