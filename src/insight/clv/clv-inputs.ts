// The per-account calibration summary (frequency, recency, T, mean repeat spend) from `payments`, in
// one set-based query: payments are merged per account and UTC day, then summarised per account.

/** The one store capability this needs (the store adapters implement it). */
export interface SqlReader {
  query<T extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

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

interface InputRow extends Record<string, unknown> {
  account_id: string;
  frequency: number;
  recency_s: number;
  t_s: number;
  repeat_amount: number | null;
}

/**
 * Reads every account with a payment at or before `calibrationEnd`. A purchase is an account's UTC day
 * with payments (amounts summed), placed at that day's first payment; the first purchase is the
 * earliest. frequency = purchase days − 1; recency = last − first purchase; T = calibrationEnd − first
 * purchase, both in `unit`; monetary = mean amount of the purchase days after the first.
 */
export async function readClvInputs(
  store: SqlReader,
  calibrationEnd: Date,
  unit: TimeUnit,
): Promise<ClvInputs> {
  // The end is a Date we produced: its ISO text is a safe literal.
  const end = `CAST('${calibrationEnd.toISOString().replace('T', ' ').replace('Z', '')}' AS TIMESTAMP)`;
  const rows = await store.query<InputRow>(`
    WITH days AS (
      SELECT account_id, CAST(paid_at AS DATE) AS day, MIN(paid_at) AS bought_at, SUM(amount) AS amount
      FROM payments WHERE paid_at <= ${end}
      GROUP BY account_id, CAST(paid_at AS DATE)
    ), marked AS (
      SELECT account_id, bought_at, amount, MIN(bought_at) OVER (PARTITION BY account_id) AS first_at FROM days
    )
    SELECT account_id,
      CAST(COUNT(*) - 1 AS DOUBLE) AS frequency,
      CAST(EXTRACT(EPOCH FROM MAX(bought_at)) - EXTRACT(EPOCH FROM MIN(bought_at)) AS DOUBLE) AS recency_s,
      CAST(EXTRACT(EPOCH FROM ${end}) - EXTRACT(EPOCH FROM MIN(bought_at)) AS DOUBLE) AS t_s,
      CAST(SUM(CASE WHEN bought_at > first_at THEN amount END) AS DOUBLE) AS repeat_amount
    FROM marked
    GROUP BY account_id
    ORDER BY account_id`);
  const seconds = SECONDS_PER_UNIT[unit];
  const n = rows.length;
  const inputs: ClvInputs = {
    accountIds: new Array<string>(n),
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetary: new Float64Array(n),
  };
  rows.forEach((row, i) => {
    inputs.accountIds[i] = row.account_id;
    inputs.frequency[i] = row.frequency;
    inputs.recency[i] = row.recency_s / seconds;
    inputs.T[i] = row.t_s / seconds;
    inputs.monetary[i] = row.frequency > 0 ? (row.repeat_amount ?? 0) / row.frequency : Number.NaN;
  });
  return inputs;
}
