// Per-account features at snapshot instants, and the churn label of the 90 days after each. A few set-based
// queries read each kind of fact once for all snapshots (the accounts active at a snapshot, their MRR then and
// 90 days before, usage per day, answers, tickets, distinct users, cancellations, churn), keyed by a dense
// account number; the windows of each snapshot are then summed into typed arrays. The definitions are those of
// the default model's component SQL (src/kpi/health.ts) with each snapshot as a period end:
// test/health-lab-features-reference.test.ts checks the result, value for value, against the one big query
// (that SQL plus the lab's windows) this replaced; test/health-lab-features.test.ts works values out by hand.
import { FidelioError } from '../../domain/errors.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { latestDataInstant } from '../../kpi/store-facts.js';
import { type Store, sqlTimestamp } from '../../store/store.js';

/** The learned models' features, in the order of their coefficients. */
export const FEATURES = [
  'usage_level',
  'usage_trend',
  'users',
  'satisfaction',
  'nps_last',
  'csat_last',
  'no_feedback',
  'tickets',
  'fcr',
  'mrr_level',
  'mrr_trend',
  'tenure',
  'pending_cancellation',
] as const;
export type Feature = (typeof FEATURES)[number];

/** What each feature measures at the snapshot instant E (docs/health-lab.md repeats this). */
export const FEATURE_DEFINITIONS: Record<Feature, string> = {
  usage_level: 'ln(1 + usage events in the 30 days before E)',
  usage_trend: 'the default model usage_trend component (last 30 days ÷ the 30 before, capped at 1)',
  users: 'ln(1 + distinct users with usage events in the 30 days before E)',
  satisfaction: 'the default model satisfaction component (mean NPS/CSAT of 180 days, 0.5 without answers)',
  nps_last: 'the last NPS answer of the 365 days before E ÷ 10 (0.5 without one)',
  csat_last: 'the last CSAT answer of the 365 days before E, (score − 1) ÷ 4 (0.5 without one)',
  no_feedback: '1 when the account gave no NPS or CSAT answer in the 365 days before E, else 0',
  tickets: 'ln(1 + tickets opened in the 90 days before E)',
  fcr: 'share of those tickets (not abandoned) resolved before E at the first contact (1 without tickets)',
  mrr_level: 'ln(MRR at E)',
  mrr_trend: 'ln(MRR at E ÷ MRR 90 days before E), 0 when it had no MRR then',
  tenure: 'ln(1 + months since the account was created)',
  pending_cancellation: '1 when a cancellation was requested before E and takes effect at or after E, else 0',
};

/** Days after a snapshot in which an MRR drop to 0 (a churn movement, KPI-SPEC §3) makes its label 1. */
export const HORIZON_DAYS = 90;
const DAY = 86_400_000;

export interface DefaultComponents {
  usage_trend: number;
  satisfaction: number;
  support_load: number;
  revenue_trend: number;
  pending_cancellation: number;
}

export interface Observation {
  account_id: string;
  snapshot_at: Date;
  /** Values in the order of FEATURES. */
  features: number[];
  components: DefaultComponents;
  /** Churned within HORIZON_DAYS after the snapshot; null when the data ends before the horizon does. */
  label: 0 | 1 | null;
}

/** Snapshots are whole UTC days (a date means 00:00 UTC of that day). */
export function requireSnapshotDay(instant: Date, option: string): Date {
  if (instant.getTime() % DAY !== 0) {
    throw new FidelioError(
      'usage',
      'invalid_snapshot',
      `${option} ${instant.toISOString()} is not a UTC day start: snapshots are dates (2025-06-01)`,
    );
  }
  return instant;
}

/** Every UTC month start in [from, to]. */
export function monthlySnapshots(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  const onStart = from.getUTCDate() === 1 && from.getTime() % DAY === 0;
  let t = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + (onStart ? 0 : 1), 1));
  while (t.getTime() <= to.getTime()) {
    out.push(t);
    t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1));
  }
  return out;
}

/** The default model's components, in the order of `ObservationTable.components`. */
export const COMPONENTS = [
  'usage_trend',
  'satisfaction',
  'support_load',
  'revenue_trend',
  'pending_cancellation',
] as const satisfies readonly (keyof DefaultComponents)[];

