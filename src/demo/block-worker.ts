// Worker-thread entry: generates the account blocks it is sent and returns their text as UTF-8 bytes.
import { parentPort, workerData } from 'node:worker_threads';
import { accountBlock } from './account-block.js';
import { demoContext } from './demo-context.js';
import type { DemoSettings } from './demo-settings.js';

export interface BlockRequest {
  id: number;
  from: number;
  to: number;
}

export interface BlockReply {
  id: number;
  bytes: Uint8Array[];
  rows: number[];
}

const port = parentPort;
if (port) {
  const ctx = demoContext(workerData as DemoSettings);
  port.on('message', ({ id, from, to }: BlockRequest) => {
    const out = accountBlock(ctx, from, to);
    const bytes = out.bytes();
    const reply: BlockReply = { id, bytes, rows: out.rows };
    port.postMessage(
      reply,
      bytes.map((b) => b.buffer as ArrayBuffer),
    );
  });
}
