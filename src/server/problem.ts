// Every error leaves the server as application/problem+json (RFC 9457): a status, a stable code, a readable
// detail, and for bad input the path of each offending field.
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { type ErrorKind, FidelioError } from '../domain/errors.js';

export interface FieldProblem {
  /** Where in the request: `$[3].score` for row 3 of a JSON array body, `query.from` for a parameter. */
  path: string;
  rule: string;
  message: string;
  value?: string | null;
}

/** An error that carries its HTTP status and field problems. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: readonly FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid_input: 422,
  usage: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Unavailable',
};

export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({
      type: `urn:fidelio:problem:${problem.code}`,
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      code: problem.code,
      detail: problem.message,
      ...(problem.errors.length > 0 ? { errors: problem.errors } : {}),
    });
}

/** A problem with the body as a whole: its one field problem names `$`. */
export function wholeBody(status: number, code: string, message: string): HttpProblem {
  return new HttpProblem(status, code, message, [{ path: '$', rule: code, message }]);
}

/** Fastify's error handler: our errors keep their status; framework errors get one; the rest are 500s. */
export function problemOf(error: unknown, request: FastifyRequest): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof FidelioError) {
    return new HttpProblem(
      STATUS_OF_KIND[error.kind],
      error.code,
      error.message,
      error.issues.map((i) => ({ path: i.column, rule: i.rule, message: i.message, value: i.value })),
    );
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status === 413) {
    return wholeBody(
      413,
      'body_too_large',
      `the body is larger than ${request.routeOptions.bodyLimit ?? 1_048_576} bytes`,
    );
  }
  if (status === 415) {
    return wholeBody(415, 'unsupported_media_type', 'send the body as application/json');
  }
  if (status && status >= 400 && status < 500)
    return new HttpProblem(status, 'bad_request', fastifyError.message);
  request.log.error({ err: error }, 'internal error');
  return new HttpProblem(500, 'internal', 'an internal error occurred; it has been logged');
}

/**
 * Fastify's schema error formatter: a 400 naming each field as `$[3].score` in a body, `query.from` in the
 * query string (unknown fields and parameters each by name).
 */
export function schemaErrorFormatter(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const root = dataVar === 'body' ? '$' : dataVar === 'querystring' ? 'query' : dataVar;
  const at = (segments: readonly string[]) =>
    root + segments.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('');
  const fields: FieldProblem[] = errors.flatMap((e) => {
    const segments = e.instancePath.split('/').filter((p) => p !== '');
    const keys = (e.params as { keys?: unknown }).keys;
    if (e.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      return keys.map((k) => ({
        path: at([...segments, String(k)]),
        rule: 'unknown_field',
        message: 'not a field of this request',
      }));
    }
    return [{ path: at(segments), rule: e.keyword, message: e.message ?? 'invalid' }];
  });
  const names = fields.map((f) => f.path).join(', ');
  return dataVar === 'body'
    ? new HttpProblem(
        400,
        'malformed_request',
        `the request body does not have the documented shape: ${names}`,
        fields,
      )
    : new HttpProblem(400, 'invalid_query', `invalid request ${root}: ${names}`, fields);
}
