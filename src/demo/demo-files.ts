// The ten files of a demo import folder (KPI-SPEC §2), their header rows, and the rows gathered for them.
import { CsvBytes } from './csv-bytes.js';

/** bytesPerAccount: a little over the typical size of an account's rows, to size buffers once. */
export const DEMO_FILES = [
  { name: 'accounts.csv', header: 'account_id,created_at,name,segment,country,plan', bytesPerAccount: 70 },
  { name: 'mrr_changes.csv', header: 'event_id,account_id,effective_at,mrr,currency', bytesPerAccount: 700 },
  { name: 'cancellations.csv', header: 'account_id,requested_at,ends_at', bytesPerAccount: 20 },
  {
    name: 'payments.csv',
    header: 'payment_id,account_id,paid_at,amount,kind,currency',
    bytesPerAccount: 800,
  },
  { name: 'costs.csv', header: 'account_id,incurred_at,amount,kind', bytesPerAccount: 50 },
  { name: 'renewals.csv', header: 'account_id,due_at,outcome', bytesPerAccount: 15 },
  {
    name: 'responses.csv',
    header: 'response_id,submitted_at,metric,score,account_id,respondent_id,scale,comment,locale,team',
    bytesPerAccount: 200,
  },
  {
    name: 'tickets.csv',
    header: 'ticket_id,opened_at,account_id,resolved_at,contacts,channel,abandoned',
    bytesPerAccount: 100,
  },
  { name: 'usage.csv', header: 'account_id,occurred_at,event,user_id', bytesPerAccount: 4500 },
  { name: 'contacts.csv', header: 'contact_id,kind,email,name,account_id,locale,team', bytesPerAccount: 110 },
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
  contacts: 9,
} as const;

export type FileIndex = (typeof F)[keyof typeof F];

/** The rows of each demo file, as UTF-8 bytes. */
export class FileRows {
  private readonly files: CsvBytes[];

  /** `accounts`: how many accounts the rows are for, to size the buffers once. */
  constructor(accounts = 0) {
    this.files = DEMO_FILES.map((f) => new CsvBytes(64 * 1024 + accounts * f.bytesPerAccount));
  }

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
