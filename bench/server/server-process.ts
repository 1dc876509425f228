// Starts a server under test as a child process, so the load generator and the server never share an event
// loop; reads the one-line JSON it prints when ready and when closed, and its CPU time from /proc.
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { progress } from '../log.js';

export interface ServerProcess<Ready, Closed> {
  pid: number;
  ready: Ready;
  /** CPU seconds (user + system) the process has used so far, or null without /proc. */
  cpuSeconds(): Promise<number | null>;
  /** SIGTERM, then the payload the process printed once it closed cleanly. */
  stop(): Promise<Closed>;
}

/** How long a server may take to exit after it printed that it closed. */
const EXIT_GRACE_MS = 60_000;

/** Anything odd the server processes did (saved with the results). */
export const serverNotes: string[] = [];

const delay = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(resolve, ms, value).unref());

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * Runs `node [nodeFlags] script args…` and waits for its `{"ready": …}` line.
 * @example const server = await startServerProcess<{ url: string }, object>(benchScript('server/bare-server.js'), []);
 */
export async function startServerProcess<Ready, Closed>(
  script: string,
  args: readonly string[],
  nodeFlags: readonly string[] = [],
): Promise<ServerProcess<Ready, Closed>> {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const lines = createInterface({ input: child.stdout! });
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  lines.on('line', (line) => {
    if (!line.startsWith('{')) return;
    messages.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      done = true;
      for (const wake of waiters.splice(0)) wake();
      resolve(code);
    }),
  );

  const message = async (key: string): Promise<unknown> => {
    for (;;) {
      const found = messages.find((m) => key in m);
      if (found) return found[key];
      if (done) throw new Error(`${script} exited before "${key}":\n${tail(stderr)}`);
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };

  const ready = (await message('ready')) as Ready;
  const pid = child.pid!;
  return {
    pid,
    ready,
    cpuSeconds: () => cpuSecondsOf(pid),
    stop: async () => {
      child.kill('SIGTERM');
      const closed = (await message('closed')) as Closed;
      const code = await Promise.race([exited, delay(EXIT_GRACE_MS, 'hung' as const)]);
      if (code === 'hung') {
        // The server closed (every write committed, the store closed) but the process does not end: note it,
        // and end it so the run goes on.
        const note = `${script.split('/').at(-1)} (PID ${pid}) closed but had not exited ${EXIT_GRACE_MS / 1000} s later; killed`;
        progress(`  ${note}`);
        serverNotes.push(note);
        child.kill('SIGKILL');
        await exited;
        return closed;
      }
      if (code !== 0) throw new Error(`${script} exited with ${code}:\n${tail(stderr)}`);
      return closed;
    },
  };
}

/** utime + stime of a process, from /proc/<pid>/stat. */
async function cpuSecondsOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has spent busy (not idle, not waiting for I/O), from /proc/stat. */
export async function machineBusySeconds(): Promise<number | null> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    // user nice system idle iowait irq softirq steal …
    return (total - ticks[3]! - ticks[4]!) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

const tail = (chunks: string[]) => chunks.join('').trim().split('\n').slice(-20).join('\n');
