// The workspace runtime's result cache: `cached` recomputes once per data version; `revalidating` answers the
// last value (stale) after a write while one background computation replaces it, no sooner than the interval
// after the previous one, keeps it when a recomputation fails, and survives the cache's overflow.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { WorkspaceRuntime } from './hub.js';

let store: DuckDbStore;
let runtime: WorkspaceRuntime;
let interval = 0;
let started: { key: string; background: boolean }[] = [];
let failNext = false;

beforeEach(async () => {
  store = await openDuckDbStore(':memory:');
  started = [];
  failNext = false;
  interval = 0;
  const workspace = { id: 'w', name: 'w', schema: 'main', isDemo: false };
  runtime = new WorkspaceRuntime(workspace, store, store, async () => undefined, {
    intervalMs: () => interval,
    hook: ({ key, background }) => {
      started.push({ key, background });
      if (failNext) {
        failNext = false;
        throw new Error('recomputation failed');
      }
    },
  });
});
afterEach(async () => {
  await runtime.close();
});

/** A commit that changes nothing a report reads, as far as the snapshots go: it moves the data version. */
const write = () => runtime.queue.submitJob(async () => undefined, { touchesFacts: false });

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const noError = (error: unknown) => {
  throw error;
};

test('cached computes once per data version', async () => {
  let n = 0;
  const compute = async () => ++n;
  expect(await runtime.cached('k', compute)).toBe(1);
  expect(await runtime.cached('k', compute)).toBe(1);
  await write();
  expect(await runtime.cached('k', compute)).toBe(2);
});

test('revalidating: the first request waits, a write makes the next answer stale at once, then fresh', async () => {
  let n = 0;
  const compute = async () => ++n;
  const first = await runtime.revalidating('r', compute, { onError: noError });
  expect([first.value, first.stale]).toEqual([1, false]);
  expect((await runtime.revalidating('r', compute, { onError: noError })).value).toBe(1);
  expect(started).toEqual([{ key: 'r', background: false }]);
  await write();
  const stale = await runtime.revalidating('r', compute, { onError: noError });
  expect([stale.value, stale.stale, stale.computedAt]).toEqual([1, true, first.computedAt]);
  await until(() => n === 2);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const fresh = await runtime.revalidating('r', compute, { onError: noError });
  expect([fresh.value, fresh.stale]).toEqual([2, false]);
  expect(fresh.computedAt.getTime()).toBeGreaterThanOrEqual(first.computedAt.getTime());
  expect(started).toEqual([
    { key: 'r', background: false },
    { key: 'r', background: true },
  ]);
});

test('concurrent requests share one computation, first and background', async () => {
  let n = 0;
  let release: () => void = () => undefined;
  const compute = () =>
    new Promise<number>((resolve) => {
      n += 1;
      const value = n;
      release = () => resolve(value);
    });
  const asked = Array.from({ length: 5 }, () => runtime.revalidating('c', compute, { onError: noError }));
  await until(() => n === 1);
  release();
  expect((await Promise.all(asked)).map((a) => a.value)).toEqual([1, 1, 1, 1, 1]);
  await write();
  const again = await Promise.all(
    Array.from({ length: 5 }, () => runtime.revalidating('c', compute, { onError: noError })),
  );
  expect(again.every((a) => a.value === 1 && a.stale)).toBe(true);
  await until(() => n === 2);
  await runtime.revalidating('c', compute, { onError: noError });
  expect(n).toBe(2);
  release();
  await until(() => started.length === 2);
  expect(started.filter((s) => s.background)).toHaveLength(1);
});

test('no background computation sooner than the interval after the previous one ended', async () => {
  interval = 300;
  let n = 0;
  const compute = async () => ++n;
  await runtime.revalidating('i', compute, { onError: noError });
  await write();
  await runtime.revalidating('i', compute, { onError: noError });
  await until(() => n === 2);
  const ended = Date.now();
  await write();
  const stale = await runtime.revalidating('i', compute, { onError: noError });
  expect([stale.value, stale.stale]).toEqual([2, true]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(n).toBe(2);
  // Scheduled for the end of the interval, without another request.
  await until(() => n === 3);
  expect(Date.now() - ended).toBeGreaterThanOrEqual(250);
});

test('a failed recomputation keeps the last value and is reported; a failed first one is not kept', async () => {
  let n = 0;
  const compute = async () => ++n;
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  await runtime.revalidating('f', compute, { onError });
  await write();
  failNext = true;
  const stale = await runtime.revalidating('f', compute, { onError });
  expect([stale.value, stale.stale]).toEqual([1, true]);
  await until(() => errors.length === 1);
  expect(String(errors[0])).toContain('recomputation failed');
  const still = await runtime.revalidating('f', compute, { onError });
  expect([still.value, still.stale]).toEqual([1, true]);
  failNext = true;
  await expect(runtime.revalidating('g', compute, { onError })).rejects.toThrow('recomputation failed');
  expect((await runtime.revalidating('g', compute, { onError })).stale).toBe(false);
});

test('a stale-while-revalidate entry survives the cache overflowing; others are cleared as before', async () => {
  let n = 0;
  await runtime.revalidating('kept', async () => ++n, { onError: noError });
  let computed = 0;
  for (let i = 0; i < 250; i++) await runtime.cached(`k${i}`, async () => ++computed);
  expect(computed).toBe(250);
  await runtime.cached('k0', async () => ++computed);
  expect(computed).toBe(251);
  const kept = await runtime.revalidating('kept', async () => ++n, { onError: noError });
  expect([kept.value, n]).toEqual([1, 1]);
});
