// The per-account calibration summary (frequency, recency, T, mean repeat spend) from `payments`, in
// one set-based query: payments are merged per account and UTC day, then summarised per account.
// A purchase is a whole day, placed at its start: customers who started on the same day and bought on
// the same days share one (x, t_x, T), which the fits evaluate once (distinct-rows.ts).
import { type Store, sqlTimestamp } from '../../store/store.js';

/** The one store capability this needs (the store adapters implement it). */
export type SqlReader = Pick<Store, 'queryColumns'>;

export type TimeUnit = 'week' | 'day';

export const SECONDS_PER_UNIT: Record<TimeUnit, number> = { week: 7 * 86_400, day: 86_400 };

export interface ClvInputs {
  accountIds: string[];
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  /** mean value of the repeat purchase days; NaN when frequency = 0 */
  monetary: Float64Array;
}

/**
 * Reads every account with a payment at or before `calibrationEnd`. A purchase is an account's UTC day
 * with payments (amounts summed), placed at 00:00 UTC of that day; the first purchase is the earliest.
 * frequency = purchase days − 1; recency = last − first purchase day; T = calibrationEnd − first purchase
 * day, both in `unit`; monetary = mean amount of the purchase days after the first.
 */
export async function readClvInputs(
  store: SqlReader,
  calibrationEnd: Date,
  unit: TimeUnit,
): Promise<ClvInputs> {
  const end = sqlTimestamp(calibrationEnd);
  const columns = await store.queryColumns(`
    WITH days AS (
      SELECT account_id, CAST(paid_at AS DATE) AS day, SUM(amount) AS amount
      FROM payments WHERE paid_at <= ${end}
      GROUP BY account_id, CAST(paid_at AS DATE)
    )
    SELECT account_id,
      CAST(COUNT(*) - 1 AS DOUBLE) AS frequency,
      CAST(DATE_DIFF('day', MIN(day), MAX(day)) * 86400 AS DOUBLE) AS recency_s,
      CAST(EXTRACT(EPOCH FROM ${end}) - EXTRACT(EPOCH FROM CAST(MIN(day) AS TIMESTAMP)) AS DOUBLE) AS t_s,
      CAST(SUM(amount) - ARG_MIN(amount, day) AS DOUBLE) AS repeat_amount
    FROM days
    GROUP BY account_id
    ORDER BY account_id`);
  const seconds = SECONDS_PER_UNIT[unit];
  const frequency = Float64Array.from(columns.frequency as number[]);
  const repeatAmount = columns.repeat_amount as (number | null)[];
  return {
    accountIds: columns.account_id as string[],
    frequency,
    recency: Float64Array.from(columns.recency_s as number[], (s) => s / seconds),
    T: Float64Array.from(columns.t_s as number[], (s) => s / seconds),
    monetary: Float64Array.from(frequency, (x, i) => (x > 0 ? (repeatAmount[i] ?? 0) / x : Number.NaN)),
  };
}
