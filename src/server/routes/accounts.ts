// GET /api/v1/accounts and /api/v1/accounts/:id: a workspace's accounts with their state at as_of, as a
// filtered, sorted and paged list (JSON or spreadsheet-safe CSV), and one account's page.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accountAnswer, accountDetail } from '../account-page.js';
import { accountsAnswer, accountsCsv, accountsQuery, dataFacts, listAccounts } from '../account-state.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { csvNote, idText, listCacheKey, sendCsv, wantsCsv } from '../list-paging.js';

export function registerAccountRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/accounts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary: 'Accounts with their state at as_of, filtered, sorted and paged',
        description: `The list of docs/api.md "Reading accounts and answers".${csvNote}`,
        querystring: accountsQuery,
        response: { 200: accountsAnswer },
      },
    },
    async (request, reply) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const facts = await dataFacts(runtime);
      const answer = await runtime.cached(`read:accounts:${listCacheKey(request.query)}`, () =>
        listAccounts(runtime.reader, facts, request.query),
      );
      if (!wantsCsv(request, request.query.format)) return reply.header('vary', 'accept').send(answer);
      const csv = await accountsCsv(runtime.reader, answer.items);
      return sendCsv(reply, 'accounts', answer, csv.header, csv.records);
    },
  );
  typed.get(
    '/api/v1/accounts/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['read'],
        summary: 'One account: its state, facts (newest first, bounded) and 12 months of MRR and health',
        params: z.object({ id: idText }),
        querystring: z.strictObject({}),
        response: { 200: accountAnswer },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const facts = await dataFacts(runtime);
      const id = request.params.id;
      return runtime.cached(`read:account:${JSON.stringify(id)}`, () =>
        accountDetail(runtime.reader, facts, id),
      );
    },
  );
}
