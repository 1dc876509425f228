// Buffered file output: chunks gather in memory and reach the disk a few megabytes at a time.
import { closeSync, openSync, writevSync } from 'node:fs';

const FLUSH_BYTES = 4 * 1024 * 1024;

export class FileSink {
  private readonly fd: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  /** Creates `path`, refusing to overwrite an existing file. */
  constructor(path: string) {
    this.fd = openSync(path, 'wx');
  }

  /** Text is written as UTF-8. */
  write(chunk: string | Uint8Array): void {
    if (chunk.length === 0) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** One gathering write for all pending chunks (no copy into a single buffer), resumed if partial. */
  flush(): void {
    const chunks = this.pending;
    while (chunks.length > 0) {
      let written = writevSync(this.fd, chunks);
      while (written > 0) {
        const first = chunks[0]!;
        if (written >= first.length) {
          written -= first.length;
          chunks.shift();
        } else {
          chunks[0] = first.subarray(written);
          written = 0;
        }
      }
    }
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
