// Writes a demo import folder: the nine CSV files of KPI-SPEC §2 and contacts.csv, streamed block by block.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from './account-block.js';
import { accountBlocks, defaultWorkers } from './account-blocks.js';
import { campaignCosts } from './campaign-costs.js';
import { demoContext } from './demo-context.js';
import { DEMO_FILES, type DemoFileName } from './demo-files.js';
import type { DemoSettings } from './demo-settings.js';
import { employeePulse } from './employee-pulse.js';
import { FileSink } from './file-sink.js';

export interface DemoOptions {
  /** Worker threads (0 = this thread); by default one per core for big runs. */
  workers?: number | undefined;
  onProgress?: ((accountsDone: number, accounts: number) => void) | undefined;
}

export interface DemoSummary {
  accounts: number;
  files: { file: DemoFileName; rows: number }[];
}

/**
 * Generates the demo data into `dir` (created if needed; the files must not exist yet).
 * @example await writeDemoFolder('./demo', { accounts: 5000, seed: 1, endMonth: '2025-06' });
 */
export async function writeDemoFolder(
  dir: string,
  settings: DemoSettings,
  options: DemoOptions = {},
): Promise<DemoSummary> {
  const ctx = demoContext(settings);
  mkdirSync(dir, { recursive: true });
  const sinks: FileSink[] = [];
  const rows = DEMO_FILES.map(() => 0);
  try {
    for (const file of DEMO_FILES) {
      const sink = new FileSink(join(dir, file.name));
      sinks.push(sink);
      sink.write(`${file.header}\n`);
    }
    const write = (block: Block) => {
      for (const [i, bytes] of block.bytes.entries()) {
        sinks[i]!.write(bytes);
        rows[i]! += block.rows[i]!;
      }
    };
    let done = 0;
    for await (const block of accountBlocks(ctx, options.workers ?? defaultWorkers(settings.accounts))) {
      write(block);
      done += block.rows[0]!;
      options.onProgress?.(done, settings.accounts);
    }
    for (const extra of [campaignCosts(ctx), employeePulse(ctx)])
      write({ bytes: extra.bytes(), rows: extra.rows });
  } finally {
    for (const sink of sinks) sink.close();
  }
  return { accounts: settings.accounts, files: DEMO_FILES.map((f, i) => ({ file: f.name, rows: rows[i]! })) };
}
