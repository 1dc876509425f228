// The dashboard's files as the server serves them: pages fall back to index.html, hashed assets are cached,
// nothing outside the web root is reachable, and /api paths stay problems.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';

let work: string;
let hub: WorkspaceHub;
let app: FastifyInstance;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'fidelio-web-'));
  await mkdir(join(work, 'web', 'assets'), { recursive: true });
  await writeFile(join(work, 'web', 'index.html'), '<!doctype html><title>Fidelio</title>');
  await writeFile(join(work, 'web', 'assets', 'app-1a2b.js'), 'console.log(1)');
  await writeFile(join(work, 'secret.txt'), 'not for the web');
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub, webRoot: join(work, 'web') });
});
afterAll(async () => {
  await app.close();
  await hub.close();
  await rm(work, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('web assets', () => {
  it('serves index.html for the root and for any page path, with a strict content security policy', async () => {
    for (const url of ['/', '/accounts/acme', '/satisfaction?period=month']) {
      const answer = await get(url);
      expect(answer.statusCode).toBe(200);
      expect(answer.body).toBe('<!doctype html><title>Fidelio</title>');
      expect(answer.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(answer.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with their type, cached for good; a missing asset is a 404', async () => {
    const asset = await get('/assets/app-1a2b.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect((await get('/assets/app-0000.js')).statusCode).toBe(404);
  });

  it('never serves a file outside the web root', async () => {
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%E0%A4%A']) {
      const answer = await get(url);
      expect(answer.body).not.toContain('not for the web');
    }
  });

  it('keeps unknown /api paths as problem+json 404s', async () => {
    const answer = await get('/api/v1/nothing');
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
