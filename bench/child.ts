// Runs a child process to completion, timing its wall clock and measuring its peak resident memory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { peakRssMb } from './proc.js';

const GNU_TIME = '/usr/bin/time';

/** How peak memory is measured on this machine (recorded beside every figure). */
export const MEMORY_METHOD = existsSync(GNU_TIME)
  ? 'max RSS of the child from /usr/bin/time -f %M (wait4 rusage)'
  : 'VmHWM of the child, polled from /proc every 50 ms';

export interface Measured {
  seconds: number;
  /** Peak resident set of the child, MB (null if it could not be read). */
  peakMb: number | null;
  stdout: string;
  /** Highest 1-minute load average seen while it ran: above the core count, other work competed for CPU. */
  maxLoad: number;
}

/**
 * Runs `command args…`, failing with its stderr when it exits non-zero.
 * @example const { seconds, peakMb } = await runMeasured('node', ['dist/src/cli/main.js', '--help']);
 */
export async function runMeasured(command: string, args: readonly string[]): Promise<Measured> {
  const scratch = await mkdtemp(join(tmpdir(), 'fidelio-bench-'));
  const timeFile = join(scratch, 'maxrss');
  const useTime = existsSync(GNU_TIME);
  const argv = useTime ? [GNU_TIME, '-f', '%M', '-o', timeFile, command, ...args] : [command, ...args];
  try {
    const began = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let polled: number | null = null;
    let maxLoad = loadavg()[0]!;
    const poll = setInterval(async () => {
      maxLoad = Math.max(maxLoad, loadavg()[0]!);
      const now = !useTime && child.pid ? await peakRssMb(child.pid) : null;
      if (now !== null) polled = Math.max(polled ?? 0, now);
    }, 50);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const seconds = (performance.now() - began) / 1000;
    clearInterval(poll);
    if (code !== 0) {
      const stderr = Buffer.concat(err).toString('utf8').trim().split('\n').slice(-15).join('\n');
      throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr}`);
    }
    const peakMb = useTime
      ? Number((await readFile(timeFile, 'utf8')).trim().split('\n').at(-1)) / 1024
      : polled;
    return {
      seconds,
      peakMb,
      stdout: Buffer.concat(out).toString('utf8'),
      maxLoad: Math.max(maxLoad, loadavg()[0]!),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
