// The server's hold on one store file: the control schema, and per workspace a reading connection, a writing
// connection behind its commit queue, a data version and the report results computed at that version.
import { refreshHealthSnapshots } from '../ingest/health-snapshots.js';
import { DuckDbDatabase, type DuckDbOptions } from '../store/duckdb-store.js';
import type { Store } from '../store/store.js';
import { Tenancy, type Workspace } from '../tenancy/tenancy.js';
import { CommitQueue } from './commit-queue.js';

/** Quiet time after the last write before the monthly health snapshots are recomputed. */
const SNAPSHOT_DELAY_MS = 5000;
const CACHE_ENTRIES = 200;
/** Stale-while-revalidate results kept when the cache overflows (the most recently asked; each may be large). */
const KEPT_ENTRIES = 4;
/**
 * Least time from the end of one background recomputation of a stale-while-revalidate result to the start of
 * the next: under constant writes an answer lags the data by at most this plus one computation.
 */
export const REVALIDATE_INTERVAL_MS = 30_000;

/** A stale-while-revalidate answer: the value, when its computation started and whether data changed since. */
export interface Revalidated<T> {
  value: T;
  computedAt: Date;
  stale: boolean;
}

/** Told when a stale-while-revalidate computation starts; throwing fails it (tests count and fail them). */
export type RevalidateHook = (event: { workspace: string; key: string; background: boolean }) => void;

export interface RevalidateOptions {
  /** Told about a failed background recomputation; the last value is kept and served. */
  onError: (error: unknown) => void;
}

interface Settled {
  value: unknown;
  version: number;
  computedAt: Date;
}

/** A stale-while-revalidate entry: the last computed value, kept across writes, and its recomputation. */
interface Kept {
  /** the first computation, until it settles */
  first: Promise<Settled> | null;
  last: Settled | null;
  refreshing: boolean;
  timer: NodeJS.Timeout | null;
  /** when the last background computation ended (ms since the epoch) */
  endedAt: number;
  usedAt: number;
}

type Entry = { version: number; value: Promise<unknown>; kept?: undefined } | { kept: Kept };

export class WorkspaceRuntime {
  /** Grows with every commit; cached results of an older version are never served. */
  version = 0;
  private readonly cache = new Map<string, Entry>();
  /** Background recomputations in progress: closing waits for them. */
  private readonly refreshes = new Set<Promise<void>>();
  private uses = 0;
  private snapshotTimer: NodeJS.Timeout | null = null;
  /** The warm-up in progress: closing waits for it, so no query is cut off by the connection closing. */
  private warming: Promise<void> = Promise.resolve();
  private closing = false;
  readonly queue: CommitQueue;

  constructor(
    readonly workspace: Workspace,
    readonly reader: Store,
    private readonly writer: Store,
    private readonly warm: (runtime: WorkspaceRuntime) => Promise<void>,
    private readonly revalidation: { intervalMs: () => number; hook: RevalidateHook } = {
      intervalMs: () => REVALIDATE_INTERVAL_MS,
      hook: () => undefined,
    },
  ) {
    this.queue = new CommitQueue(writer, (touchesFacts) => this.committed(touchesFacts));
    this.warmUp();
  }

  /** Computes ahead what the first visitor will ask, in the background; a failure only costs speed. */
  private warmUp(): void {
    if (this.closing) return;
    this.warming = this.warming.then(() => this.warm(this)).catch(() => undefined);
  }

