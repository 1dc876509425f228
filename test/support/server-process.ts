// Test helper: the built `fidelio serve` as a real process on a store file, its URL read from its output,
// stopped by its PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { expect } from 'vitest';
import { MAIN } from './cli.js';

export interface ServerProcess {
  pid: number;
  url: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves when the process has ended. */
  exited: Promise<Exit>;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };
/** The servers started here that have not ended yet, with the promise of their end. */
const running = new Map<ChildProcess, Promise<Exit>>();

/** Starts `fidelio serve --db <db> --port 0 --no-demo` and waits until it prints its URL. */
export function startServer(db: string, timeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--db', db, '--port', '0', '--no-demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  running.set(child, exited);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopByPid(child);
      reject(new Error(`the server did not print its URL within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = / at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ pid: child.pid!, url, child, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server ended (code ${code}, signal ${signal}) before serving:\n${output}`));
    });
  });
}

/** Sends SIGKILL to a child this helper started, by its PID, if it still runs. */
function stopByPid(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, 'SIGKILL');
  }
}

/** For afterAll: no server started here outlives the tests. */
export async function stopAllServers(): Promise<void> {
  const left = [...running];
  for (const [child] of left) stopByPid(child);
  await Promise.all(left.map(([, exited]) => exited));
}

/** GETs `path` from the server with the API key and expects a 200 with JSON. */
export async function getJson<T>(server: ServerProcess, key: string, path: string): Promise<T> {
  const answer = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(answer.status, path).toBe(200);
  return (await answer.json()) as T;
}
