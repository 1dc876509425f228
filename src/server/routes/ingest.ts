// POST /api/v1/{accounts,mrr-changes,…}: up to 1,000 rows with the CSV columns of KPI-SPEC §2, validated as
// an import is, answered once committed: how many rows were new and how many were redeliveries.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type FileSpec, IMPORT_FILES } from '../../domain/import-format.js';
import type { LiveOutcome, LiveRow } from '../../ingest/live-batch.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { HttpProblem } from '../problem.js';

export const MAX_ROWS = 1000;
export const MAX_ROW_BYTES = 32 * 1024;

/** The URL name of each import file. */
export const RESOURCES: Record<string, string> = {
  accounts: 'accounts',
  'mrr-changes': 'mrr_changes',
  cancellations: 'cancellations',
  payments: 'payments',
  costs: 'costs',
  renewals: 'renewals',
  responses: 'responses',
  tickets: 'tickets',
  contacts: 'contacts',
  usage: 'usage_events',
};

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

function rowSchema(spec: FileSpec) {
  const columns = Object.fromEntries(spec.columns.map((c) => [c.name, scalar.optional()]));
  const attributes = spec.extraColumnsAreAttributes
    ? {
        attributes: z
          .record(z.string(), scalar)
          .optional()
          .describe('extra account fields, usable as segments'),
      }
    : {};
  return z
    .strictObject({ ...columns, ...attributes })
    .refine((row) => Buffer.byteLength(JSON.stringify(row)) <= MAX_ROW_BYTES, {
      message: `a row may hold at most ${MAX_ROW_BYTES} bytes`,
    });
}

export const ingestAnswer = z.object({
  accepted: z.number().int().describe('rows stored now'),
  duplicates: z.number().int().describe('rows already stored with the same values (redeliveries)'),
});

const cellText = (value: string | number | boolean | null | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

export function toLiveRow(row: Record<string, unknown>): LiveRow {
  const { attributes, ...cells } = row as Record<string, string | number | boolean | null> & {
    attributes?: Record<string, string | number | boolean | null>;
  };
  return {
    cells: Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, cellText(v)])),
    ...(attributes
      ? { attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, cellText(v)])) }
      : {}),
  };
}

/** 200 with the counts, or the problem naming each refused field as `$[row].column`. */
export function answerOutcome(reply: FastifyReply, outcome: LiveOutcome, path = (i: number) => `$[${i}]`) {
  if (outcome.status === 'stored')
    return reply.send({ accepted: outcome.accepted, duplicates: outcome.duplicates });
  const errors = outcome.issues.map((i) => ({
    path: `${path(i.index)}.${i.column}`,
    rule: i.rule,
    message: i.message,
    value: i.value,
  }));
  throw outcome.status === 'conflict'
    ? new HttpProblem(
        409,
        'conflict',
        'a row repeats a stored id with other values; nothing of this request was written',
        errors,
      )
    : new HttpProblem(
        422,
        'invalid_rows',
        'some rows are invalid; nothing of this request was written',
        errors,
      );
}

export function registerIngestRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  for (const [resource, table] of Object.entries(RESOURCES)) {
    const spec = IMPORT_FILES.find((f) => f.table === table)!;
    app.withTypeProvider<ZodTypeProvider>().post(
      `/api/v1/${resource}`,
      {
        config: { scope: 'ingest' },
        schema: {
          tags: ['ingest'],
          summary: `Add ${spec.file.replace('.csv', '')} rows (the columns of ${spec.file})`,
          body: z.array(rowSchema(spec)).max(MAX_ROWS),
          response: { 200: ingestAnswer },
        },
      },
      async (request, reply) => {
        if (request.body.length === 0) return reply.send({ accepted: 0, duplicates: 0 });
        const runtime = await hub.runtime(principal(request).workspace);
        const outcome = await runtime.queue.submitRows({ spec, rows: request.body.map(toLiveRow) });
        return answerOutcome(reply, outcome);
      },
    );
  }
}
