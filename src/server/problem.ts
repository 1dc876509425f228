// Every error leaves the server as application/problem+json (RFC 9457): a status, a stable code, a readable
// detail, and for bad input the path of each offending field.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
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
  const fastifyError = error as FastifyError & { validation?: { instancePath?: string; message?: string }[] };
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'body';
    return new HttpProblem(
      400,
      'malformed_request',
      `the request ${where} does not have the documented shape`,
      fastifyError.validation.map((v) => ({
        path: `${where === 'body' ? '$' : where}${jsonPath(v.instancePath ?? '')}`,
        rule: 'shape',
        message: v.message ?? 'invalid',
      })),
    );
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : 'bad_request';
    const detail =
      code === 'body_too_large'
        ? `the body is larger than ${request.routeOptions.bodyLimit ?? 1_048_576} bytes`
        : fastifyError.message;
    return new HttpProblem(status, code, detail);
  }
  request.log.error({ err: error }, 'internal error');
  return new HttpProblem(500, 'internal', 'an internal error occurred; it has been logged');
}

/** `/3/score` → `[3].score`. */
function jsonPath(pointer: string): string {
  return pointer
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
}
