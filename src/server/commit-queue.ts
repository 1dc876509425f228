// One writer per workspace: live rows that arrive while a commit runs are grouped into the next commit, so a
// request is answered only once its rows are on disk and throughput grows with load. Other writes (a Stripe
// event, an import, a snapshot refresh) run alone, in arrival order.
import { type LiveOutcome, type LiveRequest, storeLiveBatch } from '../ingest/live-batch.js';
import type { Store } from '../store/store.js';
import { HttpProblem } from './problem.js';

/** Rows per commit: large enough to carry the load, small enough to keep each commit's latency low. */
const MAX_BATCH_ROWS = 5000;

type Item =
  | { kind: 'rows'; request: LiveRequest; resolve: (o: LiveOutcome) => void; reject: (e: unknown) => void }
  | {
      kind: 'job';
      run: (store: Store) => Promise<unknown>;
      touchesFacts: boolean;
      changed: (result: unknown) => boolean;
      resolve: (v: unknown) => void;
      reject: (e: unknown) => void;
    };

export class CommitQueue {
  private readonly pending: Item[] = [];
  private running: Promise<void> | null = null;
  private closed = false;

  /**
   * `onCommit` runs after every commit that may have changed data (for caches and data versions);
   * `touchesFacts` is false for writes that change no KPI input (survey bookkeeping, settings).
   */
  constructor(
    private readonly store: Store,
    private readonly onCommit: (touchesFacts: boolean) => void,
  ) {}

  submitRows(request: LiveRequest): Promise<LiveOutcome> {
    return new Promise((resolve, reject) => this.push({ kind: 'rows', request, resolve, reject }));
  }

  /**
   * Runs `work` alone, in one transaction, after everything submitted before it. Say `touchesFacts: false`
   * when it changes no table a KPI reads, so health snapshots are not rebuilt for it, and give `changed` when
   * the result tells whether anything was written (an idle scheduler round then leaves caches alone).
   */
  submitJob<T>(
    work: (store: Store) => Promise<T>,
    options: { touchesFacts?: boolean; changed?: (result: T) => boolean } = {},
  ): Promise<T> {
    const touchesFacts = options.touchesFacts ?? true;
    const changed = (options.changed ?? (() => true)) as (result: unknown) => boolean;
    return new Promise<T>((resolve, reject) =>
      this.push({
        kind: 'job',
        run: work,
        touchesFacts,
        changed,
        resolve: resolve as (v: unknown) => void,
        reject,
      }),
    );
  }

  /** Refuses new writes and waits for the submitted ones to commit. */
  async drain(): Promise<void> {
    this.closed = true;
    while (this.running) await this.running;
  }

  private push(item: Item): void {
    if (this.closed) {
      item.reject(
        new HttpProblem(503, 'shutting_down', 'the server is shutting down; retry shortly', [], {
          'retry-after': '1',
        }),
      );
      return;
    }
    this.pending.push(item);
    this.running ??= this.work();
  }

  /**
   * Commits until nothing is pending. `running` is cleared in the same step as the last look at `pending`, so an
   * item pushed at any moment either is seen by this loop or starts the next one.
   */
  private async work(): Promise<void> {
    try {
      while (this.pending.length > 0) await this.commitNext();
    } finally {
      this.running = null;
    }
  }

  /** Commits the next job alone, or the next live rows together. */
  private async commitNext(): Promise<void> {
    const first = this.pending[0]!;
    if (first.kind === 'job') {
      this.pending.shift();
      await this.settle(
        [first],
        () => this.store.transaction(() => first.run(this.store)),
        (item, v) => item.resolve(v as never),
        first.touchesFacts,
        first.changed,
      );
      return;
    }
    const batch: Extract<Item, { kind: 'rows' }>[] = [];
    let rows = 0;
    while (this.pending[0]?.kind === 'rows' && (batch.length === 0 || rows < MAX_BATCH_ROWS)) {
      const item = this.pending.shift() as Extract<Item, { kind: 'rows' }>;
      batch.push(item);
      rows += item.request.rows.length;
    }
    await this.settle(
      batch,
      () =>
        this.store.transaction(() =>
          storeLiveBatch(
            this.store,
            batch.map((b) => b.request),
            new Date(),
          ),
        ),
      (item, outcomes, i) => item.resolve((outcomes as LiveOutcome[])[i]!),
      true,
      () => true,
    );
  }

  private async settle<I extends Item, R>(
    items: I[],
    commit: () => Promise<R>,
    deliver: (item: I, result: R, index: number) => void,
    touchesFacts: boolean,
    changed: (result: R) => boolean,
  ): Promise<void> {
    let result: R;
    try {
      result = await commit();
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    if (changed(result)) this.onCommit(touchesFacts);
    for (const [i, item] of items.entries()) deliver(item, result, i);
  }
}