/**
 * The observations of `observationsAt` as columns: row r is account `accountIds[account[r]]` at
 * `snapshots[snapshot[r]]`, rows sorted by snapshot, then account id. For large fits: no object per row.
 */
export interface ObservationTable {
  /** The distinct snapshot instants, ascending. */
  snapshots: Date[];
  /** Every account active at some snapshot, sorted as the store sorts them. */
  accountIds: string[];
  rows: number;
  snapshot: Int32Array;
  account: Int32Array;
  /** rows × FEATURES.length values, row-major. */
  features: Float64Array;
  /** rows × COMPONENTS.length values, row-major. */
  components: Float64Array;
  /** 1 churned, 0 stayed, -1 unknown (the data ends before the horizon does). */
  labels: Int8Array;
}

/** Answers older than this do not count as an account's last NPS or CSAT answer. */
const LAST_ANSWER_DAYS = 365;
/** Tickets of this many days before a snapshot count for first-contact resolution. */
const FCR_WINDOW_DAYS = 90;
/** Distinct users are counted over this many days before a snapshot. */
const USERS_WINDOW_DAYS = 30;
const MICROS_PER_DAY = 86_400_000_000;
/** The temporary table of account numbers, alive only inside the transaction of one read. */
const KEYS = 'health_lab_account_keys';

const real = (expr: string) => `CAST(${expr} AS DOUBLE PRECISION)`;
/** Microseconds since 1970 as a double: exact (below 2^53) and cheap to hand to JavaScript, unlike a BIGINT. */
const micros = (timestamp: string) => real(`epoch_us(${timestamp})`);
const minus = (instant: Date, days: number) => new Date(instant.getTime() - days * DAY);
const numbers = (column: unknown[] | undefined) => (column ?? []) as (number | null)[];

