// The two ingest loads — one NPS answer per request, and batches of usage rows — with every request numbered,
// so that after the run the store can be checked against exactly the requests that were acknowledged.

import { DuckDBInstance } from '@duckdb/node-api';
import type { RequestStep } from 'autocannon';

/** Requests sent and the numbers of those answered 2xx (the server answers only after its commit). */
export interface Acks {
  sent: number;
  acknowledged: Set<number>;
  /** The first few non-2xx answers, status and body, to show what went wrong. */
  refusals: string[];
}

export const newAcks = (): Acks => ({ sent: 0, acknowledged: new Set(), refusals: [] });

/** One POST per request whose body is `body(n)` for the request's number n. */
export function numberedPosts(
  path: string,
  token: string,
  body: (n: number) => string,
  acks: Acks,
): RequestStep[] {
  return [
    {
      method: 'POST',
      path,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      setupRequest: (request, context) => {
        context.n = acks.sent++;
        return { ...request, body: body(context.n as number) };
      },
      onResponse: (status, text, context) => {
        if (status >= 200 && status < 300) acks.acknowledged.add(context.n as number);
        else if (acks.refusals.length < 5) acks.refusals.push(`${status} ${text.slice(0, 300)}`);
      },
    },
  ];
}

/** `[{response_id: "r<n>", …}]`: one NPS answer, unique per request, from one of the accounts. */
export function answerBody(accountIds: readonly string[], base: number): (n: number) => string {
  return (n) =>
    `[{"response_id":"r${n}","submitted_at":"${new Date(base + n).toISOString()}","metric":"nps",` +
    `"score":${n % 11},"account_id":"${accountIds[n % accountIds.length]}"}]`;
}

/** `rows` distinct usage rows: request n holds the milliseconds [base + n·rows, base + (n+1)·rows). */
export function usageBody(accountIds: readonly string[], base: number, rows: number): (n: number) => string {
  return (n) => {
    const parts: string[] = [];
    for (let i = 0; i < rows; i++) {
      const k = n * rows + i;
      parts.push(
        `{"account_id":"${accountIds[k % accountIds.length]}","occurred_at":"${new Date(base + k).toISOString()}",` +
          `"event":"bench_${i % 10}"}`,
      );
    }
    return `[${parts.join(',')}]`;
  };
}

export interface Verification {
  table: string;
  /** 2xx answers autocannon counted, and the request numbers this harness saw acknowledged. */
  autocannon2xx: number;
  acknowledged: number;
  rowsPerRequest: number;
  storedRows: number;
  storedRequests: number;
  /** Acknowledged requests whose rows are not (all) in the store: must be 0. */
  acknowledgedMissing: number;
  /** Requests stored with another number of rows than they carried: must be 0. */
  partial: number;
  /** Stored but never acknowledged: answers still in flight when the load stopped (at most one per connection). */
  unacknowledgedStored: number;
  ok: boolean;
}

/**
 * Opens the store after the server has closed and compares it with the acknowledgements. `requestOf` is SQL
 * giving a stored row's request number.
 */
export async function verifyStore(
  db: string,
  table: string,
  requestOf: string,
  rowsPerRequest: number,
  acks: Acks,
  autocannon2xx: number,
  connections: number,
): Promise<Verification> {
  const instance = await DuckDBInstance.create(db);
  const connection = await instance.connect();
  let stored: Map<number, number>;
  try {
    const reader = await connection.runAndReadAll(
      `SELECT ${requestOf} AS n, count(*) AS c FROM ${table} GROUP BY 1`,
    );
    stored = new Map(reader.getRows().map(([n, c]) => [Number(n), Number(c)]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  let missing = 0;
  for (const n of acks.acknowledged) if (stored.get(n) !== rowsPerRequest) missing += 1;
  const partial = [...stored.values()].filter((c) => c !== rowsPerRequest).length;
  const unacknowledged = [...stored.keys()].filter((n) => !acks.acknowledged.has(n)).length;
  return {
    table,
    autocannon2xx,
    acknowledged: acks.acknowledged.size,
    rowsPerRequest,
    storedRows: [...stored.values()].reduce((a, b) => a + b, 0),
    storedRequests: stored.size,
    acknowledgedMissing: missing,
    partial,
    unacknowledgedStored: unacknowledged,
    ok:
      missing === 0 &&
      partial === 0 &&
      unacknowledged <= connections &&
      autocannon2xx === acks.acknowledged.size,
  };
}
