// GET /api/v1/report answers the same JSON as `fidelio report` for the same options: a demo store served by
// the real server process, then read by the CLI once the server has stopped.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fidelio, requireBuiltCli } from './support/cli.js';
import { startServer, stopAllServers } from './support/server-process.js';

const CASES: Record<string, string>[] = [
  { from: '2024-01-01', to: '2025-01-01', period: 'quarter' },
  { from: '2024-06-01', to: '2024-09-01', period: 'month', segment_by: 'segment' },
  { from: '2024-03-01', to: '2024-03-15', period: 'week', tz: 'Europe/Rome', value_event: 'report_created' },
  {
    from: '2024-01-01',
    to: '2024-07-01',
    period: 'month',
    as_of: '2024-05-15T12:00:00Z',
    segment_by: 'plan',
  },
];

let work: string;
let db: string;
const fromApi: unknown[] = [];

beforeAll(async () => {
  requireBuiltCli();
  work = await mkdtemp(join(tmpdir(), 'fidelio-report-api-'));
  db = join(work, 'demo.duckdb');
  expect(
    (await fidelio('demo', '--db', db, '--accounts', '300', '--seed', '7', '--end', '2025-06')).code,
  ).toBe(0);
  const key = await fidelio('key', 'create', '--db', db, '--workspace', 'default', '--scopes', 'read');
  expect(key.code).toBe(0);
  const server = await startServer(db);
  try {
    for (const query of CASES) {
      const answer = await fetch(`${server.url}/api/v1/report?${new URLSearchParams(query)}`, {
        headers: { authorization: `Bearer ${key.stdout.trim()}` },
      });
      expect(answer.status).toBe(200);
      fromApi.push(await answer.json());
    }
  } finally {
    process.kill(server.pid, 'SIGTERM');
    await server.exited;
  }
}, 120_000);

afterAll(async () => {
  await stopAllServers();
  await rm(work, { recursive: true, force: true });
});

describe('GET /api/v1/report', () => {
  it.each(CASES.map((query, i) => [JSON.stringify(query), i] as const))(
    'equals fidelio report for %s',
    async (_, i) => {
      const query = CASES[i]!;
      const flags = Object.entries(query).flatMap(([name, value]) => [
        `--${name.replaceAll('_', '-')}`,
        value,
      ]);
      const cli = await fidelio('report', '--db', db, ...flags);
      expect(cli.code).toBe(0);
      const report = JSON.parse(cli.stdout) as { rows: { kpis: Record<string, number | null> }[] };
      // Not two empty reports: the demo business has MRR in every range asked.
      expect(report.rows[0]!.kpis.mrr).toBeGreaterThan(0);
      expect(fromApi[i]).toEqual(report);
    },
  );
});
