// The nine files of a demo import folder (KPI-SPEC §2), their header rows, and the rows gathered for them.
import { CsvBytes } from './csv-bytes.js';

export const DEMO_FILES = [
  { name: 'accounts.csv', header: 'account_id,created_at,name,segment,country,plan' },
  { name: 'mrr_changes.csv', header: 'event_id,account_id,effective_at,mrr,currency' },
  { name: 'cancellations.csv', header: 'account_id,requested_at,ends_at' },
  { name: 'payments.csv', header: 'payment_id,account_id,paid_at,amount,kind,currency' },
  { name: 'costs.csv', header: 'account_id,incurred_at,amount,kind' },
  { name: 'renewals.csv', header: 'account_id,due_at,outcome' },
  {
    name: 'responses.csv',
    header: 'response_id,submitted_at,metric,score,account_id,respondent_id,scale,comment,locale,team',
  },
  { name: 'tickets.csv', header: 'ticket_id,opened_at,account_id,resolved_at,contacts,channel,abandoned' },
  { name: 'usage.csv', header: 'account_id,occurred_at,event,user_id' },
] as const;

export type DemoFileName = (typeof DEMO_FILES)[number]['name'];

/** Indexes into DEMO_FILES, so hot loops address a file without a lookup. */
export const F = {
  accounts: 0,
  mrr: 1,
  cancellations: 2,
  payments: 3,
  costs: 4,
  renewals: 5,
  responses: 6,
  tickets: 7,
  usage: 8,
} as const;

export type FileIndex = (typeof F)[keyof typeof F];

/** The rows of each demo file, as UTF-8 bytes. */
export class FileRows {
  private readonly files: CsvBytes[] = DEMO_FILES.map(() => new CsvBytes());

  /** Adds one line of any text, ending in \n. */
  add(file: FileIndex, line: string): void {
    this.files[file]!.line(line);
  }

  /** The file's writer, for rows built field by field (the hot files). */
  file(file: FileIndex): CsvBytes {
    return this.files[file]!;
  }

  get rows(): number[] {
    return this.files.map((f) => f.rows);
  }

  /** Each file's bytes, in DEMO_FILES order. */
  bytes(): Uint8Array[] {
    return this.files.map((f) => f.bytes());
  }
}
