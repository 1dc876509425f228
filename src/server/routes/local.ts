// The local channel: while the server holds the store, the CLI's writing commands reach it here, with the
// token the server wrote beside the store file (readable by its owner only), from this machine only.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importFolder } from '../../ingest/csv-import.js';
import { parseRole, parseScopes } from '../../tenancy/access.js';
import { sameSecret } from '../../tenancy/tokens.js';
import type { WorkspaceHub } from '../hub.js';
import { HttpProblem } from '../problem.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function registerLocalRoutes(app: FastifyInstance, hub: WorkspaceHub, token: string): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const config = { scope: 'public' as const };
  const guard = async (request: FastifyRequest) => {
    const sent = request.headers.authorization?.replace(/^Local /, '') ?? '';
    if (!LOOPBACK.has(request.ip) || !sameSecret(sent, token))
      throw new HttpProblem(404, 'not_found', 'no such route');
  };
  const hidden = { hide: true };
  typed.post(
    '/api/local/workspaces',
    { config, preHandler: guard, schema: { ...hidden, body: z.object({ name: z.string() }) } },
    async (request) => {
      const workspace = await hub.tenancy.createWorkspace(request.body.name);
      await hub.runtime(workspace);
      return { name: workspace.name };
    },
  );
  typed.post(
    '/api/local/users',
    {
      config,
      preHandler: guard,
      schema: {
        ...hidden,
        body: z.object({ workspace: z.string(), email: z.string(), role: z.string(), password: z.string() }),
      },
    },
    async (request) => {
      const { workspace, email, role, password } = request.body;
      await hub.tenancy.addUser(workspace, email, parseRole(role), password);
      return { email };
    },
  );
  typed.post(
    '/api/local/keys',
    {
      config,
      preHandler: guard,
      schema: { ...hidden, body: z.object({ workspace: z.string(), scopes: z.string() }) },
    },
    async (request) => hub.tenancy.createKey(request.body.workspace, parseScopes(request.body.scopes)),
  );
  typed.post(
    '/api/local/import',
    {
      config,
      preHandler: guard,
      schema: { ...hidden, body: z.object({ workspace: z.string(), dir: z.string() }) },
    },
    async (request) => {
      const runtime = await hub.runtime(await hub.tenancy.requireWorkspace(request.body.workspace));
      return runtime.queue.submitJob((store) => importFolder(store, request.body.dir));
    },
  );
}
