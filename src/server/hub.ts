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

export class WorkspaceRuntime {
  /** Grows with every commit; cached results of an older version are never served. */
  version = 0;
  private readonly cache = new Map<string, { version: number; value: Promise<unknown> }>();
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
    if (hit && hit.version === this.version) return hit.value as Promise<T>;
    if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    const value = compute();
    this.cache.set(key, { version: this.version, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    await this.queue.drain();
    await this.warming;
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
        return new WorkspaceRuntime(workspace, reader, writer, (r) => this.warm(r));
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
