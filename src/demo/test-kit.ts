// Test helpers of the demo generator: a generated folder in the OS temp dir, queried with SQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbStore } from '../store/duckdb-store.js';
import { type Row, type Store, sqlString } from '../store/store.js';
import { DEMO_FILES } from './demo-files.js';
import type { DemoSettings } from './demo-settings.js';
import { type DemoSummary, writeDemoFolder } from './generate-demo.js';

export interface DemoFolder {
  dir: string;
  summary: DemoSummary;
  /** Runs SQL over views of the files (demo_accounts, demo_mrr_changes, …, demo_usage), read from the CSV. */
  query<T extends Row = Row>(sql: string): Promise<T[]>;
  remove(): Promise<void>;
}

/**
 * @example const demo = await demoFolder({ accounts: 500, seed: 1, endMonth: '2025-06' });
 */
export async function demoFolder(settings: DemoSettings): Promise<DemoFolder> {
  const dir = await mkdtemp(join(tmpdir(), 'fidelio-demo-test-'));
  const summary = await writeDemoFolder(dir, settings, { workers: 0 });
  let store: Store | undefined;
  const open = async () => {
    if (store) return store;
    store = await openDuckDbStore(':memory:');
    for (const file of DEMO_FILES) {
      // demo_ prefix: the store has tables of the same names.
      await store.run(
        `CREATE TEMP VIEW demo_${file.name.replace('.csv', '')} AS
         SELECT * FROM read_csv(${sqlString(join(dir, file.name))}, header = true, sample_size = -1)`,
      );
    }
    return store;
  };
  return {
    dir,
    summary,
    query: async <T extends Row = Row>(sql: string) => (await open()).query<T>(sql),
    remove: async () => {
      await store?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
