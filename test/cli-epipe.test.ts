// A reader that stops early (`fidelio report … | head`) closes the pipe: the command ends quietly with 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { fidelio, MAIN, requireBuiltCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fidelio-epipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('closing standard output after the first chunk is not an error', async () => {
  requireBuiltCli();
  const db = join(dir, 'demo.duckdb');
  expect((await fidelio('demo', '--db', db, '--accounts', '200')).code).toBe(0);
  const child = spawn(
    process.execPath,
    [MAIN, 'report', '--db', db, '--from', '2024-01-01', '--to', '2026-01-01', '--period', 'day'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
});
