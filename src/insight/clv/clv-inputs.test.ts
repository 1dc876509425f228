// The calibration summary from payments: same-day payments merge into a purchase at the day's start, the
// end is inclusive and its time of day counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbStore, openDuckDbStore } from '../../store/duckdb-store.js';
import { readClvInputs } from './clv-inputs.js';

let store: DuckDbStore;

beforeAll(async () => {
  store = await openDuckDbStore(':memory:');
  const payments: [string, string, string, number][] = [
    // A: first day 2025-01-01 (two payments merged: 10 + 5), repeats on 01-08 and 01-15 (2 + 3 merged).
    ['a1', 'A', '2025-01-01 06:00:00', 10],
    ['a2', 'A', '2025-01-01 18:00:00', 5],
    ['a3', 'A', '2025-01-08 06:00:00', 20],
    ['a4', 'A', '2025-01-15 12:00:00', 2],
    ['a5', 'A', '2025-01-15 13:00:00', 3],
    // exactly at the end: counts; after it: does not.
    ['a6', 'A', '2025-01-29 00:00:00', 7],
    ['a7', 'A', '2025-01-29 00:00:01', 1000],
    // B bought once; C only after the end (not listed).
    ['b1', 'B', '2025-01-22 00:00:00', 50],
    ['c1', 'C', '2025-02-01 00:00:00', 50],
  ];
  for (const [id, account, at, amount] of payments) {
    await store.run(
      `INSERT INTO payments (payment_id, account_id, paid_at, amount, kind) VALUES ('${id}', '${account}', TIMESTAMP '${at}', ${amount}, 'one_time')`,
    );
  }
});
afterAll(async () => {
  await store.close();
});

describe('readClvInputs', () => {
  it('merges same-day payments, counts the end instant, and measures from the first purchase day (weeks)', async () => {
    const inputs = await readClvInputs(store, new Date('2025-01-29T00:00:00Z'), 'week');
    expect(inputs.accountIds).toEqual(['A', 'B']);
    // A: purchase days 01-01, 01-08, 01-15, 01-29 → x = 3.
    expect(inputs.frequency[0]).toBe(3);
    // recency: day 01-01 → day 01-29 = 28 days (the 06:00 of the first payment does not count); T: 01-01 00:00 →
    // the end 01-29 00:00, the same 4 weeks.
    expect(inputs.recency[0]).toBe(4);
    expect(inputs.T[0]).toBe(4);
    // repeat days: 20, 2 + 3, 7 → mean 32 / 3.
    expect(inputs.monetary[0]).toBeCloseTo(32 / 3, 12);
    expect(inputs.frequency[1]).toBe(0);
    expect(inputs.recency[1]).toBe(0);
    expect(inputs.T[1]).toBeCloseTo(1, 12);
    expect(Number.isNaN(inputs.monetary[1])).toBe(true);
  });

  it('measures in days with --time-unit day', async () => {
    const inputs = await readClvInputs(store, new Date('2025-01-29T00:00:00Z'), 'day');
    expect(inputs.T[0]).toBe(28);
    expect(inputs.recency[0]).toBe(28);
    expect(inputs.T[1]).toBe(7);
  });

  it('counts only what was paid by an earlier end', async () => {
    const inputs = await readClvInputs(store, new Date('2025-01-15T12:30:00Z'), 'day');
    expect(inputs.accountIds).toEqual(['A']);
    // 01-15 has only its 12:00 payment by then: x = 2, repeat days 20 and 2.
    expect(inputs.frequency[0]).toBe(2);
    expect(inputs.monetary[0]).toBeCloseTo(11, 12);
    // recency: day 01-01 → day 01-15 = 14 days; T: 01-01 00:00 → 01-15 12:30 = 14 + 12.5/24 days.
    expect(inputs.recency[0]).toBe(14);
    expect(inputs.T[0]).toBeCloseTo(14 + 12.5 / 24, 12);
  });
});
