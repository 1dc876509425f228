// GET /api/v1/contacts: the people surveys can ask (customers' contacts and employees), filtered, sorted and
// paged, as JSON or spreadsheet-safe CSV. They are added by contacts.csv or POST /api/v1/contacts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CONTACT_KINDS } from '../../domain/import-format.js';
import type { Row, Store } from '../../store/store.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import {
  csvNote,
  idText,
  type ListSql,
  likeEscape,
  listCacheKey,
  orderOf,
  Params,
  pageOf,
  pagingShape,
  type SortField,
  searchText,
  sendCsv,
  sortParam,
  wantsCsv,
} from '../list-paging.js';

const CONTACT_SORTS: Record<string, SortField> = {
  contact_id: { expr: 'contact_id', type: 'text' },
  email: { expr: 'email', type: 'text' },
  account_id: { expr: 'account_id', type: 'text' },
  team: { expr: 'team', type: 'text' },
};

const COLUMNS = [
  'contact_id',
  'kind',
  'email',
  'name',
  'account_id',
  'locale',
  'team',
  'unsubscribed_at',
] as const;

const contactsQuery = z.strictObject({
  kind: z.enum(CONTACT_KINDS).optional(),
  account_id: idText.optional(),
  team: idText.optional(),
  q: searchText.optional().describe('text in the name or e-mail (case-insensitive)'),
  sort: sortParam(CONTACT_SORTS, 'contact_id'),
  ...pagingShape,
});
type ContactsQuery = z.infer<typeof contactsQuery>;

const contact = z.object({
  contact_id: z.string(),
  kind: z.enum(CONTACT_KINDS),
  email: z.string().nullable(),
  name: z.string().nullable(),
  account_id: z.string().nullable(),
  locale: z.string().nullable(),
  team: z.string().nullable(),
  unsubscribed_at: z.string().nullable().describe('set when the person unsubscribed from survey e-mails'),
});
type Contact = z.infer<typeof contact>;

const contactsAnswer = z.object({
  items: z.array(contact),
  total: z.number().int(),
  next: z.string().nullable(),
});

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

function contactOf(row: Row): Contact {
  return {
    contact_id: String(row.contact_id),
    kind: row.kind as Contact['kind'],
    email: text(row.email),
    name: text(row.name),
    account_id: text(row.account_id),
    locale: text(row.locale),
    team: text(row.team),
    unsubscribed_at: row.unsubscribed_at instanceof Date ? row.unsubscribed_at.toISOString() : null,
  };
}

async function listContacts(store: Store, query: ContactsQuery) {
  const params = new Params();
  const where: string[] = [];
  if (query.kind !== undefined) where.push(`kind = ${params.add(query.kind)}`);
  if (query.account_id !== undefined) where.push(`account_id = ${params.add(query.account_id)}`);
  if (query.team !== undefined) where.push(`team = ${params.add(query.team)}`);
  if (query.q !== undefined) {
    const like = params.add(`%${likeEscape(query.q)}%`);
    where.push(
      `(lower(name) LIKE lower(${like}) ESCAPE '\\' OR lower(email) LIKE lower(${like}) ESCAPE '\\')`,
    );
  }
  const list: ListSql = { ctes: [], source: 'contacts', where, id: 'contact_id' };
  const page = await pageOf(store, list, orderOf(CONTACT_SORTS, query.sort), query, params);
  return { items: page.rows.map(contactOf), total: page.total, next: page.next };
}

export function registerContactRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/contacts',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['surveys'],
        summary: 'The people surveys can ask: customers’ contacts and employees',
        description: `Add them with contacts.csv or POST /api/v1/contacts.${csvNote}`,
        querystring: contactsQuery,
        response: { 200: contactsAnswer },
      },
    },
    async (request, reply) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const answer = await runtime.cached(`read:contacts:${listCacheKey(request.query)}`, () =>
        listContacts(runtime.reader, request.query),
      );
      if (!wantsCsv(request, request.query.format)) return reply.header('vary', 'accept').send(answer);
      const records = answer.items.map((item) => COLUMNS.map((c) => item[c]));
      return sendCsv(reply, 'contacts', answer, COLUMNS, records);
    },
  );
}