  /** The result of `compute` for `key` at the current data version, computed once per version. */
  cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && !hit.kept && hit.version === this.version) return hit.value as Promise<T>;
    this.makeRoom();
    const value = compute();
    const entry = { version: this.version, value };
    this.cache.set(key, entry);
    value.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    });
    return value;
  }

  /**
   * Stale-while-revalidate: the first request for `key` waits for `compute`; after a write the last value is
   * answered at once, marked stale, while one background computation (at most one per key at a time, started
   * at least `intervalMs` after the previous one ended) replaces it. A failed recomputation keeps the last
   * value (`onError` is told); a failed first computation is not kept. These entries share the cache's size
   * limit; when it overflows, the KEPT_ENTRIES most recently asked survive it.
   */
  async revalidating<T>(
    key: string,
    compute: () => Promise<T>,
    options: RevalidateOptions,
  ): Promise<Revalidated<T>> {
    let entry = this.cache.get(key)?.kept;
    if (!entry) {
      this.makeRoom();
      entry = { first: null, last: null, refreshing: false, timer: null, endedAt: 0, usedAt: 0 };
      const kept = entry;
      this.cache.set(key, { kept });
      kept.first = this.computeSettled(key, compute, false).then(
        (settled) => {
          kept.first = null;
          kept.last = settled;
          return settled;
        },
        (error: unknown) => {
          if (this.cache.get(key)?.kept === kept) this.cache.delete(key);
          throw error;
        },
      );
    }
    entry.usedAt = ++this.uses;
    const last = entry.last ?? (await entry.first!);
    const stale = last.version !== this.version;
    if (stale) this.refresh(key, entry, compute, options);
    return { value: last.value as T, computedAt: last.computedAt, stale };
  }

  private async computeSettled<T>(
    key: string,
    compute: () => Promise<T>,
    background: boolean,
  ): Promise<Settled> {
    const version = this.version;
    const computedAt = new Date();
    this.revalidation.hook({ workspace: this.workspace.id, key, background });
    return { value: await compute(), version, computedAt };
  }

  /** Starts (or schedules) the one background recomputation of a stale entry, unless one is under way. */
  private refresh<T>(key: string, entry: Kept, compute: () => Promise<T>, options: RevalidateOptions): void {
    if (entry.refreshing || entry.timer || this.closing) return;
    const wait = entry.endedAt + this.revalidation.intervalMs() - Date.now();
    if (wait > 0) {
      entry.timer = setTimeout(() => {
        entry.timer = null;
        if (this.cache.get(key)?.kept === entry && entry.last?.version !== this.version) {
          this.refresh(key, entry, compute, options);
        }
      }, wait);
      entry.timer.unref();
      return;
    }
    entry.refreshing = true;
    const run = (async () => {
      try {
        entry.last = await this.computeSettled(key, compute, true);
      } catch (error) {
        options.onError(error);
      } finally {
        entry.refreshing = false;
        entry.endedAt = Date.now();
      }
    })();
    this.refreshes.add(run);
    void run.finally(() => this.refreshes.delete(run));
  }

  /** At the size limit: drops every entry but the KEPT_ENTRIES stale-while-revalidate ones asked for last. */
  private makeRoom(): void {
    if (this.cache.size < CACHE_ENTRIES) return;
    const kept = [...this.cache]
      .filter((e): e is [string, { kept: Kept }] => e[1].kept !== undefined)
      .sort((x, y) => y[1].kept.usedAt - x[1].kept.usedAt);
    for (const [, { kept: dropped }] of kept.slice(KEPT_ENTRIES)) {
      if (dropped.timer) clearTimeout(dropped.timer);
      dropped.timer = null;
    }
    this.cache.clear();
    for (const [key, value] of kept.slice(0, KEPT_ENTRIES)) this.cache.set(key, value);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    for (const entry of this.cache.values()) {
      if (entry.kept?.timer) clearTimeout(entry.kept.timer);
    }
    await this.queue.drain();
    await this.warming;
    await Promise.all(this.refreshes);
    await this.reader.close();
    await this.writer.close();
  }

  private committed(touchesFacts: boolean): void {
    this.version += 1;
    if (!touchesFacts) return;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      // Live writes drop the snapshots (reports then compute health from the facts); once writes pause,
      // they are rebuilt so monthly reports are fast again. A failure here only costs speed.
      this.queue
        .submitJob((store) => refreshHealthSnapshots(store))
        .then(() => this.warmUp())
        .catch(() => undefined);
    }, SNAPSHOT_DELAY_MS);
    this.snapshotTimer.unref();
  }
}

export class WorkspaceHub {
  private readonly runtimes = new Map<string, Promise<WorkspaceRuntime>>();

  /** Runs for each workspace when it opens and once its writes settle (the server warms its reports here). */
  warm: (runtime: WorkspaceRuntime) => Promise<void> = async () => undefined;

  /** Least time between background recomputations of one stale-while-revalidate result (tests shorten it). */
  revalidateIntervalMs = REVALIDATE_INTERVAL_MS;

  /** Told as each stale-while-revalidate computation starts (tests count them, or fail one by throwing). */
  onRevalidate: RevalidateHook = () => undefined;

  private constructor(
    readonly database: DuckDbDatabase,
    readonly tenancy: Tenancy,
  ) {}

  static async open(path: string, options: DuckDbOptions = {}): Promise<WorkspaceHub> {
    const database = await DuckDbDatabase.open(path, options);
    const tenancy = new Tenancy(await database.controlStore());
    return new WorkspaceHub(database, tenancy);
  }

  runtime(workspace: Workspace): Promise<WorkspaceRuntime> {
    let runtime = this.runtimes.get(workspace.id);
    if (!runtime) {
      runtime = (async () => {
        const writer = await this.database.workspaceStore(workspace.schema);
        const reader = await this.database.workspaceStore(workspace.schema);
        return new WorkspaceRuntime(workspace, reader, writer, (r) => this.warm(r), {
          intervalMs: () => this.revalidateIntervalMs,
          hook: (event) => this.onRevalidate(event),
        });
      })();
      runtime.catch(() => this.runtimes.delete(workspace.id));
      this.runtimes.set(workspace.id, runtime);
    }
    return runtime;
  }

  /** Lets every queued write commit, then closes the file. */
  async close(): Promise<void> {
    for (const runtime of this.runtimes.values()) await (await runtime).close();
    this.runtimes.clear();
    await this.database.close();
  }
}
