// Reads memory figures of a process from /proc (Linux): the harness's fallback when /usr/bin/time is absent.
import { readFile } from 'node:fs/promises';

/** VmHWM (peak resident set) of a process in MB, or null when it has exited or /proc is unavailable. */
export async function peakRssMb(pid: number | 'self' = 'self'): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return null;
  }
}
