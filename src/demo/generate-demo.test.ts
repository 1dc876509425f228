import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../ingest/csv-import.js';
import { openDuckDbStore } from '../store/duckdb-store.js';
import { accountBlock } from './account-block.js';
import { demoContext } from './demo-context.js';
import { DEMO_FILES } from './demo-files.js';
import type { DemoSettings } from './demo-settings.js';
import { type DemoFolder, demoFolder } from './test-kit.js';

const SETTINGS: DemoSettings = { accounts: 600, seed: 1, endMonth: '2025-06' };
const folders: DemoFolder[] = [];

async function generated(settings: DemoSettings): Promise<DemoFolder> {
  const folder = await demoFolder(settings);
  folders.push(folder);
  return folder;
}

async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of DEMO_FILES) {
    out[file.name] = createHash('sha256')
      .update(await readFile(join(dir, file.name)))
      .digest('hex');
  }
  return out;
}

afterAll(async () => {
  await Promise.all(folders.map((f) => f.remove()));
});

describe('determinism', () => {
  it('writes byte-identical files for the same seed, accounts and end month', async () => {
    const a = await generated(SETTINGS);
    const b = await generated(SETTINGS);
    expect(await digests(b.dir)).toEqual(await digests(a.dir));
  });

  it('writes different data for another seed', async () => {
    const a = await digests((await generated(SETTINGS)).dir);
    const b = await digests((await generated({ ...SETTINGS, seed: 2 })).dir);
    for (const file of ['accounts.csv', 'mrr_changes.csv', 'responses.csv', 'usage.csv']) {
      expect(b[file]).not.toBe(a[file]);
    }
  });

  it('gives an account the same rows whichever block (or thread) generates it', () => {
    const ctx = demoContext(SETTINGS);
    const text = (from: number, to: number) =>
      accountBlock(ctx, from, to).bytes.map((b) => Buffer.from(b).toString());
    const first = text(0, 17);
    const rest = text(17, 40);
    expect(first.map((t, i) => t + rest[i])).toEqual(text(0, 40));
  });
});

describe('the generated folder', () => {
  let demo: DemoFolder;
  beforeAll(async () => {
    demo = await generated({ accounts: 2000, seed: 5, endMonth: '2025-06' });
  });

  it('imports into a fresh store without an issue, every row added once', async () => {
    const store = await openDuckDbStore(':memory:');
    try {
      const summary = await importFolder(store, demo.dir);
      expect(summary.ignored).toEqual([]);
      expect(summary.files.map((f) => f.file)).toEqual(DEMO_FILES.map((f) => f.name));
      for (const file of summary.files) {
        const rows = demo.summary.files.find((f) => f.file === file.file)!.rows;
        expect({ file: file.file, rows: file.rows, added: file.added }).toEqual({
          file: file.file,
          rows,
          added: rows,
        });
      }
      const attributes = await store.query<{ n: number }>(
        "SELECT count(*) AS n FROM account_attributes WHERE name = 'plan'",
      );
      expect(attributes[0]?.n).toBe(2000);
    } finally {
      await store.close();
    }
  });

  it('has the volume profile of the benchmark: ~10 MRR changes, 2 answers, 1 ticket, 50 events per account', () => {
    const perAccount = Object.fromEntries(demo.summary.files.map((f) => [f.file, f.rows / 2000]));
    expect(perAccount['mrr_changes.csv']).toBeGreaterThan(6);
    expect(perAccount['mrr_changes.csv']).toBeLessThan(12);
    expect(perAccount['responses.csv']).toBeGreaterThan(1.2);
    expect(perAccount['responses.csv']).toBeLessThan(3);
    expect(perAccount['tickets.csv']).toBeGreaterThan(0.6);
    expect(perAccount['tickets.csv']).toBeLessThan(1.5);
    expect(perAccount['usage.csv']).toBeGreaterThan(35);
    expect(perAccount['usage.csv']).toBeLessThan(70);
  });

  it('never repeats an id', async () => {
    const duplicates = await demo.query(`
      SELECT 'account' AS kind, account_id AS id FROM demo_accounts GROUP BY 2 HAVING count(*) > 1
      UNION ALL SELECT 'event', event_id FROM demo_mrr_changes GROUP BY 2 HAVING count(*) > 1
      UNION ALL SELECT 'payment', payment_id FROM demo_payments GROUP BY 2 HAVING count(*) > 1
      UNION ALL SELECT 'response', response_id FROM demo_responses GROUP BY 2 HAVING count(*) > 1
      UNION ALL SELECT 'ticket', ticket_id FROM demo_tickets GROUP BY 2 HAVING count(*) > 1`);
    expect(duplicates).toEqual([]);
  });

  it('keeps every event inside the 36 months; only contract ends and renewals may lie beyond', async () => {
    const outside = await demo.query(`
      WITH instants AS (
        SELECT created_at AS t FROM demo_accounts UNION ALL SELECT effective_at FROM demo_mrr_changes
        UNION ALL SELECT requested_at FROM demo_cancellations UNION ALL SELECT paid_at FROM demo_payments
        UNION ALL SELECT incurred_at FROM demo_costs UNION ALL SELECT submitted_at FROM demo_responses
        UNION ALL SELECT opened_at FROM demo_tickets UNION ALL SELECT resolved_at FROM demo_tickets
        UNION ALL SELECT occurred_at FROM demo_usage)
      SELECT t FROM instants WHERE t < TIMESTAMPTZ '2022-07-01 00:00:00Z' OR t >= TIMESTAMPTZ '2025-07-01 00:00:00Z'`);
    expect(outside).toEqual([]);
  });
});
