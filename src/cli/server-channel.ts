// The CLI's writing commands and a running server: when the server holds the store, the command is sent to
// it over its local channel; when the holder is not a Fidelio server, the command refuses and names it.
import { readFile } from 'node:fs/promises';
import { FidelioError } from '../domain/errors.js';
import { serverNotePath } from '../server/serve.js';

interface ServerNote {
  pid: number;
  url: string;
  token: string;
}

export type ServerCall = (path: string, body: unknown) => Promise<unknown>;

/**
 * Runs `direct` on the store; when another process holds it and that process is the Fidelio server that left
 * its note, runs `remote` through the server instead.
 */
export async function directOrThroughServer<T>(
  db: string,
  direct: () => Promise<T>,
  remote: (call: ServerCall) => Promise<T>,
): Promise<T> {
  try {
    return await direct();
  } catch (error) {
    if (!(error instanceof FidelioError) || error.code !== 'store_locked') throw error;
    const note = await runningServer(db);
    if (!note) throw error;
    return remote((path, body) => callServer(note, path, body));
  }
}

async function runningServer(db: string): Promise<ServerNote | null> {
  let note: ServerNote;
  try {
    note = JSON.parse(await readFile(serverNotePath(db), 'utf8')) as ServerNote;
  } catch {
    return null;
  }
  try {
    process.kill(note.pid, 0);
  } catch {
    return null;
  }
  return note;
}

async function callServer(note: ServerNote, path: string, body: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`${note.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Local ${note.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new FidelioError(
      'conflict',
      'server_unreachable',
      `the server (PID ${note.pid}) holds the store but does not answer at ${note.url}: ${(error as Error).message}`,
    );
  }
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.ok) return answer;
  const issues = (
    (answer.errors as { path: string; rule: string; message: string; value?: string | null }[]) ?? []
  ).map((e) => ({
    file: 'server',
    line: 0,
    column: e.path,
    value: e.value ?? null,
    rule: e.rule,
    message: e.message,
  }));
  const kind =
    response.status === 409
      ? 'conflict'
      : response.status === 404
        ? 'not_found'
        : response.status >= 500
          ? 'internal'
          : 'invalid_input';
  throw new FidelioError(
    kind,
    String(answer.code ?? 'server_error'),
    `the server refused: ${String(answer.detail ?? response.statusText)}`,
    issues,
  );
}
