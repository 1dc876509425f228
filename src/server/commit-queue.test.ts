// The commit queue never strands a write: one submitted at any moment after the previous one finished still runs.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import { CommitQueue } from './commit-queue.js';

let store: DuckDbStore;
beforeAll(async () => {
  store = await openDuckDbStore(':memory:');
});
afterAll(() => store.close());

const microtasks = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

/** `promise`, or a rejection naming `what` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still waits after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

test('a job submitted 0–20 microtasks after the previous one resolved is committed', async () => {
  const queue = new CommitQueue(store, () => undefined);
  for (let delay = 0; delay <= 20; delay++) {
    await queue.submitJob(async () => delay);
    await microtasks(delay);
    expect(
      await within(
        queue.submitJob(async () => delay + 100),
        2000,
        `the job after ${delay} microtasks`,
      ),
    ).toBe(delay + 100);
  }
});

test('a job whose result says nothing changed does not count as a commit', async () => {
  let commits = 0;
  const queue = new CommitQueue(store, () => {
    commits += 1;
  });
  await queue.submitJob(async () => 0, { changed: (n) => n > 0 });
  expect(commits).toBe(0);
  await queue.submitJob(async () => 2, { changed: (n) => n > 0 });
  expect(commits).toBe(1);
});
