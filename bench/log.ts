// Progress lines on stderr, stamped with the time since the benchmark started.
const started = performance.now();

export function progress(message: string): void {
  const elapsed = ((performance.now() - started) / 1000).toFixed(1).padStart(7);
  process.stderr.write(`[${elapsed}s] ${message}\n`);
}
