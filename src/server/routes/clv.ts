// Predictive CLV over HTTP (docs/clv.md "In the API and dashboard"): GET /api/v1/clv fits BG/NBD and
// Gamma-Gamma on the payments up to a calibration end (the library of `fidelio clv`) and answers the model,
// a summary, the CLV by decile and a sorted page of accounts; GET /api/v1/accounts/{id}/clv one account's
// row with the model. A fit reads and fits every paying account (6–9 s at a million accounts), so it is kept,
// as columns, with the workspace's other cached results, keyed by its settings, stale-while-revalidate
// (runtime.revalidating): after a write the last fit is answered at once, marked `stale`, while one
// background refit replaces it; only the first request for a setting waits for the fit.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseInstant } from '../../domain/time.js';
import { readClvInputs, type TimeUnit } from '../../insight/clv/clv-inputs.js';
import { gammaGammaLogLikelihood } from '../../insight/clv/gamma-gamma.js';
import {
  type AccountClv,
  type ClvResult,
  MIN_REPEAT_BUYERS,
  NotEnoughDataError,
  predictClv,
} from '../../insight/clv/predict.js';
import { DEFAULT_CONFIG } from '../../kpi/config.js';
import { storeCurrency } from '../../kpi/store-facts.js';
import type { Store } from '../../store/store.js';
import { principal } from '../auth.js';
import type { Revalidated, WorkspaceHub, WorkspaceRuntime } from '../hub.js';
import { idText, MAX_LIMIT, Params, queryProblem } from '../list-paging.js';
import { HttpProblem } from '../problem.js';

const DAY_MS = 86_400_000;
export const MAX_HORIZON_MONTHS = 120;

/** The fields a page can be sorted by; empty (non-finite) values last in both directions, then the id. */
const SORTS = [
  'clv',
  'p_alive',
  'expected_purchases',
  'expected_spend',
  'frequency',
  'recency',
  'T',
  'account_id',
] as const;
type SortName = (typeof SORTS)[number];
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

type Settings = {
  calibrationEnd: Date;
  horizonMonths: number;
  discountMonthly: number;
  unit: TimeUnit;
  grossMargin: number;
};

const NUMERIC = [
  'frequency',
  'recency',
  'T',
  'p_alive',
  'expected_purchases',
  'expected_spend',
  'clv',
] as const;
type Numeric = (typeof NUMERIC)[number];

/** predictClv's accounts as columns: a cached fit of a million accounts then holds tens of MB, not objects. */
interface Columns {
  ids: string[];
  values: Record<Numeric, Float64Array>;
}

function toColumns(accounts: readonly AccountClv[]): Columns {
  const n = accounts.length;
  const values = Object.fromEntries(NUMERIC.map((k) => [k, new Float64Array(n)])) as Columns['values'];
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const a = accounts[i]!;
    ids[i] = a.account_id;
    for (const k of NUMERIC) values[k][i] = a[k];
  }
  return { ids, values };
}

interface Fitted {
  settings: Settings;
  /** this fit's views by sort and segment, computed once each (they live and die with the fit) */
  views: Map<string, Promise<View>>;
  currency: string | null;
  /** null when the models cannot be fitted (then notEnough says why) */
  accounts: Columns | null;
  model: z.infer<typeof modelAnswer> | null;
  notEnough: z.infer<typeof notEnoughData>;
}

type FittedModel = Fitted & { accounts: Columns; model: z.infer<typeof modelAnswer> };

interface View {
  /** indices into the fit's accounts in the page order */
  order: Int32Array;
  summary: NonNullable<z.infer<typeof clvAnswer>['summary']>;
  deciles: z.infer<typeof clvAnswer>['deciles'];
}

/** Views kept per fit (sorts × segments asked); past it they are dropped and recomputed when asked. */
const VIEWS_PER_FIT = 8;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

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

/** The calibration end: given, or 00:00 UTC of the day after the last payment, not later than today's. */
async function calibrationEnd(runtime: WorkspaceRuntime, given: Date | null): Promise<Date> {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  if (given) return given;
  const last = await runtime.cached('clv:last-payment', async () => {
    const rows = await runtime.reader.query<{ last: Date | null }>(
      'SELECT MAX(paid_at) AS last FROM payments',
    );
    return rows[0]?.last ?? null;
  });
  if (!last) return new Date(today);
  return new Date(Math.min(Math.floor(last.getTime() / DAY_MS) * DAY_MS + DAY_MS, today));
}

