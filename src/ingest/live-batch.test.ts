import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_FILES } from '../domain/import-format.js';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { type LiveRequest, storeLiveBatch } from './live-batch.js';

const spec = (table: string) => IMPORT_FILES.find((f) => f.table === table)!;
const NOW = new Date('2026-03-01T00:00:00Z');

const accounts = (...ids: string[]): LiveRequest => ({
  spec: spec('accounts'),
  rows: ids.map((id) => ({
    cells: { account_id: id, created_at: '2025-01-01' },
    attributes: { plan: 'pro' },
  })),
});
const answer = (id: string, score: string, account: string | null = 'a1'): LiveRequest => ({
  spec: spec('responses'),
  rows: [
    {
      cells: {
        response_id: id,
        submitted_at: '2026-02-01T10:00:00Z',
        metric: 'nps',
        score,
        account_id: account,
      },
    },
  ],
});

let store: DuckDbStore;
beforeEach(async () => {
  store = await openDuckDbStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

const run = (requests: LiveRequest[], now = NOW) =>
  store.transaction(() => storeLiveBatch(store, requests, now));
const count = async (table: string) =>
  Number((await store.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('storeLiveBatch', () => {
  it('stores the requests of one batch together, accounts first, attributes kept', async () => {
    const outcomes = await run([answer('r1', '9'), accounts('a1', 'a2')]);
    expect(outcomes).toEqual([
      { status: 'stored', accepted: 1, duplicates: 0 },
      { status: 'stored', accepted: 2, duplicates: 0 },
    ]);
    expect(await count('responses')).toBe(1);
    expect(await store.query('SELECT account_id, value FROM account_attributes ORDER BY 1')).toEqual([
      { account_id: 'a1', value: 'pro' },
      { account_id: 'a2', value: 'pro' },
    ]);
  });

  it('counts a redelivery once, within a batch and across batches', async () => {
    await run([accounts('a1')]);
    expect(await run([answer('r1', '9'), answer('r1', '9')])).toEqual([
      { status: 'stored', accepted: 1, duplicates: 0 },
      { status: 'stored', accepted: 0, duplicates: 1 },
    ]);
    expect(await run([answer('r1', '9')])).toEqual([{ status: 'stored', accepted: 0, duplicates: 1 }]);
    expect(await count('responses')).toBe(1);
  });

  it('refuses the same id with other values as a conflict, keeps the first version, stores the rest', async () => {
    await run([accounts('a1'), answer('r1', '9')]);
    const outcomes = await run([answer('r1', '3'), answer('r2', '3')]);
    expect(outcomes[0]).toMatchObject({ status: 'conflict', issues: [{ index: 0, column: 'response_id' }] });
    expect(outcomes[1]).toEqual({ status: 'stored', accepted: 1, duplicates: 0 });
    expect(await store.query('SELECT response_id, score FROM responses ORDER BY 1')).toEqual([
      { response_id: 'r1', score: 9 },
      { response_id: 'r2', score: 3 },
    ]);
  });

  it('names the row and field of a bad value, and a request that needed a refused account fails too', async () => {
    const outcomes = await run([
      { spec: spec('accounts'), rows: [{ cells: { account_id: 'a9', created_at: 'yesterday' } }] },
      answer('r1', '11', 'a9'),
      answer('r2', '5', 'a9'),
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'invalid', issues: [{ index: 0, column: 'created_at' }] });
    expect(outcomes[1]).toMatchObject({ status: 'invalid' });
    // r1 is refused for its score in the same pass as a9; r2 only once a9 is gone, for its account.
    expect((outcomes[1] as { issues: { rule: string }[] }).issues.map((i) => i.rule)).toEqual(['nps_score']);
    expect(outcomes[2]).toMatchObject({ status: 'invalid', issues: [{ column: 'account_id' }] });
    expect(await count('accounts')).toBe(0);
    expect(await count('responses')).toBe(0);
  });

  it('refuses instants more than 24 h ahead of now', async () => {
    await run([accounts('a1')]);
    const late = {
      ...answer('r1', '9'),
      rows: [{ cells: { ...answer('r1', '9').rows[0]!.cells, submitted_at: '2026-03-02T00:00:01Z' } }],
    };
    const outcomes = await run([late]);
    expect(outcomes[0]).toMatchObject({
      status: 'invalid',
      issues: [{ column: 'submitted_at', rule: 'not_in_future' }],
    });
  });

  it('keeps MRR movements current and recognises usage redelivered by event id', async () => {
    await run([accounts('a1')]);
    const mrr = (at: string, value: string): LiveRequest => ({
      spec: spec('mrr_changes'),
      rows: [{ cells: { account_id: 'a1', effective_at: at, mrr: value, currency: 'EUR' } }],
    });
    await run([mrr('2025-01-01', '100'), mrr('2025-02-01', '150')]);
    expect(await store.query('SELECT movement FROM mrr_movements ORDER BY effective_at')).toEqual([
      { movement: 'new' },
      { movement: 'expansion' },
    ]);
    expect((await run([mrr('2025-02-01', '120')]))[0]).toMatchObject({ status: 'conflict' });
    const use = (event: string): LiveRequest => ({
      spec: spec('usage_events'),
      rows: [{ cells: { account_id: 'a1', occurred_at: '2025-02-03T10:00:00Z', event, event_id: 'm1' } }],
    });
    expect(await run([use('login')])).toEqual([{ status: 'stored', accepted: 1, duplicates: 0 }]);
    expect(await run([use('login')])).toEqual([{ status: 'stored', accepted: 0, duplicates: 1 }]);
    expect((await run([use('export')]))[0]).toMatchObject({ status: 'conflict' });
    expect(await store.query('SELECT events FROM usage_daily')).toEqual([{ events: 1 }]);
  });
});
