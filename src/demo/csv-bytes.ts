// One CSV file's rows written straight into UTF-8 bytes: the hot rows (usage, payments, MRR) never become
// strings, which keeps 10^8 rows within the time budget and out of the garbage collector's way.
import { DAY, dayPrefix } from './instants.js';

const COMMA = 44;
const NEWLINE = 10;

export class CsvBytes {
  private buffer: Buffer;
  private pos = 0;
  rows = 0;

  /** `capacity`: the bytes expected; more is fine, at the price of copying as the buffer grows. */
  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
  }

  /** ASCII text (ids, names of events, enum values): one byte per character, no checks. */
  ascii(text: string): this {
    this.room(text.length);
    const b = this.buffer;
    let p = this.pos;
    for (let i = 0; i < text.length; i++) b[p++] = text.charCodeAt(i);
    this.pos = p;
    return this;
  }

  /** Any text, UTF-8 encoded (comments in Italian, French, Malay). */
  text(text: string): this {
    this.room(3 * text.length);
    this.pos += this.buffer.write(text, this.pos, 'utf8');
    return this;
  }

  /** A whole line of any text, ending in \n. */
  line(text: string): void {
    this.text(text);
    this.rows++;
  }

  /** ISO-8601 UTC at second precision, e.g. 2025-03-01T10:15:00Z (KPI-SPEC §1). */
  instant(ms: number): this {
    const day = Math.floor(ms / DAY);
    this.ascii(dayPrefix(day));
    this.room(9);
    const s = Math.floor((ms - day * DAY) / 1000);
    this.pos = twoDigits(this.buffer, this.pos, Math.floor(s / 3600), 58);
    this.pos = twoDigits(this.buffer, this.pos, Math.floor(s / 60) % 60, 58);
    this.pos = twoDigits(this.buffer, this.pos, s % 60, 90);
    return this;
  }

  /** A non-negative integer. */
  int(n: number): this {
    return this.ascii(String(n));
  }

  /** Cents as a decimal with '.' and two digits, e.g. 14950 → 149.50. */
  money(cents: number): this {
    const units = Math.floor(cents / 100);
    this.ascii(String(units));
    this.room(3);
    this.buffer[this.pos++] = 46;
    this.pos = twoDigits(this.buffer, this.pos, cents - units * 100, -1);
    return this;
  }

  comma(): this {
    this.room(1);
    this.buffer[this.pos++] = COMMA;
    return this;
  }

  /** Ends the row. */
  end(): void {
    this.room(1);
    this.buffer[this.pos++] = NEWLINE;
    this.rows++;
  }

  /** The bytes so far; the view owns its memory, so it can be transferred to another thread. */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }

  private room(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.pos + bytes));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }
}

/** Writes n (0–99) as two digits, then `after` unless it is -1; returns the new position. */
function twoDigits(b: Buffer, pos: number, n: number, after: number): number {
  b[pos] = 48 + Math.floor(n / 10);
  b[pos + 1] = 48 + (n % 10);
  if (after < 0) return pos + 2;
  b[pos + 2] = after;
  return pos + 3;
}