/** The settings as asked: the calibration end given (checked) or null for the default, resolved when fitting. */
type Requested = Omit<Settings, 'calibrationEnd'> & { calibrationEnd: Date | null };

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

/**
 * Keyed by the settings as asked: the default calibration end is one key, so when it moves on (a payment on a
 * new day) the last fit is still answered, stale, while the refit uses the new default.
 */
const fitKey = (s: Requested) =>
  `clv:fit:${JSON.stringify([s.calibrationEnd?.toISOString() ?? 'default', s.horizonMonths, s.discountMonthly, s.unit, s.grossMargin])}`;

const isFitted = (fit: Fitted): fit is FittedModel => fit.accounts !== null && fit.model !== null;

/**
 * The fit for the settings, stale-while-revalidate: the first request waits for it; after a write the last
 * fit is answered (stale) while one background refit replaces it (a failed refit is logged and the last fit
 * kept). Not being able to fit is an answer too.
 */
function fitted(
  runtime: WorkspaceRuntime,
  asked: Requested,
  log: FastifyBaseLogger,
): Promise<Revalidated<Fitted>> {
  const key = fitKey(asked);
  const onError = (error: unknown) =>
    log.error({ err: error, workspace: runtime.workspace.id, key }, 'CLV refit failed; the last fit is kept');
  return runtime.revalidating(key, () => computeFit(runtime, asked), { onError });
}

async function computeFit(runtime: WorkspaceRuntime, asked: Requested): Promise<Fitted> {
  const settings: Settings = {
    ...asked,
    calibrationEnd: await calibrationEnd(runtime, asked.calibrationEnd),
  };
  const views = new Map<string, Promise<View>>();
  const inputs = await readClvInputs(runtime.reader, settings.calibrationEnd, settings.unit);
  const currency = await storeCurrency(runtime.reader);
  // The repeat buyers the spend model is fitted on (predict.ts: x > 0 and m_x > 0).
  const repeat: number[] = [];
  for (let i = 0; i < inputs.frequency.length; i++) {
    if (inputs.frequency[i]! > 0 && inputs.monetary[i]! > 0) repeat.push(i);
  }
  let result: ClvResult;
  try {
    result = predictClv(inputs, settings);
  } catch (error) {
    if (!(error instanceof NotEnoughDataError)) throw error;
    return {
      settings,
      views,
      currency,
      accounts: null,
      model: null,
      notEnough: {
        code: 'too_few_repeat_buyers' as const,
        message: `cannot fit the CLV models: ${error.message}`,
        repeat_buyers: repeat.length,
        minimum: MIN_REPEAT_BUYERS,
      },
    };
  }
  const gg = result.model.gamma_gamma;
  const ggLogLikelihood = gammaGammaLogLikelihood(gg, {
    frequency: Float64Array.from(repeat, (i) => inputs.frequency[i]!),
    monetary: Float64Array.from(repeat, (i) => inputs.monetary[i]!),
  });
  return {
    settings,
    views,
    currency,
    accounts: toColumns(result.accounts),
    notEnough: null,
    model: {
      bgnbd: { ...result.model.bgnbd, accounts: inputs.accountIds.length },
      gamma_gamma: {
        p: gg.p,
        q: gg.q,
        gamma: gg.gamma,
        log_likelihood: finite(ggLogLikelihood),
        repeat_buyers: repeat.length,
      },
    },
  };
}

/** The ids of a segment's accounts (read when a page filters by segment). */
function segmentIds(runtime: WorkspaceRuntime, segment: string): Promise<Set<string>> {
  return runtime.cached(`clv:segment:${JSON.stringify(segment)}`, async () => {
    const rows = await runtime.reader.query<{ account_id: string }>(
      'SELECT account_id FROM accounts WHERE segment = $1',
      [segment],
    );
    return new Set(rows.map((r) => r.account_id));
  });
}

