// The server the dashboard benchmark logs in to: a copy of the cached demo store (so the cache stays pristine)
// with one owner added by the CLI, served by the built `fidelio serve` as a child process, stopped by its PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { progress } from '../log.js';
import { CLI } from '../paths.js';

export interface DashboardServer {
  pid: number;
  url: string;
  /** Milliseconds from spawning `fidelio serve` to its printed URL. */
  startMs: number;
  /** SIGTERM (SIGKILL after 60 s), then the copy of the store is removed. */
  stop(): Promise<void>;
}

/** Copies `store` (and its WAL, if any) into a new temporary folder. */
export async function copyStore(store: string): Promise<{ db: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'fidelio-bench-dashboard-'));
  const db = join(dir, 'store.duckdb');
  const started = performance.now();
  await copyFile(store, db);
  if (existsSync(`${store}.wal`)) await copyFile(`${store}.wal`, `${db}.wal`);
  progress(`dashboard: copied ${store} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { db, dir };
}

/** `fidelio user add --role owner --password-stdin` on the store, before any server opens it. */
export function addOwner(db: string, email: string, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = [CLI, 'user', 'add', '--db', db, '--workspace', 'default', '--email', email];
    const child = spawn(process.execPath, [...args, '--role', 'owner', '--password-stdin'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`fidelio user add exited with ${code}: ${stderr}`)),
    );
    child.stdin.end(password);
  });
}

/** Starts `fidelio serve --db <db> --port 0 --no-demo` and waits for the URL it prints. */
export async function startServe(db: string, dir: string): Promise<DashboardServer> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--no-demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 300 s:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const found = / at (http:\/\/\S+)/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`fidelio serve ended before serving:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopChild(child, exited);
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const startMs = performance.now() - started;
  progress(`dashboard: serving at ${url} (PID ${child.pid}, ready in ${(startMs / 1000).toFixed(1)} s)`);
  return {
    pid: child.pid!,
    url,
    startMs,
    stop: async () => {
      await stopChild(child, exited);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
  }, 60_000);
  await exited;
  clearTimeout(timer);
}
