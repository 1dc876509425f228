// Worker-thread entry: generates the account blocks it is sent and returns their text as UTF-8 bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { accountBlock, type Block } from './account-block.js';
import { demoContext } from './demo-context.js';
import type { DemoSettings } from './demo-settings.js';

export interface BlockRequest {
  id: number;
  from: number;
  to: number;
}

export interface BlockReply extends Block {
  id: number;
}

const port = parentPort;
if (port) {
  const ctx = demoContext(workerData as DemoSettings);
  port.on('message', ({ id, from, to }: BlockRequest) => {
    const reply: BlockReply = { id, ...accountBlock(ctx, from, to) };
    // Each file's bytes own their memory: transferring them copies nothing.
    port.postMessage(
      reply,
      reply.bytes.map((b) => b.buffer as ArrayBuffer),
    );
  });
}
