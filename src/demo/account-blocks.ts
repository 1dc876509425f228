// Produces the account blocks of a run in order, in this thread or spread over worker threads.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { accountBlock, type Block } from './account-block.js';
import type { BlockReply, BlockRequest } from './block-worker.js';
import type { DemoContext } from './demo-context.js';

/** Accounts per block: a few megabytes of text, small enough to keep memory flat. */
export const BLOCK_ACCOUNTS = 1000;
/** Blocks each worker may have queued or finished ahead of the writer. */
const AHEAD_PER_WORKER = 2;
const WORKER_URL = new URL('./block-worker.js', import.meta.url);

/**
 * Worker threads to use by default: one per core for big runs. None when running from TypeScript
 * sources (under vitest), which a worker thread cannot load.
 */
export function defaultWorkers(accounts: number): number {
  if (!WORKER_URL.pathname.endsWith('.js') || accounts < 20 * BLOCK_ACCOUNTS) return 0;
  return availableParallelism();
}

export function accountBlocks(ctx: DemoContext, workers: number): AsyncGenerator<Block> {
  return workers > 0 ? threadedBlocks(ctx, workers) : inlineBlocks(ctx);
}

async function* inlineBlocks(ctx: DemoContext): AsyncGenerator<Block> {
  for (const { from, to } of ranges(ctx.settings.accounts)) yield accountBlock(ctx, from, to);
}

async function* threadedBlocks(ctx: DemoContext, count: number): AsyncGenerator<Block> {
  const blocks = ranges(ctx.settings.accounts);
  const workers = Array.from({ length: count }, () => new Worker(WORKER_URL, { workerData: ctx.settings }));
  const waiting = new Map<number, { resolve: (reply: BlockReply) => void; reject: (e: unknown) => void }>();
  const replies = new Map<number, Promise<BlockReply>>();
  for (const worker of workers) {
    worker.on('message', (reply: BlockReply) => waiting.get(reply.id)?.resolve(reply));
    worker.on('error', (error) => {
      for (const w of waiting.values()) w.reject(error);
    });
  }
  const send = (id: number) => {
    if (id >= blocks.length) return;
    const reply = new Promise<BlockReply>((resolve, reject) => waiting.set(id, { resolve, reject }));
    // A failure is reported when its block is awaited, not as an unhandled rejection before that.
    reply.catch(() => {});
    replies.set(id, reply);
    const request: BlockRequest = { id, ...blocks[id]! };
    workers[id % count]!.postMessage(request);
  };
  try {
    for (let id = 0; id < count * AHEAD_PER_WORKER; id++) send(id);
    for (let id = 0; id < blocks.length; id++) {
      const reply = await replies.get(id)!;
      waiting.delete(id);
      replies.delete(id);
      send(id + count * AHEAD_PER_WORKER);
      yield reply;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function ranges(accounts: number): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (let from = 0; from < accounts; from += BLOCK_ACCOUNTS) {
    out.push({ from, to: Math.min(accounts, from + BLOCK_ACCOUNTS) });
  }
  return out;
}