/**
 * The accounts of a segment (or all) in the sort's order, their summary and CLV deciles: computed once per fit
 * (a stale fit keeps its views; segment membership is read when the view is made).
 */
function view(
  runtime: WorkspaceRuntime,
  fit: FittedModel,
  sort: string,
  segment: string | undefined,
): Promise<View> {
  const key = JSON.stringify([sort, segment ?? null]);
  const hit = fit.views.get(key);
  if (hit) return hit;
  if (fit.views.size >= VIEWS_PER_FIT) fit.views.clear();
  const made = makeView(runtime, fit, sort, segment);
  fit.views.set(key, made);
  made.catch(() => {
    if (fit.views.get(key) === made) fit.views.delete(key);
  });
  return made;
}

async function makeView(
  runtime: WorkspaceRuntime,
  fit: FittedModel,
  sort: string,
  segment: string | undefined,
): Promise<View> {
  const { ids, values } = fit.accounts;
  let chosen: number[];
  if (segment === undefined) chosen = ids.map((_, i) => i);
  else {
    const inSegment = await segmentIds(runtime, segment);
    chosen = [];
    ids.forEach((id, i) => {
      if (inSegment.has(id)) chosen.push(i);
    });
  }
  const descending = sort.startsWith('-');
  const name = (descending ? sort.slice(1) : sort) as SortName;
  const order = Int32Array.from(chosen);
  const byId = (i: number, j: number) => {
    const x = ids[i]!;
    const y = ids[j]!;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  if (name === 'account_id') {
    order.sort((i, j) => (descending ? byId(j, i) : byId(i, j)));
  } else {
    // Numeric keys in one typed array, signed for the direction; non-finite values last either way.
    const keys = new Float64Array(ids.length);
    const column = values[name];
    for (const i of order) {
      const v = column[i]!;
      keys[i] = Number.isFinite(v) ? (descending ? -v : v) : Number.POSITIVE_INFINITY;
    }
    order.sort((i, j) => {
      const x = keys[i]!;
      const y = keys[j]!;
      return x < y ? -1 : x > y ? 1 : byId(i, j);
    });
  }
  // Summary and deciles over the chosen accounts (money sums skip non-finite CLVs).
  const clvs = chosen.map((i) => values.clv[i]!).filter(Number.isFinite);
  clvs.sort((x, y) => y - x);
  const total = clvs.reduce((s, v) => s + v, 0);
  let purchases = 0;
  let lost = 0;
  for (const i of chosen) {
    const expected = values.expected_purchases[i]!;
    if (Number.isFinite(expected)) purchases += expected;
    if (values.p_alive[i]! < 0.5) lost += 1;
  }
  const n = chosen.length;
  const deciles: View['deciles'] = [];
  for (let d = 0; d < 10 && clvs.length > 0; d++) {
    const from = Math.round((d * clvs.length) / 10);
    const to = Math.round(((d + 1) * clvs.length) / 10);
    let sum = 0;
    for (let k = from; k < to; k++) sum += clvs[k]!;
    deciles.push({ decile: d + 1, accounts: to - from, clv: sum, share: total > 0 ? sum / total : null });
  }
  return {
    order,
    summary: {
      accounts: n,
      total_clv: total,
      mean_clv: clvs.length > 0 ? total / clvs.length : null,
      without_clv: n - clvs.length,
      expected_purchases: purchases,
      likely_lost: lost,
      likely_lost_share: n > 0 ? lost / n : null,
    },
    deciles,
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

/** Account i of a fit as the API shows it (numbers that are not finite as null). */
function row(
  { ids, values: v }: Columns,
  i: number,
  about: { name: string | null; segment: string | null } | undefined,
) {
  return {
    account_id: ids[i]!,
    name: about?.name ?? null,
    segment: about?.segment ?? null,
    frequency: v.frequency[i]!,
    recency: v.recency[i]!,
    T: v.T[i]!,
    p_alive: finite(v.p_alive[i]!),
    expected_purchases: finite(v.expected_purchases[i]!),
    expected_spend: finite(v.expected_spend[i]!),
    clv: finite(v.clv[i]!),
  };
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
