// The lists of the read routes: whitelisted sorts, cursor and offset paging, and output as JSON or
// spreadsheet-safe CSV. User input reaches SQL only as bound parameters ($1…) or as a key of a whitelist;
// generated SQL holds only values we produced ourselves.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { csvDocument } from '../domain/csv-cell.js';
import type { Row, Store } from '../store/store.js';
import { type FieldProblem, HttpProblem } from './problem.js';

export const MAX_LIMIT = 500;

/** The SQL type of a sort key, so a cursor's key can be checked and cast back exactly. */
type KeyType = 'text' | 'timestamp' | 'decimal' | 'integer' | 'double';

export interface SortField {
  /** An expression over the columns of the list's rows. */
  expr: string;
  type: KeyType;
}

export interface Order {
  name: string;
  field: SortField;
  descending: boolean;
}

const KEY_PATTERNS: Record<KeyType, RegExp> = {
  text: /^[\s\S]{0,1000}$/,
  timestamp: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/,
  decimal: /^-?\d{1,18}(\.\d{1,4})?$/,
  integer: /^-?\d{1,10}$/,
  double: /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i,
};

const CASTS: Record<KeyType, (param: string) => string> = {
  text: (p) => p,
  timestamp: (p) => `CAST(${p} AS TIMESTAMP)`,
  decimal: (p) => `CAST(${p} AS DECIMAL(18, 4))`,
  integer: (p) => `CAST(${p} AS INTEGER)`,
  double: (p) => `CAST(${p} AS DOUBLE PRECISION)`,
};

/** Collects bound parameters and hands out their `$n` placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** One placeholder per value, comma-separated: the inside of `IN (…)`. */
  addAll(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

/** `sort`: a field name of the whitelist, `-` first for descending. */
export function sortParam(fields: Record<string, SortField>, fallback: string) {
  const names = Object.keys(fields);
  return z
    .enum([...names, ...names.map((n) => `-${n}`)] as [string, ...string[]])
    .default(fallback)
    .describe(`one of ${names.join(', ')}; prefix - for descending; empty values sort last`);
}

export const pagingShape = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).describe('rows per page, 1–500'),
  cursor: z.string().min(1).max(2000).optional().describe('the `next` of the previous page'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .describe('rows to skip, instead of a cursor'),
  format: z.enum(['json', 'csv']).optional().describe('csv for a spreadsheet (or send Accept: text/csv)'),
};

export const searchText = z.string().min(1).max(200);
export const idText = z.string().min(1).max(500);

interface Paging {
  sort: string;
  limit: number;
  cursor?: string | undefined;
  offset?: number | undefined;
}

interface Cursor {
  key: string | null;
  id: string;
}

export function orderOf(fields: Record<string, SortField>, sort: string): Order {
  const descending = sort.startsWith('-');
  const name = descending ? sort.slice(1) : sort;
  return { name, field: fields[name]!, descending };
}

/** Empty keys last in both directions, then the id: a total order, so pages neither lose nor repeat rows. */
function orderBy(order: Order, id: string): string {
  const k = order.field.expr;
  return `(${k}) IS NULL, ${k}${order.descending ? ' DESC' : ''}, ${id}`;
}

/** The rows strictly after the cursor's row in `orderBy`. */
function afterCursor(order: Order, id: string, cursor: Cursor, params: Params): string {
  const k = order.field.expr;
  const lastId = params.add(cursor.id);
  if (cursor.key === null) return `((${k}) IS NULL AND ${id} > ${lastId})`;
  const key = CASTS[order.field.type](params.add(cursor.key));
  const beyond = order.descending ? '<' : '>';
  return `((${k}) IS NULL OR ${k} ${beyond} ${key} OR (${k} = ${key} AND ${id} > ${lastId}))`;
}

function encodeCursor(sort: string, key: unknown, id: unknown): string {
  return Buffer.from(JSON.stringify([sort, key ?? null, String(id)])).toString('base64url');
}

