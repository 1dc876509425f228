// The health snapshots import keeps give the same numbers as health computed from the facts (the reference).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoFolder } from '../src/demo/generate-demo.js';
import { calendarPeriods } from '../src/domain/time.js';
import { importFolder } from '../src/ingest/csv-import.js';
import { DEFAULT_CONFIG, type KpiConfig } from '../src/kpi/config.js';
import { healthSource } from '../src/kpi/health.js';
import type { QueryContext } from '../src/kpi/query-context.js';
import { resolveSegmentBy } from '../src/kpi/segments.js';
import { heldHealthSnapshots } from '../src/kpi/store-facts.js';
import { openDuckDbStore } from '../src/store/duckdb-store.js';
import type { Store } from '../src/store/store.js';

let store: Store;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fidelio-health-'));
  await writeDemoFolder(dir, { accounts: 300, seed: 5, endMonth: '2025-06' }, { workers: 0 });
  store = await openDuckDbStore(':memory:');
  await importFolder(store, dir);
}, 60_000);
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function healthRows(snapshots: boolean, config: KpiConfig = DEFAULT_CONFIG) {
  const ctx: QueryContext = {
    periods: calendarPeriods(new Date('2023-07-01'), new Date('2025-07-01'), 'month'),
    periodKind: 'month',
    segmentBy: await resolveSegmentBy(store, 'segment'),
    asOf: new Date('2025-07-01'),
    config,
    dialect: store.dialect,
    healthSnapshots: snapshots ? await heldHealthSnapshots(store) : null,
  };
  const sql = healthSource.sql(ctx)!;
  expect(sql.includes('health_snapshots')).toBe(snapshots);
  return store.query(`${sql} ORDER BY 1, 2 NULLS FIRST`);
}

describe('health snapshots', () => {
  it('cover every month start up to the one after the data', async () => {
    expect((await heldHealthSnapshots(store))?.last.toISOString()).toBe('2025-07-01T00:00:00.000Z');
  });

  it('give the numbers of the computation from the facts, for every month and segment', async () => {
    const live = await healthRows(false);
    expect(live.length).toBeGreaterThan(24);
    expect(await healthRows(true)).toEqual(live);
  });

  it('serve other weights and bands too, since they apply at report time', async () => {
    const config = {
      ...DEFAULT_CONFIG,
      health: { ...DEFAULT_CONFIG.health, weights: { ...DEFAULT_CONFIG.health.weights, satisfaction: 0.9 } },
    };
    expect(await healthRows(true, config)).toEqual(await healthRows(false, config));
  });
});
