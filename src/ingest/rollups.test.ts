// The rollups an import keeps current: usage per UTC day, first value events (TTFV), MRR movements (KPI-SPEC §3).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { importFiles, removeCsvFolders } from './test-kit.js';

let store: DuckDbStore;

beforeEach(async () => {
  store = await openDuckDbStore(':memory:');
  await importFiles(store, {
    'accounts.csv': 'account_id,created_at\nA,2025-03-01T12:00:00Z\nB,2025-03-01\n',
  });
});
afterEach(() => store.close());
afterAll(removeCsvFolders);

const USAGE = 'account_id,occurred_at,event\n';
const MRR = 'account_id,effective_at,mrr\n';

const usageDaily = () =>
  store.query("SELECT account_id, strftime(day, '%Y-%m-%d') AS day, events FROM usage_daily ORDER BY ALL");
const firstEvents = () =>
  store.query(
    "SELECT account_id, event, strftime(first_at, '%Y-%m-%d %H:%M') AS first_at FROM account_first_events ORDER BY ALL",
  );
const movements = (account: string) =>
  store.query(
    `SELECT strftime(effective_at, '%m') AS month, old_mrr, new_mrr, movement FROM mrr_movements
     WHERE account_id = $1 ORDER BY effective_at`,
    [account],
  );

describe('usage rollups', () => {
  it('counts usage events per account and UTC day', async () => {
    // 23:30 at -02:00 is 01:30 UTC the next day.
    await importFiles(store, {
      'usage.csv': `${USAGE}A,2025-03-02T09:00:00Z,login\nA,2025-03-02T18:00:00Z,report\nA,2025-03-02T23:30:00-02:00,login\nB,2025-03-02,login\n`,
    });
    expect(await usageDaily()).toEqual([
      { account_id: 'A', day: '2025-03-02', events: 2 },
      { account_id: 'A', day: '2025-03-03', events: 1 },
      { account_id: 'B', day: '2025-03-02', events: 1 },
    ]);
  });

  it("keeps each account's first event at or after its creation, ignoring earlier events", async () => {
    // A was created at 12:00: the 11:59 login does not count, the 12:00 report does.
    await importFiles(store, {
      'usage.csv': `${USAGE}A,2025-03-01T11:59:00Z,login\nA,2025-03-03T08:00:00Z,login\nA,2025-03-01T12:00:00Z,report\nB,2025-02-28,login\n`,
    });
    expect(await firstEvents()).toEqual([
      { account_id: 'A', event: 'login', first_at: '2025-03-03 08:00' },
      { account_id: 'A', event: 'report', first_at: '2025-03-01 12:00' },
    ]);
  });

  it('lowers first_at and adds to the day counts when a later import brings an earlier event', async () => {
    await importFiles(store, { 'usage.csv': `${USAGE}A,2025-03-05T10:00:00Z,login\n` });
    await importFiles(store, {
      'usage.csv': `${USAGE}A,2025-03-02T10:00:00Z,login\nA,2025-03-05T11:00:00Z,login\nA,2025-03-09,login\n`,
    });
    expect(await firstEvents()).toEqual([{ account_id: 'A', event: 'login', first_at: '2025-03-02 10:00' }]);
    expect(await usageDaily()).toEqual([
      { account_id: 'A', day: '2025-03-02', events: 1 },
      { account_id: 'A', day: '2025-03-05', events: 2 },
      { account_id: 'A', day: '2025-03-09', events: 1 },
    ]);
  });
});

describe('MRR movements', () => {
  it('classifies each change as new, expansion, churn, reactivation, none or contraction', async () => {
    await importFiles(store, {
      'mrr_changes.csv': `${MRR}A,2025-01-01,100\nA,2025-02-01,150\nA,2025-03-01,0\nA,2025-04-01,50\nA,2025-05-01,50\nA,2025-06-01,30\n`,
    });
    expect(await movements('A')).toEqual([
      { month: '01', old_mrr: 0, new_mrr: 100, movement: 'new' },
      { month: '02', old_mrr: 100, new_mrr: 150, movement: 'expansion' },
      { month: '03', old_mrr: 150, new_mrr: 0, movement: 'churn' },
      { month: '04', old_mrr: 0, new_mrr: 50, movement: 'reactivation' },
      { month: '05', old_mrr: 50, new_mrr: 50, movement: 'none' },
      { month: '06', old_mrr: 50, new_mrr: 30, movement: 'contraction' },
    ]);
  });

  it("re-derives an account's movements when a later import brings an earlier change, leaving others alone", async () => {
    await importFiles(store, { 'mrr_changes.csv': `${MRR}A,2025-02-01,100\nB,2025-02-01,70\n` });
    await importFiles(store, { 'mrr_changes.csv': `${MRR}A,2025-01-01,60\n` });
    expect(await movements('A')).toEqual([
      { month: '01', old_mrr: 0, new_mrr: 60, movement: 'new' },
      { month: '02', old_mrr: 60, new_mrr: 100, movement: 'expansion' },
    ]);
    expect(await movements('B')).toEqual([{ month: '02', old_mrr: 0, new_mrr: 70, movement: 'new' }]);
    const neighbours = await store.query(
      "SELECT strftime(prev_at, '%m') AS prev, strftime(next_at, '%m') AS next FROM mrr_movements WHERE account_id = 'A' ORDER BY effective_at",
    );
    expect(neighbours).toEqual([
      { prev: null, next: '02' },
      { prev: '01', next: null },
    ]);
  });
});
