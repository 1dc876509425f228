// Maps errors to exit codes and readable messages: 0 ok, 1 internal, 2 bad input or usage, 3 store busy.
import { CommanderError } from 'commander';
import { FidelioError, formatIssue } from '../domain/errors.js';

export const EXIT = { ok: 0, internal: 1, badInput: 2, conflict: 3 } as const;

export async function runCommand(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  if (error instanceof FidelioError) {
    process.stderr.write(`fidelio: ${error.message}\n`);
    for (const issue of error.issues) process.stderr.write(`  ${formatIssue(issue)}\n`);
    if (error.kind === 'conflict') return EXIT.conflict;
    return error.kind === 'internal' ? EXIT.internal : EXIT.badInput;
  }
  process.stderr.write(
    `fidelio: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.internal;
}
