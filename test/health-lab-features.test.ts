// The features and labels of the health lab's one query, on a store small enough to work every value out by
// hand. Snapshot E = 2025-06-01; the data ends 2025-09-15, so E's 90-day label window (to 2025-08-30) is
// complete and 2025-07-01's (to 2025-09-29) is not.
//
// A: created 2024-06-01; MRR 100 from 2024-06-01, 150 from 2025-04-01, 0 from 2025-07-15 (churn in E's window);
//    usage 2025-04-15 (u1), 05-10 (u1), 05-20 (u2), 05-30 (u1); NPS 9 on 01-10, NPS 4 on 05-01, CSAT 5 on 03-01;
//    tickets t1 05-05 one contact resolved 05-06, t2 05-10 three contacts, t3 05-25 one contact resolved after E
//    (06-03), t4 05-26 abandoned; cancellation requested 05-20, taking effect 07-15 (pending at E).
// B: created 2025-01-15; MRR 50 from then on; one usage event on 2025-09-15 (the last datum).
// C: MRR 80 from 2024-01-01, 0 from 2025-05-01: no MRR at E, no observation.
// D: MRR 70 from 2024-01-01, 0 from 2025-09-10: churns after E's window, label 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles, removeCsvFolders } from '../src/ingest/test-kit.js';
import { FEATURES, type Feature, type Observation, observationsAt } from '../src/insight/health/features.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import type { Store } from '../src/store/store.js';

let store: Store;
const DAY = 86_400_000;

beforeAll(async () => {
  store = await openDuckDbStore(':memory:');
  await importFiles(store, {
    'accounts.csv': 'account_id,created_at\nA,2024-06-01\nB,2025-01-15\nC,2024-01-01\nD,2024-01-01\n',
    'mrr_changes.csv': [
      'account_id,effective_at,mrr',
      'A,2024-06-01,100',
      'A,2025-04-01,150',
      'A,2025-07-15,0',
      'B,2025-01-15,50',
      'C,2024-01-01,80',
      'C,2025-05-01,0',
      'D,2024-01-01,70',
      'D,2025-09-10,0',
      '',
    ].join('\n'),
    'usage.csv': [
      'account_id,occurred_at,event,user_id',
      'A,2025-04-15T10:00:00Z,login,u1',
      'A,2025-05-10T10:00:00Z,login,u1',
      'A,2025-05-20T10:00:00Z,login,u2',
      'A,2025-05-30T10:00:00Z,login,u1',
      'B,2025-09-15T00:00:00Z,login,b1',
      '',
    ].join('\n'),
    'responses.csv': [
      'response_id,submitted_at,metric,score,account_id',
      'r1,2025-01-10T09:00:00Z,nps,9,A',
      'r2,2025-05-01T09:00:00Z,nps,4,A',
      'r3,2025-03-01T09:00:00Z,csat,5,A',
      '',
    ].join('\n'),
    'tickets.csv': [
      'ticket_id,opened_at,account_id,resolved_at,contacts,abandoned',
      't1,2025-05-05T09:00:00Z,A,2025-05-06T09:00:00Z,1,false',
      't2,2025-05-10T09:00:00Z,A,2025-05-20T09:00:00Z,3,false',
      't3,2025-05-25T09:00:00Z,A,2025-06-03T09:00:00Z,1,false',
      't4,2025-05-26T09:00:00Z,A,,1,true',
      '',
    ].join('\n'),
    'cancellations.csv': 'account_id,requested_at,ends_at\nA,2025-05-20,2025-07-15\n',
  });
}, 60_000);
afterAll(async () => {
  await store.close();
  await removeCsvFolders();
});

const E = new Date('2025-06-01T00:00:00Z');
const featuresOf = (o: Observation) =>
  Object.fromEntries(FEATURES.map((f, j) => [f, o.features[j]!])) as Record<Feature, number>;

describe('health lab features', () => {
  it('are worked out by hand for each account active at the snapshot, with its 90-day churn label', async () => {
    const all = await observationsAt(store, [new Date('2025-07-01T00:00:00Z'), E]);
    const at = all.filter((o) => o.snapshot_at.getTime() === E.getTime());
    expect(at.map((o) => [o.account_id, o.label])).toEqual([
      ['A', 1],
      ['B', 0],
      ['D', 0],
    ]);
    const a = featuresOf(at[0]!);
    const expected: Record<Feature, number> = {
      usage_level: Math.log(4),
      usage_trend: 1,
      users: Math.log(3),
      satisfaction: (0.9 + 0.4 + 1) / 3,
      nps_last: 0.4,
      csat_last: 1,
      no_feedback: 0,
      tickets: Math.log(5),
      fcr: 1 / 3,
      mrr_level: Math.log(150),
      mrr_trend: Math.log(150 / 100),
      tenure: Math.log1p((365 * DAY) / (30.4375 * DAY)),
      pending_cancellation: 1,
    };
    for (const f of FEATURES) expect(a[f], f).toBeCloseTo(expected[f], 9);
    expect(at[0]!.components).toMatchObject({ usage_trend: 1, pending_cancellation: 0 });

    const b = featuresOf(at[1]!);
    expect(b).toEqual({
      usage_level: 0,
      usage_trend: 0,
      users: 0,
      satisfaction: 0.5,
      nps_last: 0.5,
      csat_last: 0.5,
      no_feedback: 1,
      tickets: 0,
      fcr: 1,
      mrr_level: Math.log(50),
      mrr_trend: 0,
      tenure: Math.log1p((137 * DAY) / (30.4375 * DAY)),
      pending_cancellation: 0,
    });
  });

  it('leave the label unknown when the data ends before the 90 days do', async () => {
    const july = await observationsAt(store, [new Date('2025-07-01T00:00:00Z')]);
    expect(july.map((o) => [o.account_id, o.label])).toEqual([
      ['A', null],
      ['B', null],
      ['D', null],
    ]);
  });
});
