// Predictive CLV over HTTP (docs/clv.md "In the API and dashboard"): GET /api/v1/clv answers the model, a
// summary, the CLV by decile and a sorted page of accounts; GET /api/v1/accounts/{id}/clv one account's row
// with the model. The fits, their stale-while-revalidate cache and their sorted views are in ../clv-fits.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseInstant } from '../../domain/time.js';
import type { TimeUnit } from '../../insight/clv/clv-inputs.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import type { Store } from '../../store/store.js';
import { principal } from '../auth.js';
import { type Fitted, fitted, isFitted, type Requested, row, SORTS, view } from '../clv-fits.js';
import type { Revalidated, WorkspaceHub } from '../hub.js';
import { idText, MAX_LIMIT, Params, queryProblem } from '../list-paging.js';
import { HttpProblem } from '../problem.js';

export const MAX_HORIZON_MONTHS = 120;

const SORT_VALUES = [...SORTS, ...SORTS.map((s) => `-${s}` as const)] as [string, ...string[]];

const settingsShape = {
  calibration_end: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe(
      'the instant the models learn up to (a date = 00:00 UTC); default: 00:00 UTC of the day after the last payment, or of today if that is earlier',
    ),
  horizon_months: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_HORIZON_MONTHS)
    .default(12)
    .describe('whole months ahead, 1–120'),
  discount_monthly: z.coerce
    .number()
    .min(0)
    .lt(1)
    .default(0.01)
    .describe('monthly discount rate of the CLV, 0 ≤ d < 1'),
  time_unit: z.enum(['week', 'day']).default('week').describe('unit of recency, T and the fitted rates'),
};

const clvQuery = z.strictObject({
  ...settingsShape,
  sort: z
    .enum(SORT_VALUES)
    .default('-clv')
    .describe(`one of ${SORTS.join(', ')}; prefix - for descending (default -clv)`),
  segment: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("only accounts of this segment (the accounts' segment)"),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).describe('rows per page, 1–500'),
  cursor: z.string().min(1).max(2000).optional().describe('the `next` of the previous page'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000_000)
    .optional()
    .describe('rows to skip, instead of a cursor'),
});

const num = z.number().nullable();

const accountRow = z.object({
  account_id: z.string(),
  name: z.string().nullable(),
  segment: z.string().nullable(),
  frequency: z.number(),
  recency: z.number(),
  T: z.number(),
  p_alive: num,
  expected_purchases: num,
  expected_spend: num.describe('per purchase; null when the spend model has an infinite mean (q ≤ 1)'),
  clv: num,
});

const modelAnswer = z.object({
  bgnbd: z.object({
    r: z.number(),
    alpha: z.number(),
    a: z.number(),
    b: z.number(),
    log_likelihood: z.number(),
    accounts: z.number().describe('accounts it is fitted on'),
  }),
  gamma_gamma: z.object({
    p: z.number(),
    q: z.number(),
    gamma: z.number(),
    log_likelihood: num,
    repeat_buyers: z.number().describe('accounts it is fitted on: repeat buyers with a positive mean spend'),
  }),
});

const settingsAnswer = {
  computed_at: z
    .string()
    .describe('when the fit answered was made (its computation started: it reflects the data as of then)'),
  stale: z
    .boolean()
    .describe('true when the data changed since computed_at: a refit runs in the background (docs/api.md)'),
  calibration_end: z.string(),
  horizon_months: z.number(),
  discount_monthly: z.number(),
  time_unit: z.enum(['week', 'day']),
  gross_margin: z.number(),
  currency: z.string().nullable(),
};

const notEnoughData = z
  .object({
    code: z.literal('too_few_repeat_buyers'),
    message: z.string(),
    repeat_buyers: z.number(),
    minimum: z.number(),
  })
  .nullable()
  .describe(
    'set when the models cannot be fitted: too few accounts bought on more than one day (then model is null)',
  );

const clvAnswer = z.object({
  ...settingsAnswer,
  not_enough_data: notEnoughData,
  model: modelAnswer.nullable(),
  segment: z.string().nullable(),
  summary: z
    .object({
      accounts: z.number(),
      total_clv: z.number(),
      mean_clv: num.describe('total_clv ÷ the accounts with a finite CLV'),
      without_clv: z
        .number()
        .describe('accounts whose CLV is not finite (an infinite mean spend, q ≤ 1): left out of the sums'),
      expected_purchases: z.number(),
      likely_lost: z.number().describe('accounts with p_alive < 0.5'),
      likely_lost_share: num.describe('likely_lost ÷ accounts'),
    })
    .nullable(),
  deciles: z
    .array(z.object({ decile: z.number(), accounts: z.number(), clv: z.number(), share: num }))
    .describe('accounts by CLV, highest tenth first: their CLV and share of the total'),
  sort: z.string(),
  items: z.array(accountRow),
  total: z.number(),
  next: z.string().nullable(),
});

const accountClvAnswer = z.object({
  ...settingsAnswer,
  not_enough_data: notEnoughData,
  model: modelAnswer.nullable(),
  account: accountRow.nullable().describe('null only when the models cannot be fitted'),
});

/** A given calibration end, checked: an instant not in the future. */
function givenCalibrationEnd(text: string): Date {
  const instant = parseInstant(text);
  if (!instant) {
    throw queryProblem(
      'calibration_end',
      'instant',
      'not an ISO-8601 date (2025-03-01) or date-time with an offset (2025-03-01T10:00:00Z)',
      text,
    );
  }
  if (instant.getTime() > Date.now()) {
    throw queryProblem('calibration_end', 'not_future', 'must not be in the future', text);
  }
  return instant;
}

