// JSON bodies are read as bytes and decoded strictly: invalid UTF-8 is refused instead of silently replaced.
import type { FastifyInstance } from 'fastify';
import { wholeBody } from './problem.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function registerStrictJson(app: FastifyInstance): void {
  // JSON only: any other content type (text/plain, forms) is a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json'], { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    (request as { rawBody?: Buffer }).rawBody = bytes;
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      done(wholeBody(400, 'invalid_utf8', 'the body is not valid UTF-8; nothing was written'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        wholeBody(400, 'invalid_json', `the body is not valid JSON (${(error as Error).message})`),
        undefined,
      );
    }
  });
}

/** The bytes of a JSON body as received (a webhook signature covers exactly these). */
export function rawBodyOf(request: object): Buffer | undefined {
  return (request as { rawBody?: Buffer }).rawBody;
}
