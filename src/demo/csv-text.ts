// CSV field rules of the demo files: quoting of free text and money with two decimals.

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a free-text field when it holds a comma, quote or line break (inner quotes doubled). */
export function csvText(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Cents as a decimal with '.' and two digits, e.g. 14950 → "149.50". */
export function money(cents: number): string {
  const units = Math.floor(cents / 100);
  const rest = cents - units * 100;
  return `${units}.${rest < 10 ? '0' : ''}${rest}`;
}
