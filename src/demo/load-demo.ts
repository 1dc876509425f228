// Fills a store with demo data: generated into a temporary folder, then loaded through the normal import.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImportOptions, type ImportSummary, importFolder } from '../ingest/csv-import.js';
import type { Store } from '../store/store.js';
import type { DemoSettings } from './demo-settings.js';
import { writeDemoFolder } from './generate-demo.js';

export interface LoadDemoOptions {
  workers?: number | undefined;
  onGenerated?: ((done: number, total: number) => void) | undefined;
  onImport?: ImportOptions['onProgress'];
}

export async function loadDemoData(
  store: Store,
  settings: DemoSettings,
  options: LoadDemoOptions = {},
): Promise<ImportSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'fidelio-demo-'));
  try {
    await writeDemoFolder(dir, settings, { workers: options.workers, onProgress: options.onGenerated });
    return await importFolder(store, dir, { onProgress: options.onImport });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
