// One cell of a CSV export that is safe to open in a spreadsheet.

/**
 * Quotes a text cell, and defuses one a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
 * by prefixing an apostrophe. Numbers we computed are written as plain numbers.
 * @example csvCell('=HYPERLINK("x")') // "'=HYPERLINK(""x"")"
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A CSV document: a header line, then one line per record. */
export function csvDocument(
  header: readonly string[],
  records: readonly (readonly (string | number | null)[])[],
): string {
  return `${[header.map(csvCell).join(','), ...records.map((r) => r.map(csvCell).join(','))].join('\n')}\n`;
}