/** The first index of sorted `values` holding a value greater than `x`. */
function firstAbove(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The observations of every account active (MRR > 0) at each snapshot as columns (see `observationsAt`).
 * Snapshots are UTC day starts; duplicates are dropped and the rest sorted.
 */
export async function observationTable(store: Store, snapshots: readonly Date[]): Promise<ObservationTable> {
  const ends = [...new Set(snapshots.map((s) => s.getTime()))].sort((a, b) => a - b).map((t) => new Date(t));
  const latest = ends.length > 0 ? await latestDataInstant(store) : null;
  if (ends.length === 0) return emptyTable();
  return store.transaction(async () => {
    try {
      return await readTable(store, ends, latest);
    } finally {
      await store.run(`DROP TABLE IF EXISTS ${KEYS}`);
    }
  });
}

function emptyTable(): ObservationTable {
  return {
    snapshots: [],
    accountIds: [],
    rows: 0,
    snapshot: new Int32Array(0),
    account: new Int32Array(0),
    features: new Float64Array(0),
    components: new Float64Array(0),
    labels: new Int8Array(0),
  };
}

async function readTable(store: Store, ends: Date[], latest: Date | null): Promise<ObservationTable> {
  const m = DEFAULT_CONFIG.health;
  const n = ends.length;
  const first = ends[0]!;
  const last = ends[n - 1]!;
  const at = (t: Date) => sqlTimestamp(t);
  const endMicros = Float64Array.from(ends, (e) => e.getTime() * 1000);
  const endDays = Float64Array.from(ends, (e) => e.getTime() / DAY);
  const snap = `snap(idx, e, e_day) AS (VALUES ${ends.map((e, i) => `(${i}, ${at(e)}, ${e.getTime() / DAY})`).join(', ')})`;

  // Dense account numbers in account-id order: every account with positive MRR at some time in the range.
  await store.run(`CREATE OR REPLACE TEMP TABLE ${KEYS} AS
    SELECT account_id, CAST(row_number() OVER (ORDER BY account_id) - 1 AS INTEGER) AS k
    FROM (SELECT DISTINCT account_id FROM mrr_movements
          WHERE new_mrr > 0 AND effective_at < ${at(last)} AND (next_at IS NULL OR next_at >= ${at(first)})) active`);
  const accounts = await store.queryColumns(`SELECT k.account_id, EXTRACT(EPOCH FROM a.created_at) AS created
    FROM ${KEYS} k LEFT JOIN accounts a ON a.account_id = k.account_id ORDER BY k.k`);
  const accountIds = (accounts.account_id ?? []) as string[];
  const created = numbers(accounts.created);
  const K = accountIds.length;

  // The grid: an account is observed at E when the movement in force at E (effective before E, next one at or
  // after E) has MRR > 0; at most one movement is in force at any instant (next_at is the following movement).
  // The MRR change of the revenue window is MRR at E minus MRR in force 90 days before: the window's movements
  // (new − old, each old MRR the previous new one) telescope to that, exactly, in DECIMAL.
  const r = m.revenue_window_days;
  const grid = await store.queryColumns(`WITH ${snap},
    mov AS (
      SELECT k.k, v.effective_at, COALESCE(v.next_at, CAST('infinity' AS TIMESTAMP)) AS until, v.new_mrr
      FROM mrr_movements v JOIN ${KEYS} k ON k.account_id = v.account_id
      WHERE v.new_mrr > 0 AND v.effective_at < ${at(last)} AND (v.next_at IS NULL OR v.next_at >= ${at(minus(first, r))})),
    now AS (SELECT v.k, s.idx, v.new_mrr FROM mov v JOIN snap s ON v.effective_at < s.e AND v.until >= s.e),
    before AS (
      SELECT v.k, s.idx, v.new_mrr FROM mov v
      JOIN snap s ON v.effective_at < s.e - INTERVAL '${r} days' AND v.until >= s.e - INTERVAL '${r} days')
    SELECT g.k, g.idx, ${real('g.new_mrr')} AS mrr_end, ${real('g.new_mrr - COALESCE(b.new_mrr, 0)')} AS mrr_change,
      ${real('CASE WHEN COALESCE(b.new_mrr, 0) <= 0 THEN 1 ELSE LEAST(1, g.new_mrr / b.new_mrr) END')} AS revenue_trend
    FROM now g LEFT JOIN before b ON b.k = g.k AND b.idx = g.idx`);
  const gridK = numbers(grid.k);
  const gridIdx = numbers(grid.idx);
  const G = gridK.length;
  // cell k·n + i (account k at snapshot i) → its observation g, −1 when the account was not active then.
  // Observations are numbered account by account, so the windows of one fact row sit side by side in memory.
  const cell = new Int32Array(n * K).fill(-1);
  for (let q = 0; q < G; q++) cell[gridK[q]! * n + gridIdx[q]!] = q;
  const mrrEnd = new Float64Array(G);
  const mrrChange = new Float64Array(G);
  const revenueTrend = new Float64Array(G);
  {
    const ends = numbers(grid.mrr_end);
    const changes = numbers(grid.mrr_change);
    const trends = numbers(grid.revenue_trend);
    let g = 0;
    for (let c = 0; c < n * K; c++) {
      const q = cell[c]!;
      if (q < 0) continue;
      mrrEnd[g] = ends[q]!;
      mrrChange[g] = changes[q]!;
      revenueTrend[g] = trends[q]!;
      cell[c] = g++;
    }
  }

  const recent = new Float64Array(G);
  const previous = new Float64Array(G);
  const u = m.usage_window_days;
  const usage = await store.queryColumns(`SELECT k.k, CAST(u.day - DATE '1970-01-01' AS INTEGER) AS day,
      ${real('u.events')} AS events
    FROM usage_daily u JOIN ${KEYS} k ON k.account_id = u.account_id
    WHERE u.day >= CAST(${at(minus(first, 2 * u))} AS DATE) AND u.day < CAST(${at(last)} AS DATE)
    ORDER BY k.k`);
  {
    const ks = numbers(usage.k);
    const days = numbers(usage.day);
    const events = numbers(usage.events);
    for (let row = 0; row < ks.length; row++) {
      const k = ks[row]!;
      const day = days[row]!;
      for (let i = firstAbove(endDays, day); i < n && endDays[i]! - day <= 2 * u; i++) {
        const g = cell[k * n + i]!;
        if (g < 0) continue;
        if (endDays[i]! - day <= u) recent[g]! += events[row]!;
        else previous[g]! += events[row]!;
      }
    }
  }

  const satisfactionSum = new Float64Array(G);
  const answers = new Float64Array(G);
  const npsLast = new Float64Array(G).fill(Number.NaN);
  const csatLast = new Float64Array(G).fill(Number.NaN);
  const s = m.satisfaction_window_days;
  const answerDays = Math.max(s, LAST_ANSWER_DAYS);
  // `next`: the account's next answer of the same metric (ties broken by response id, as the latest-answer
  // rule is); an answer is the last one at E when it came before E and the next one did not.
  const responses =
    await store.queryColumns(`SELECT k.k, CASE WHEN r.metric = 'nps' THEN 0 ELSE 1 END AS csat,
      ${real('r.score')} AS score, ${micros('r.submitted_at')} AS at,
      ${micros('LEAD(r.submitted_at) OVER (PARTITION BY r.account_id, r.metric ORDER BY r.submitted_at, r.response_id)')} AS next
    FROM responses r JOIN ${KEYS} k ON k.account_id = r.account_id
    WHERE r.metric IN ('nps', 'csat') AND r.submitted_at >= ${at(minus(first, answerDays))}
      AND r.submitted_at < ${at(last)}
    ORDER BY k.k`);
  {
    const ks = numbers(responses.k);
    const isCsat = numbers(responses.csat);
    const scores = numbers(responses.score);
    const times = numbers(responses.at);
    const nexts = numbers(responses.next);
    for (let row = 0; row < ks.length; row++) {
      const k = ks[row]!;
      const t = times[row]!;
      const next = nexts[row] ?? Number.POSITIVE_INFINITY;
      const score = scores[row]!;
      const csat = isCsat[row] === 1;
      const value = csat ? (score - 1) / 4 : score / 10;
      for (let i = firstAbove(endMicros, t); i < n && endMicros[i]! - t <= answerDays * MICROS_PER_DAY; i++) {
        const g = cell[k * n + i]!;
        if (g < 0) continue;
        const e = endMicros[i]!;
        if (e - t <= s * MICROS_PER_DAY) {
          satisfactionSum[g]! += value;
          answers[g]! += 1;
        }
        if (e - t <= LAST_ANSWER_DAYS * MICROS_PER_DAY && e <= next) {
          if (csat) csatLast[g] = value;
          else npsLast[g] = value;
        }
      }
    }
  }

  const tickets = new Float64Array(G);
  const handled = new Float64Array(G);
  const firstContact = new Float64Array(G);
  const supportDays = m.support_window_days;
  const ticketDays = Math.max(supportDays, FCR_WINDOW_DAYS);
  const ticketRows = await store.queryColumns(`SELECT k.k, ${micros('t.opened_at')} AS opened,
      CASE WHEN COALESCE(t.abandoned, false) THEN 1 ELSE 0 END + CASE WHEN t.contacts = 1 THEN 2 ELSE 0 END AS kind,
      ${micros('t.resolved_at')} AS resolved
    FROM tickets t JOIN ${KEYS} k ON k.account_id = t.account_id
    WHERE t.opened_at >= ${at(minus(first, ticketDays))} AND t.opened_at < ${at(last)}
    ORDER BY k.k`);
  {
    const ks = numbers(ticketRows.k);
    const opened = numbers(ticketRows.opened);
    const kinds = numbers(ticketRows.kind);
    const resolved = numbers(ticketRows.resolved);
    for (let row = 0; row < ks.length; row++) {
      const k = ks[row]!;
      const t = opened[row]!;
      const abandoned = (kinds[row]! & 1) === 1;
      const oneContact = (kinds[row]! & 2) === 2;
      const done = resolved[row] ?? Number.POSITIVE_INFINITY;
      for (let i = firstAbove(endMicros, t); i < n && endMicros[i]! - t <= ticketDays * MICROS_PER_DAY; i++) {
        const g = cell[k * n + i]!;
        if (g < 0) continue;
        const e = endMicros[i]!;
        if (e - t <= supportDays * MICROS_PER_DAY) tickets[g]! += 1;
        if (e - t <= FCR_WINDOW_DAYS * MICROS_PER_DAY && !abandoned) {
          handled[g]! += 1;
          if (oneContact && done < e) firstContact[g]! += 1;
        }
      }
    }
  }

  // Distinct users need the events themselves: counted per account and snapshot in SQL (distinct triples first:
  // that parallelises better than COUNT(DISTINCT)).
  const users = new Float64Array(G);
  const userRows = await store.queryColumns(`WITH ${snap},
    window_days(day, idx) AS (SELECT s.e_day - g.b, s.idx FROM snap s, generate_series(1, ${USERS_WINDOW_DAYS}) AS g(b)),
    users_at AS (
      SELECT e.account_id, w.idx, e.user_id
      FROM usage_events e JOIN window_days w ON w.day = CAST(CAST(e.occurred_at AS DATE) - DATE '1970-01-01' AS BIGINT)
      WHERE e.occurred_at >= ${at(minus(first, USERS_WINDOW_DAYS))} AND e.occurred_at < ${at(last)}
        AND e.user_id IS NOT NULL
      GROUP BY e.account_id, w.idx, e.user_id),
    counted AS (SELECT account_id, idx, COUNT(*) AS users FROM users_at GROUP BY account_id, idx)
    SELECT k.k, c.idx, ${real('c.users')} AS users FROM counted c JOIN ${KEYS} k ON k.account_id = c.account_id
    ORDER BY k.k`);
  {
    const ks = numbers(userRows.k);
    const idx = numbers(userRows.idx);
    const counts = numbers(userRows.users);
    for (let row = 0; row < ks.length; row++) {
      const g = cell[ks[row]! * n + idx[row]!]!;
      if (g >= 0) users[g] = counts[row]!;
    }
  }

  const pending = new Uint8Array(G);
  const cancellations = await store.queryColumns(`SELECT k.k, ${micros('c.requested_at')} AS requested,
      ${micros('c.ends_at')} AS ends
    FROM cancellations c JOIN ${KEYS} k ON k.account_id = c.account_id
    WHERE c.requested_at < ${at(last)} AND c.ends_at >= ${at(first)}`);
  {
    const ks = numbers(cancellations.k);
    const requested = numbers(cancellations.requested);
    const endsAt = numbers(cancellations.ends);
    for (let row = 0; row < ks.length; row++) {
      for (let i = firstAbove(endMicros, requested[row]!); i < n && endMicros[i]! <= endsAt[row]!; i++) {
        const g = cell[ks[row]! * n + i]!;
        if (g >= 0) pending[g] = 1;
      }
    }
  }

  const churned = new Uint8Array(G);
  const churns = await store.queryColumns(`SELECT k.k, ${micros('m.effective_at')} AS at
    FROM mrr_movements m JOIN ${KEYS} k ON k.account_id = m.account_id
    WHERE m.movement = 'churn' AND m.effective_at >= ${at(first)}
      AND m.effective_at < ${at(new Date(last.getTime() + HORIZON_DAYS * DAY))}`);
  {
    const ks = numbers(churns.k);
    const times = numbers(churns.at);
    for (let row = 0; row < ks.length; row++) {
      const t = times[row]!;
      for (
        let i = firstAbove(endMicros, t - HORIZON_DAYS * MICROS_PER_DAY);
        i < n && endMicros[i]! <= t;
        i++
      ) {
        const g = cell[ks[row]! * n + i]!;
        if (g >= 0) churned[g] = 1;
      }
    }
  }

  // Rows in the order (snapshot, account id), the features as `observationOf` defined them.
  const p = FEATURES.length;
  const c = COMPONENTS.length;
  const table: ObservationTable = {
    snapshots: ends,
    accountIds,
    rows: G,
    snapshot: new Int32Array(G),
    account: new Int32Array(G),
    features: new Float64Array(G * p),
    components: new Float64Array(G * c),
    labels: new Int8Array(G),
  };
  const f = table.features;
  const co = table.components;
  let out = 0;
  for (let i = 0; i < n; i++) {
    const complete = latest !== null && ends[i]!.getTime() + HORIZON_DAYS * DAY <= latest.getTime();
    const endSeconds = ends[i]!.getTime() / 1000;
    for (let k = 0; k < K; k++) {
      const g = cell[k * n + i]!;
      if (g < 0) continue;
      const mrr = mrrEnd[g]!;
      const before = mrr - mrrChange[g]!;
      const nps = npsLast[g]!;
      const csat = csatLast[g]!;
      const since = created[k];
      const tenureSeconds = since === null || since === undefined ? 0 : endSeconds - since;
      const months = Math.max(0, (tenureSeconds * 1000) / (30.4375 * DAY));
      const usageTrend = recent[g] === 0 ? 0 : previous[g] === 0 ? 1 : Math.min(1, recent[g]! / previous[g]!);
      const satisfaction = answers[g] === 0 ? 0.5 : satisfactionSum[g]! / answers[g]!;
      const o = out * p;
      f[o] = Math.log1p(recent[g]!); // usage_level
      f[o + 1] = usageTrend;
      f[o + 2] = Math.log1p(users[g]!);
      f[o + 3] = satisfaction;
      f[o + 4] = Number.isNaN(nps) ? 0.5 : nps;
      f[o + 5] = Number.isNaN(csat) ? 0.5 : csat;
      f[o + 6] = Number.isNaN(nps) && Number.isNaN(csat) ? 1 : 0; // no_feedback
      f[o + 7] = Math.log1p(tickets[g]!);
      f[o + 8] = handled[g] === 0 ? 1 : firstContact[g]! / handled[g]!; // fcr
      f[o + 9] = Math.log(Math.max(mrr, 1e-9)); // mrr_level
      f[o + 10] = before > 0 ? Math.log(mrr / before) : 0; // mrr_trend
      f[o + 11] = Math.log1p(months); // tenure
      f[o + 12] = pending[g]!; // pending_cancellation
      const q = out * c;
      co[q] = usageTrend;
      co[q + 1] = satisfaction;
      co[q + 2] = Math.max(0, 1 - tickets[g]! / m.support_tickets_for_zero);
      co[q + 3] = revenueTrend[g]!;
      co[q + 4] = 1 - pending[g]!;
      table.snapshot[out] = i;
      table.account[out] = k;
      table.labels[out] = complete ? churned[g]! : -1;
      out++;
    }
  }
  return table;
}

/** A row of a table as an Observation; its components are read from the table when asked for. */
class TableObservation implements Observation {
  readonly account_id: string;
  readonly snapshot_at: Date;
  readonly features: number[];
  readonly label: 0 | 1 | null;
  readonly #table: ObservationTable;
  readonly #row: number;

  constructor(table: ObservationTable, row: number) {
    const p = FEATURES.length;
    const features = new Array<number>(p);
    for (let j = 0; j < p; j++) features[j] = table.features[row * p + j]!;
    const label = table.labels[row]!;
    this.account_id = table.accountIds[table.account[row]!]!;
    this.snapshot_at = table.snapshots[table.snapshot[row]!]!;
    this.features = features;
    this.label = label < 0 ? null : (label as 0 | 1);
    this.#table = table;
    this.#row = row;
  }

  get components(): DefaultComponents {
    const c = COMPONENTS.length;
    const o = this.#row * c;
    const co = this.#table.components;
    return {
      usage_trend: co[o]!,
      satisfaction: co[o + 1]!,
      support_load: co[o + 2]!,
      revenue_trend: co[o + 3]!,
      pending_cancellation: co[o + 4]!,
    };
  }
}

/** The table's row `r` as an Observation. */
export function observationOfRow(table: ObservationTable, r: number): Observation {
  return new TableObservation(table, r);
}

/**
 * The observations of every account active (MRR > 0) at each snapshot, sorted by snapshot, then account id.
 * Snapshots are UTC day starts; each is the end of the windows of its features.
 */
export async function observationsAt(store: Store, snapshots: readonly Date[]): Promise<Observation[]> {
  const table = await observationTable(store, snapshots);
  const out = new Array<Observation>(table.rows);
  for (let r = 0; r < table.rows; r++) out[r] = observationOfRow(table, r);
  return out;
}
