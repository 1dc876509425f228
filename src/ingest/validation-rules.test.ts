// KPI-SPEC §2 row rules, one per test: the exact issue (file, line, column, value, rule), and a store left as it was.
import { describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../store/duckdb-store.js';
import { baseStoreForEachTest, importFiles, NEW_ACCOUNT, rejectedIssues, storeContents } from './test-kit.js';

const { store, rejected } = baseStoreForEachTest();

const MRR = 'account_id,effective_at,mrr\n';
const PAYMENTS = 'payment_id,account_id,paid_at,amount,kind\n';
const RESPONSES = 'response_id,submitted_at,metric,score,scale\n';
const TICKETS = 'ticket_id,opened_at,contacts,abandoned\n';
const USAGE = 'account_id,occurred_at,event\n';

describe('required', () => {
  it('rejects a blank or whitespace-only required cell, naming its line and column', async () => {
    expect(
      await rejected({
        'payments.csv': `${PAYMENTS}p9,A,2025-03-01,10,recurring\n   ,A,2025-03-02,10,recurring\n`,
        'usage.csv': `${USAGE}N,2025-03-01,\n`,
      }),
    ).toEqual([
      // A cell of spaces is blank: reported as empty.
      { file: 'payments.csv', line: 3, column: 'payment_id', value: null, rule: 'required' },
      { file: 'usage.csv', line: 2, column: 'event', value: null, rule: 'required' },
    ]);
  });
});

describe('timestamp', () => {
  it('rejects an impossible date, a word, and a date-time without an offset', async () => {
    expect(
      await rejected({
        'mrr_changes.csv': `${MRR}A,2025-02-30,1\nA,yesterday,1\nA,2025-03-01T10:00:00,1\nA,2025-03-01,1\n`,
      }),
    ).toEqual([
      { file: 'mrr_changes.csv', line: 2, column: 'effective_at', value: '2025-02-30', rule: 'timestamp' },
      { file: 'mrr_changes.csv', line: 3, column: 'effective_at', value: 'yesterday', rule: 'timestamp' },
      {
        file: 'mrr_changes.csv',
        line: 4,
        column: 'effective_at',
        value: '2025-03-01T10:00:00',
        rule: 'timestamp',
      },
    ]);
  });

  it('accepts a date as 00:00 UTC and date-times with Z or an offset, stored as UTC instants', async () => {
    await importFiles(store(), {
      'usage.csv': `${USAGE}A,2025-03-01,d\nA,2025-03-01T10:00:00Z,z\nA,2025-03-01T10:00:00+02:00,o\nA,2025-03-01t10:30z,m\nA,2025-03-01T10:30+01:00,n\n`,
    });
    const rows = await store().query(
      "SELECT event, occurred_at FROM usage_events WHERE event IN ('d', 'z', 'o', 'm', 'n')",
    );
    expect(Object.fromEntries(rows.map((r) => [r.event, (r.occurred_at as Date).toISOString()]))).toEqual({
      d: '2025-03-01T00:00:00.000Z',
      z: '2025-03-01T10:00:00.000Z',
      o: '2025-03-01T08:00:00.000Z',
      // ISO-8601 also allows hh:mm without seconds and a lower-case t and z.
      m: '2025-03-01T10:30:00.000Z',
      n: '2025-03-01T09:30:00.000Z',
    });
  });
});

describe('non_negative_number', () => {
  it('rejects a negative amount, a decimal comma, infinity and NaN', async () => {
    expect(
      await rejected({
        'mrr_changes.csv': `${MRR}A,2025-03-01,-1\nA,2025-03-02,"1,5"\nA,2025-03-03,inf\nA,2025-03-04,NaN\nA,2025-03-05,1.5\n`,
      }),
    ).toEqual(
      ['-1', '1,5', 'inf', 'NaN'].map((value, i) => ({
        file: 'mrr_changes.csv',
        line: i + 2,
        column: 'mrr',
        value,
        rule: 'non_negative_number',
      })),
    );
  });
});

describe('boolean', () => {
  it('rejects a word other than true/false/1/0/yes/no', async () => {
    expect(await rejected({ 'tickets.csv': `${TICKETS}t9,2025-03-01,1,maybe\n` })).toEqual([
      { file: 'tickets.csv', line: 2, column: 'abandoned', value: 'maybe', rule: 'boolean' },
    ]);
  });

  it('reads true/1/yes as true and false/0/no as false, in any case, and blank as null', async () => {
    const words = ['true', '1', 'YES', 'false', '0', 'No', ''];
    await importFiles(store(), {
      'tickets.csv': TICKETS + words.map((w, i) => `w${i},2025-03-01,1,${w}\n`).join(''),
    });
    const rows = await store().query(
      "SELECT abandoned FROM tickets WHERE ticket_id LIKE 'w%' ORDER BY ticket_id",
    );
    expect(rows.map((r) => r.abandoned)).toEqual([true, true, true, false, false, false, null]);
  });
});

describe('one_of', () => {
  it('rejects a payment kind, cost kind, renewal outcome or response metric outside its list', async () => {
    expect(
      await rejected({
        'payments.csv': `${PAYMENTS}p9,A,2025-03-01,10,refund\n`,
        'costs.csv': 'account_id,incurred_at,amount,kind\n,2025-03-01,10,marketing\n',
        'renewals.csv': 'account_id,due_at,outcome\nA,2026-01-01,lost\n',
        'responses.csv': `${RESPONSES}r9,2025-03-01,promoter,9,\n`,
      }),
    ).toEqual([
      { file: 'payments.csv', line: 2, column: 'kind', value: 'refund', rule: 'one_of' },
      { file: 'costs.csv', line: 2, column: 'kind', value: 'marketing', rule: 'one_of' },
      { file: 'renewals.csv', line: 2, column: 'outcome', value: 'lost', rule: 'one_of' },
      { file: 'responses.csv', line: 2, column: 'metric', value: 'promoter', rule: 'one_of' },
    ]);
  });
});

describe('integer_at_least_1', () => {
  it('rejects zero contacts and a fractional number of contacts', async () => {
    expect(await rejected({ 'tickets.csv': `${TICKETS}t8,2025-03-01,0,\nt9,2025-03-01,1.5,\n` })).toEqual([
      { file: 'tickets.csv', line: 2, column: 'contacts', value: '0', rule: 'integer_at_least_1' },
      { file: 'tickets.csv', line: 3, column: 'contacts', value: '1.5', rule: 'integer_at_least_1' },
    ]);
  });
});

describe('survey scores', () => {
  it('rejects a ces scale other than 5 or 7', async () => {
    expect(await rejected({ 'responses.csv': `${RESPONSES}r9,2025-03-01,ces,3,10\n` })).toEqual([
      { file: 'responses.csv', line: 2, column: 'scale', value: '10', rule: 'ces_scale' },
    ]);
  });

  it('rejects an nps score above 10, below 0, or not an integer', async () => {
    expect(
      await rejected({
        'responses.csv': `${RESPONSES}r7,2025-03-01,nps,11,\nr8,2025-03-01,nps,-1,\nr9,2025-03-01,nps,7.5,\n`,
      }),
    ).toEqual(
      ['11', '-1', '7.5'].map((value, i) => ({
        file: 'responses.csv',
        line: i + 2,
        column: 'score',
        value,
        rule: 'nps_score',
      })),
    );
  });

  it('rejects an enps score outside 0–10', async () => {
    expect(
      await rejected({ 'responses.csv': `${RESPONSES}r8,2025-03-01,enps,0,\nr9,2025-03-01,enps,11,\n` }),
    ).toEqual([{ file: 'responses.csv', line: 3, column: 'score', value: '11', rule: 'enps_score' }]);
  });

  it('rejects a csat score of 0 or 6', async () => {
    expect(
      await rejected({ 'responses.csv': `${RESPONSES}r8,2025-03-01,csat,0,\nr9,2025-03-01,csat,6,\n` }),
    ).toEqual([
      { file: 'responses.csv', line: 2, column: 'score', value: '0', rule: 'csat_score' },
      { file: 'responses.csv', line: 3, column: 'score', value: '6', rule: 'csat_score' },
    ]);
  });

  it('rejects a ces score of 6 on a 5-point scale and accepts it on the 7-point default', async () => {
    expect(
      await rejected({ 'responses.csv': `${RESPONSES}r8,2025-03-01,ces,6,5\nr9,2025-03-01,ces,6,\n` }),
    ).toEqual([{ file: 'responses.csv', line: 2, column: 'score', value: '6', rule: 'ces_score' }]);
    await importFiles(store(), { 'responses.csv': `${RESPONSES}r9,2025-03-01,ces,6,\n` });
    expect(await store().query("SELECT score, scale FROM responses WHERE response_id = 'r9'")).toEqual([
      { score: 6, scale: 7 },
    ]);
  });

  it('rejects an fcr score other than 0 or 1', async () => {
    expect(
      await rejected({ 'responses.csv': `${RESPONSES}r8,2025-03-01,fcr,1,\nr9,2025-03-01,fcr,2,\n` }),
    ).toEqual([{ file: 'responses.csv', line: 3, column: 'score', value: '2', rule: 'fcr_score' }]);
  });
});

describe('known_account', () => {
  it('rejects an account_id that is neither in accounts.csv nor in the store', async () => {
    // A is stored, N comes with this import's accounts.csv, Z is nowhere.
    expect(
      await rejected({ 'usage.csv': `${USAGE}A,2025-03-01,x\nN,2025-03-01,x\nZ,2025-03-01,x\n` }),
    ).toEqual([{ file: 'usage.csv', line: 4, column: 'account_id', value: 'Z', rule: 'known_account' }]);
  });

  it('allows a blank account_id in costs and responses', async () => {
    const summary = await importFiles(store(), {
      'costs.csv': 'account_id,incurred_at,amount,kind\n,2025-03-01,10,service\n',
      'responses.csv': 'response_id,submitted_at,metric,score,account_id\nr9,2025-03-01,nps,7,\n',
    });
    expect(summary.files.map((f) => f.added)).toEqual([1, 1]);
  });
});

describe('single_currency', () => {
  it('rejects USD after EUR within one import into an empty store', async () => {
    const empty = await openDuckDbStore(':memory:');
    try {
      const before = await storeContents(empty);
      expect(
        await rejectedIssues(empty, {
          ...NEW_ACCOUNT,
          'mrr_changes.csv':
            'account_id,effective_at,mrr,currency\nN,2025-03-01,10,EUR\nN,2025-04-01,20,USD\n',
        }),
      ).toEqual([
        { file: 'mrr_changes.csv', line: 3, column: 'currency', value: 'USD', rule: 'single_currency' },
      ]);
      expect(await storeContents(empty)).toEqual(before);
    } finally {
      await empty.close();
    }
  });

  it('rejects USD in a later import when the store holds EUR', async () => {
    expect(
      await rejected({
        'payments.csv':
          'payment_id,account_id,paid_at,amount,kind,currency\np9,A,2025-03-01,5,one_time,usd\n',
      }),
    ).toEqual([{ file: 'payments.csv', line: 2, column: 'currency', value: 'USD', rule: 'single_currency' }]);
  });
});
