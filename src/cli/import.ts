// `fidelio import DIR`: loads a CSV folder into the store, with a progress bar and a per-file summary.
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { type ImportProgress, type ImportSummary, importFolder } from '../ingest/csv-import.js';
import { DEFAULT_WORKSPACE } from '../tenancy/tenancy.js';
import { directOrThroughServer } from './server-channel.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

export function registerImport(program: Command): void {
  addWorkspaceOption(
    addDbOption(
      program
        .command('import')
        .description('Import a folder of CSV files (accounts.csv, mrr_changes.csv, …; see docs/import.md)')
        .argument('<dir>', 'the folder to import'),
    ),
  ).action(async (dir: string, options: { db?: string; workspace?: string }) => {
    const db = resolveDbPath(options.db);
    const summary = await directOrThroughServer(
      db,
      async () => {
        const store = await openWorkspaceStore(db, options.workspace);
        try {
          return await importFolder(store, dir, { onProgress: progressBar() });
        } finally {
          await store.close();
        }
      },
      // The server reads the folder itself: it runs on this machine, as this user.
      async (call) =>
        (await call('/api/local/import', {
          workspace: options.workspace ?? DEFAULT_WORKSPACE,
          dir: resolve(dir),
        })) as ImportSummary,
    );
    process.stdout.write(formatSummary(summary));
  });
}

/** A progress bar on a terminal; nothing when stderr is a pipe or file. */
export function progressBar(): ((p: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'importing [{bar}] {percentage}% | {phase} {file}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return (p) => {
    const payload = { phase: p.phase, file: p.file ?? '' };
    if (!started) {
      bar.start(Math.max(p.bytesTotal, 1), 0, payload);
      started = true;
    }
    bar.update(p.bytesDone, payload);
    if (p.phase === 'done') bar.stop();
  };
}

export function formatSummary(summary: ImportSummary): string {
  const width = Math.max(...summary.files.map((f) => f.file.length), 4);
  const n = (x: number) => x.toLocaleString('en-US').padStart(12);
  const lines = [
    `${'file'.padEnd(width)} ${'rows'.padStart(12)} ${'added'.padStart(12)} ${'replaced'.padStart(12)} ${'skipped'.padStart(12)}`,
  ];
  for (const f of summary.files) {
    lines.push(`${f.file.padEnd(width)} ${n(f.rows)} ${n(f.added)} ${n(f.replaced)} ${n(f.skipped)}`);
  }
  lines.push('skipped = already stored or repeated in the file (same id, or same whole row)');
  if (summary.ignored.length > 0) lines.push(`not read (not an import file): ${summary.ignored.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
