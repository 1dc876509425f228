// Maps CSV record numbers to the physical line each starts on (quoted line breaks and blank lines shift them).
import { createReadStream } from 'node:fs';

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * The line (1 = first line of the file) on which each wanted record starts; record 1 is the first data
 * row after the header. Blank lines are skipped as DuckDB's reader skips them. Reads the file once.
 * @example await recordLines('usage.csv', [3]) // Map { 3 => 5 } when a quoted value spans lines 2–3
 */
export async function recordLines(path: string, wanted: Iterable<number>): Promise<Map<number, number>> {
  const pending = new Set(wanted);
  const lines = new Map<number, number>();
  let line = 1;
  let record = 0; // the header; data records count from 1
  let quoted = false;
  let empty = true; // nothing seen yet on the current record
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (byte === QUOTE) quoted = !quoted;
      if (byte === NEWLINE) {
        if (!quoted && !empty) {
          record++;
          empty = true;
        }
        line++;
        continue;
      }
      if (byte === RETURN || !empty) continue;
      empty = false;
      if (pending.has(record)) {
        lines.set(record, line);
        pending.delete(record);
        if (pending.size === 0) return lines;
      }
    }
  }
  return lines;
}
