// The CSV import format of KPI-SPEC §2 as data: files, columns, types, keys. The importer and docs read it.

export type ColumnType = 'text' | 'instant' | 'amount' | 'integer' | 'boolean' | 'enum' | 'score' | 'email';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required: boolean;
  /** Allowed values for `enum` columns. */
  values?: readonly string[];
  /** For `text` columns that hold an account id: must name an account in this import or the store. */
  accountRef?: boolean;
  /** `instant` columns that name a scheduled time (a term's end, a renewal date), which may lie ahead. */
  scheduled?: boolean;
}

/** How re-imported rows are recognised (KPI-SPEC §2: by their id column, else by the whole row). */
export type RowKey =
  | { kind: 'id'; column: string }
  | { kind: 'row' }
  /** mrr_changes: event_id when given; one row per (account, effective_at), the later line winning. */
  | { kind: 'mrr' };

export interface FileSpec {
  file: string;
  table: string;
  columns: readonly ColumnSpec[];
  key: RowKey;
  /** accounts.csv keeps unknown columns as attributes; elsewhere they are an error. */
  extraColumnsAreAttributes: boolean;
}

const text = (name: string, required = false, accountRef = false): ColumnSpec => ({
  name,
  type: 'text',
  required,
  accountRef,
});
const instant = (name: string, required = true): ColumnSpec => ({ name, type: 'instant', required });
const scheduled = (name: string): ColumnSpec => ({ name, type: 'instant', required: true, scheduled: true });
const amount = (name: string): ColumnSpec => ({ name, type: 'amount', required: true });
const oneOf = (name: string, values: readonly string[], required = true): ColumnSpec => ({
  name,
  type: 'enum',
  required,
  values,
});

export const METRICS = ['nps', 'csat', 'ces', 'enps', 'fcr'] as const;
export type Metric = (typeof METRICS)[number];
export const CES_SCALES = [5, 7] as const;
export const DEFAULT_CES_SCALE = 7;
/** The people surveys ask (an extension of KPI-SPEC §2 for the surveys): customers' contacts and employees. */
export const CONTACT_KINDS = ['customer', 'employee'] as const;

/** Every file of an import folder, in the order they are loaded (accounts first: others refer to them). */
export const IMPORT_FILES: readonly FileSpec[] = [
  {
    file: 'accounts.csv',
    table: 'accounts',
    columns: [
      text('account_id', true),
      instant('created_at'),
      text('name'),
      text('segment'),
      text('country'),
    ],
    key: { kind: 'id', column: 'account_id' },
    extraColumnsAreAttributes: true,
  },
  {
    file: 'mrr_changes.csv',
    table: 'mrr_changes',
    columns: [
      text('account_id', true, true),
      instant('effective_at'),
      amount('mrr'),
      text('currency'),
      text('event_id'),
    ],
    key: { kind: 'mrr' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'cancellations.csv',
    table: 'cancellations',
    columns: [text('account_id', true, true), instant('requested_at'), scheduled('ends_at')],
    key: { kind: 'row' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'payments.csv',
    table: 'payments',
    columns: [
      text('payment_id', true),
      text('account_id', true, true),
      instant('paid_at'),
      amount('amount'),
      oneOf('kind', ['recurring', 'one_time']),
      text('currency'),
    ],
    key: { kind: 'id', column: 'payment_id' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'costs.csv',
    table: 'costs',
    columns: [
      text('account_id', false, true),
      instant('incurred_at'),
      amount('amount'),
      oneOf('kind', ['acquisition', 'service']),
    ],
    key: { kind: 'row' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'renewals.csv',
    table: 'renewals',
    columns: [
      text('account_id', true, true),
      scheduled('due_at'),
      oneOf('outcome', ['renewed', 'churned', 'pending']),
    ],
    key: { kind: 'row' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'responses.csv',
    table: 'responses',
    columns: [
      text('response_id', true),
      instant('submitted_at'),
      oneOf('metric', METRICS),
      { name: 'score', type: 'score', required: true },
      text('account_id', false, true),
      text('respondent_id'),
      { name: 'scale', type: 'integer', required: false },
      text('comment'),
      text('locale'),
      text('team'),
    ],
    key: { kind: 'id', column: 'response_id' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'tickets.csv',
    table: 'tickets',
    columns: [
      text('ticket_id', true),
      instant('opened_at'),
      text('account_id', false, true),
      instant('resolved_at', false),
      { name: 'contacts', type: 'integer', required: true },
      text('channel'),
      { name: 'abandoned', type: 'boolean', required: false },
    ],
    key: { kind: 'id', column: 'ticket_id' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'usage.csv',
    table: 'usage_events',
    columns: [
      text('account_id', true, true),
      instant('occurred_at'),
      text('event', true),
      text('user_id'),
      // The sender's id of the event (e.g. Segment's messageId); an extension of KPI-SPEC §2.
      text('event_id'),
    ],
    key: { kind: 'row' },
    extraColumnsAreAttributes: false,
  },
  {
    file: 'contacts.csv',
    table: 'contacts',
    columns: [
      text('contact_id', true),
      oneOf('kind', CONTACT_KINDS),
      { name: 'email', type: 'email', required: false },
      text('name'),
      text('account_id', false, true),
      text('locale'),
      text('team'),
    ],
    key: { kind: 'id', column: 'contact_id' },
    extraColumnsAreAttributes: false,
  },
];

export const BOOLEAN_WORDS = { true: ['true', '1', 'yes'], false: ['false', '0', 'no'] } as const;
