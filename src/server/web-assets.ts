// Serves the built dashboard (dist/web): hashed assets cached for good, index.html for every other page path
// so the browser app can route itself, and a strict content security policy (no inline or foreign scripts).
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpProblem } from './problem.js';

/** Where `vite build` puts the dashboard, beside the compiled server (dist/src/server → dist/web). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // ECharts and React set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export function registerWebAssets(app: FastifyInstance, root: string): void {
  const index = join(root, 'index.html');
  app.get('/*', { config: { scope: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = decodedPath(request.url);
    if (path.startsWith('/api/')) throw new HttpProblem(404, 'not_found', `no route GET ${path}`);
    const file = normalize(join(root, path));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new HttpProblem(404, 'not_found', 'no such file');
    }
    if (extname(path) !== '' && (await isFile(file)))
      return sendFile(reply, file, path.startsWith('/assets/'));
    if (extname(path) !== '' && path.startsWith('/assets/'))
      throw new HttpProblem(404, 'not_found', 'no such file');
    if (!existsSync(index)) {
      return reply
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build`. The API is at /api/docs.');
    }
    return sendFile(reply, index, false);
  });
}

function decodedPath(url: string): string {
  try {
    return decodeURIComponent(url.split('?')[0]!);
  } catch {
    throw new HttpProblem(400, 'bad_path', 'the path is not valid percent-encoding');
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function sendFile(reply: FastifyReply, file: string, immutable: boolean): Promise<FastifyReply> {
  reply.type(TYPES[extname(file)] ?? 'application/octet-stream');
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.header('x-content-type-options', 'nosniff');
  if (file.endsWith('.html')) {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('referrer-policy', 'same-origin');
  }
  return reply.send(await readFile(file));
}
