// Buffered file output: text gathers in memory and reaches the disk in writes of a few megabytes.
import { closeSync, openSync, writeSync } from 'node:fs';

const FLUSH_BYTES = 4 * 1024 * 1024;

export class FileSink {
  private readonly fd: number;
  private pending: (string | Uint8Array)[] = [];
  private pendingBytes = 0;

  /** Creates (or truncates) `path`; `wx` refuses to overwrite an existing file. */
  constructor(path: string, flags: 'w' | 'wx' = 'wx') {
    this.fd = openSync(path, flags);
  }

  /** Text is UTF-8; bytes are written as they are. */
  write(chunk: string | Uint8Array): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    // String length undercounts multi-byte characters; close enough to size a flush.
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const buffers = this.pending.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c));
    const all = buffers.length === 1 ? buffers[0]! : Buffer.concat(buffers);
    let offset = 0;
    while (offset < all.length) offset += writeSync(this.fd, all, offset);
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