/** A cursor made for this sort, with a key of the sort's type; anything else is a 400 naming query.cursor. */
function decodeCursor(text: string, order: Order, sort: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === sort && typeof parsed[2] === 'string') {
    const [, key, id] = parsed as [string, unknown, string];
    if (key === null || (typeof key === 'string' && KEY_PATTERNS[order.field.type].test(key))) {
      return { key, id };
    }
  }
  throw queryProblem(
    'cursor',
    'invalid_cursor',
    'not a cursor of this list and sort; pass the `next` of the previous page with the same sort',
  );
}

/** A 400 problem about one query parameter. */
export function queryProblem(name: string, rule: string, message: string, value?: string): HttpProblem {
  const field: FieldProblem = { path: `query.${name}`, rule, message };
  if (value !== undefined) field.value = value;
  return new HttpProblem(400, 'invalid_query', `query parameter ${name}: ${message}`, [field]);
}

/** `%`, `_` and the escape character itself match literally. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface ListSql {
  /** CTEs before `filtered`, without WITH. */
  ctes: readonly string[];
  /** The rows to list: a table or CTE name. */
  source: string;
  where: readonly string[];
  id: string;
}

interface Page {
  rows: Row[];
  total: number;
  next: string | null;
}

/**
 * One query: the filtered rows' count beside the requested page (one row more than the limit, to know
 * whether another page follows). An empty page still carries the count through the outer join.
 */
export async function pageOf(
  store: Store,
  list: ListSql,
  order: Order,
  paging: Paging,
  params: Params,
): Promise<Page> {
  const conditions: string[] = [];
  if (paging.cursor !== undefined && paging.offset !== undefined) {
    throw queryProblem('offset', 'cursor_or_offset', 'give a cursor or an offset, not both');
  }
  if (paging.cursor !== undefined) {
    conditions.push(afterCursor(order, list.id, decodeCursor(paging.cursor, order, paging.sort), params));
  }
  const sorted = orderBy(order, list.id);
  const sql = `WITH ${[...list.ctes, `filtered AS (SELECT * FROM ${list.source} WHERE ${list.where.join(' AND ') || 'true'})`].join(',\n')}
    SELECT counted.total_rows, page.* FROM (SELECT COUNT(*) AS total_rows FROM filtered) counted
    LEFT JOIN (
      SELECT filtered.*, CAST(${order.field.expr} AS VARCHAR) AS sort_key FROM filtered
      WHERE ${conditions.join(' AND ') || 'true'}
      ORDER BY ${sorted} LIMIT ${params.add(paging.limit + 1)} OFFSET ${params.add(paging.offset ?? 0)}
    ) page ON true
    ORDER BY ${sorted}`;
  const result = await store.query(sql, params.values);
  const total = Number(result[0]?.total_rows ?? 0);
  const rows = result.filter((r) => r[list.id] !== null && r[list.id] !== undefined);
  const more = rows.length > paging.limit;
  const shown = rows.slice(0, paging.limit);
  const last = shown[shown.length - 1];
  return {
    rows: shown,
    total,
    next: more && last ? encodeCursor(paging.sort, last.sort_key, last[list.id]) : null,
  };
}

/** The same list in JSON and CSV is one cache entry. */
export const listCacheKey = ({ format: _format, ...query }: { format?: string | undefined }) =>
  JSON.stringify(query);

/** The end of a list route's description. */
export const csvNote =
  ' Add format=csv (or Accept: text/csv) for CSV; paging then comes in x-total-count and x-next-cursor.';

/** `format=csv` or a request that accepts text/csv (and did not ask for json) gets CSV. */
export function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

export function sendCsv(
  reply: FastifyReply,
  name: string,
  page: { total: number; next: string | null },
  header: readonly string[],
  records: readonly (readonly (string | number | null)[])[],
): FastifyReply {
  reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .header('x-total-count', String(page.total))
    .header('vary', 'accept');
  if (page.next) reply.header('x-next-cursor', page.next);
  return reply.send(csvDocument(header, records));
}

// Row values as the answers show them: SQL NULL (or a missing column) becomes null.
export const isoOrNull = (value: unknown): string | null =>
  value instanceof Date ? value.toISOString() : null;
export const textOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
export const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