function requested(q: {
  calibration_end?: string | undefined;
  horizon_months: number;
  discount_monthly: number;
  time_unit: TimeUnit;
}): Requested {
  return {
    calibrationEnd: q.calibration_end === undefined ? null : givenCalibrationEnd(q.calibration_end),
    horizonMonths: q.horizon_months,
    discountMonthly: q.discount_monthly,
    unit: q.time_unit,
    grossMargin: DEFAULT_CONFIG.gross_margin,
  };
}

/** Names and segments of the page's accounts. */
async function names(
  store: Store,
  ids: readonly string[],
): Promise<Map<string, { name: string | null; segment: string | null }>> {
  if (ids.length === 0) return new Map();
  const params = new Params();
  const rows = await store.query<{ account_id: string; name: string | null; segment: string | null }>(
    `SELECT account_id, name, segment FROM accounts WHERE account_id IN (${params.addAll(ids)})`,
    params.values,
  );
  return new Map(rows.map((r) => [r.account_id, { name: r.name, segment: r.segment }]));
}

/** The settings a fit was made with, and how fresh it is. */
function settingsFields({ value: fit, computedAt, stale }: Revalidated<Fitted>) {
  const s = fit.settings;
  return {
    computed_at: computedAt.toISOString(),
    stale,
    calibration_end: s.calibrationEnd.toISOString(),
    horizon_months: s.horizonMonths,
    discount_monthly: s.discountMonthly,
    time_unit: s.unit,
    gross_margin: s.grossMargin,
    currency: fit.currency,
  };
}

/** A cursor is the position after the page, bound to its sort and segment (rows are in a fixed order per data version). */
function encodeCursor(sort: string, segment: string | undefined, offset: number): string {
  return Buffer.from(JSON.stringify(['clv', sort, segment ?? null, offset])).toString('base64url');
}

function decodeCursor(text: string, sort: string, segment: string | undefined): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 4 &&
    parsed[0] === 'clv' &&
    parsed[1] === sort &&
    parsed[2] === (segment ?? null) &&
    Number.isInteger(parsed[3]) &&
    (parsed[3] as number) >= 0
  ) {
    return parsed[3] as number;
  }
  throw queryProblem(
    'cursor',
    'invalid_cursor',
    'not a cursor of this list, sort and segment; pass the `next` of the previous page with the same sort',
  );
}

export function registerClvRoutes(app: FastifyInstance, hub: WorkspaceHub): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/clv',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['insight'],
        summary:
          'Predictive CLV per account (BG/NBD + Gamma-Gamma on payments): the model, a summary, deciles and a sorted page',
        querystring: clvQuery,
        response: { 200: clvAnswer },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.cursor !== undefined && q.offset !== undefined) {
        throw queryProblem('cursor', 'cursor_and_offset', 'give cursor or offset, not both');
      }
      const asked = requested(q);
      const runtime = await hub.runtime(principal(request).workspace);
      const answer = await fitted(runtime, asked, app.log);
      const fit = answer.value;
      if (!isFitted(fit)) {
        return {
          ...settingsFields(answer),
          not_enough_data: fit.notEnough,
          model: null,
          segment: q.segment ?? null,
          summary: null,
          deciles: [],
          sort: q.sort,
          items: [],
          total: 0,
          next: null,
        };
      }
      const shown = await view(runtime, fit, q.sort, q.segment);
      const start = q.cursor !== undefined ? decodeCursor(q.cursor, q.sort, q.segment) : (q.offset ?? 0);
      const end = Math.min(start + q.limit, shown.order.length);
      const page = Array.from(shown.order.subarray(Math.min(start, end), end));
      const about = await names(
        runtime.reader,
        page.map((i) => fit.accounts.ids[i]!),
      );
      return {
        ...settingsFields(answer),
        not_enough_data: null,
        model: fit.model,
        segment: q.segment ?? null,
        summary: shown.summary,
        deciles: shown.deciles,
        sort: q.sort,
        items: page.map((i) => row(fit.accounts, i, about.get(fit.accounts.ids[i]!))),
        total: shown.order.length,
        next: end < shown.order.length ? encodeCursor(q.sort, q.segment, end) : null,
      };
    },
  );
  typed.get(
    '/api/v1/accounts/:id/clv',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['insight'],
        summary: "One account's predicted purchases, spend, P(alive) and CLV, with the model",
        params: z.object({ id: idText }),
        querystring: z.strictObject(settingsShape),
        response: { 200: accountClvAnswer },
      },
    },
    async (request) => {
      const id = request.params.id;
      const asked = requested(request.query);
      const runtime = await hub.runtime(principal(request).workspace);
      const about = await names(runtime.reader, [id]);
      if (!about.has(id)) {
        throw new HttpProblem(404, 'unknown_account', `no account ${JSON.stringify(id)} in this workspace`);
      }
      const answer = await fitted(runtime, asked, app.log);
      const fit = answer.value;
      if (!isFitted(fit)) {
        return { ...settingsFields(answer), not_enough_data: fit.notEnough, model: null, account: null };
      }
      const index = fit.accounts.ids.indexOf(id);
      if (index < 0) {
        throw new HttpProblem(
          404,
          'no_clv',
          `account ${JSON.stringify(id)} has no payment at or before ${fit.settings.calibrationEnd.toISOString()}: the models say nothing about it`,
        );
      }
      return {
        ...settingsFields(answer),
        not_enough_data: null,
        model: fit.model,
        account: row(fit.accounts, index, about.get(id)),
      };
    },
  );
}
