// POST /api/v1/track and /api/v1/batch in Segment's shape: product usage events, deduplicated by messageId.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IMPORT_FILES } from '../../domain/import-format.js';
import type { LiveRow } from '../../ingest/live-batch.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { answerOutcome, ingestAnswer, MAX_ROWS } from './ingest.js';

const USAGE = IMPORT_FILES.find((f) => f.table === 'usage_events')!;
const id = z.union([z.string().min(1), z.number()]);

/** The fields of Segment's track call; the ones Fidelio does not use are accepted and ignored. */
const trackCall = z.strictObject({
  type: z.literal('track').optional(),
  event: z.string().min(1),
  userId: id.optional(),
  anonymousId: id.optional(),
  groupId: id.optional().describe('the account; else context.groupId; else userId'),
  timestamp: z.string().optional().describe('when it happened (default: when received)'),
  messageId: z.string().min(1).optional().describe('redeliveries with the same messageId count once'),
  properties: z.record(z.string(), z.unknown()).optional(),
  context: z.looseObject({ groupId: id.optional() }).optional(),
  integrations: z.record(z.string(), z.unknown()).optional(),
  sentAt: z.string().optional(),
  receivedAt: z.string().optional(),
  originalTimestamp: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  channel: z.string().optional(),
});
type TrackCall = z.infer<typeof trackCall>;

function usageRow(call: TrackCall, receivedAt: Date): LiveRow {
  const group = call.groupId ?? call.context?.groupId;
  const account = group ?? call.userId;
  return {
    cells: {
      account_id: account === undefined ? null : String(account),
      occurred_at: call.timestamp ?? receivedAt.toISOString(),
      event: call.event,
      user_id: group !== undefined && call.userId !== undefined ? String(call.userId) : null,
      event_id: call.messageId ?? null,
    },
  };
}

export function registerTrackRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/v1/track',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['ingest'],
        summary: 'One usage event (Segment track call)',
        body: trackCall,
        response: { 200: ingestAnswer },
      },
    },
    async (request, reply) => {
      const runtime = await hub.runtime(principal(request).workspace);
      const outcome = await runtime.queue.submitRows({
        spec: USAGE,
        rows: [usageRow(request.body, new Date())],
      });
      return answerOutcome(reply, outcome, () => '$');
    },
  );
  typed.post(
    '/api/v1/batch',
    {
      config: { scope: 'ingest' },
      schema: {
        tags: ['ingest'],
        summary: 'Usage events in bulk (Segment batch call; track calls only)',
        body: z.looseObject({ batch: z.array(trackCall).max(MAX_ROWS) }),
        response: { 200: ingestAnswer },
      },
    },
    async (request, reply) => {
      if (request.body.batch.length === 0) return reply.send({ accepted: 0, duplicates: 0 });
      const runtime = await hub.runtime(principal(request).workspace);
      const now = new Date();
      const outcome = await runtime.queue.submitRows({
        spec: USAGE,
        rows: request.body.batch.map((c) => usageRow(c, now)),
      });
      return answerOutcome(reply, outcome, (i) => `$.batch[${i}]`);
    },
  );
}
