// GET/PUT/DELETE /api/v1/targets: a workspace's target per KPI (for example crr >= 90), set by admins and
// shown by the dashboard on tiles and charts. Writes go through the commit queue: durable, and they bump
// the data version so cached answers are recomputed.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KPIS } from '../../kpi/catalogue.js';
import type { Store } from '../../store/store.js';
import type { Principal } from '../../tenancy/tenancy.js';
import { principal } from '../auth.js';
import type { WorkspaceHub } from '../hub.js';
import { HttpProblem } from '../problem.js';

export const TARGET_OPS = ['>=', '<='] as const;

const target = z.object({
  kpi: z.string(),
  op: z.enum(TARGET_OPS),
  value: z.number(),
  updated_at: z.string(),
});
type Target = z.infer<typeof target>;

const kpiParams = z.object({ kpi: z.string().min(1).max(100).describe('a KPI id of GET /api/v1/kpis') });

const targetBody = z.strictObject({
  op: z.enum(TARGET_OPS).describe('">=" when the KPI should be at least value, "<=" at most'),
  // JSON can spell 1e999 (Infinity); a target must be a real number.
  value: z
    .number()
    .refine(Number.isFinite, { message: 'a target must be a finite number' })
    .describe("the target in the KPI's unit (percent 0–100 for ratios, currency for money)"),
});

const KPI_ORDER = new Map(KPIS.map((k, i) => [k.id, i]));

/** The KPI id of the path, or a 404 problem naming the catalogue. */
function knownKpi(id: string): string {
  if (!KPI_ORDER.has(id)) {
    throw new HttpProblem(404, 'unknown_kpi', `no KPI "${id}"; GET /api/v1/kpis lists the ids`);
  }
  return id;
}

/** Who set a target: the person's email, or the API key's id. */
function author(caller: Principal): string {
  return caller.email ?? `key:${caller.keyId ?? 'unknown'}`;
}

function targetOf(row: Record<string, unknown>): Target {
  return {
    kpi: String(row.kpi),
    op: row.op as Target['op'],
    value: Number(row.value),
    updated_at: (row.updated_at as Date).toISOString(),
  };
}

/** Every target of the workspace, in the catalogue's order. */
export async function listTargets(store: Store): Promise<Target[]> {
  const rows = await store.query('SELECT kpi, op, value, updated_at FROM kpi_targets');
  return rows
    .map(targetOf)
    .filter((t) => KPI_ORDER.has(t.kpi))
    .sort((a, b) => KPI_ORDER.get(a.kpi)! - KPI_ORDER.get(b.kpi)!);
}

export function registerTargetRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/targets',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['dashboard'],
        summary: 'The target of each KPI that has one',
        querystring: z.strictObject({}),
        response: { 200: z.array(target) },
      },
    },
    async (request) => {
      const runtime = await hub.runtime(principal(request).workspace);
      return runtime.cached('targets', () => listTargets(runtime.reader));
    },
  );
  typed.put(
    '/api/v1/targets/:kpi',
    {
      config: { scope: 'admin' },
      // The path names the resource: an unknown KPI is a 404 whatever the body.
      preValidation: async (request) => {
        knownKpi((request.params as { kpi: string }).kpi);
      },
      schema: {
        tags: ['dashboard'],
        summary: 'Set the target of a KPI (replacing any earlier one)',
        params: kpiParams,
        body: targetBody,
        response: { 200: target },
      },
    },
    async (request) => {
      const kpi = knownKpi(request.params.kpi);
      const caller = principal(request);
      const runtime = await hub.runtime(caller.workspace);
      const { op, value } = request.body;
      const now = new Date();
      await runtime.queue.submitJob(async (store) => {
        await store.run('DELETE FROM kpi_targets WHERE kpi = $1', [kpi]);
        await store.run(
          'INSERT INTO kpi_targets (kpi, op, value, updated_at, updated_by) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP), $5)',
          [kpi, op, value, now.toISOString().replace('T', ' ').replace('Z', ''), author(caller)],
        );
      });
      return { kpi, op, value, updated_at: now.toISOString() };
    },
  );
  typed.delete(
    '/api/v1/targets/:kpi',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['dashboard'],
        summary: 'Remove the target of a KPI (204 also when it had none)',
        params: kpiParams,
        querystring: z.strictObject({}),
      },
    },
    async (request, reply) => {
      const kpi = knownKpi(request.params.kpi);
      const runtime = await hub.runtime(principal(request).workspace);
      await runtime.queue.submitJob((store) => store.run('DELETE FROM kpi_targets WHERE kpi = $1', [kpi]));
      return reply.code(204).send();
    },
  );
}
