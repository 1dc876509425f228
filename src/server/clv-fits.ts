// The predictive-CLV fits the API answers from (routes/clv.ts): one per workspace and settings, kept as columns
// with the workspace's other cached results, stale-while-revalidate (runtime.revalidating): after a write the
// last fit is answered at once, marked stale, while one background refit replaces it; only the first request
// for a setting waits. Each fit also keeps its views: the accounts of a segment in a sort's order, with their
// summary and CLV deciles.
import type { FastifyBaseLogger } from 'fastify';
import { readClvInputs, type TimeUnit } from '../insight/clv/clv-inputs.js';
import { gammaGammaLogLikelihood } from '../insight/clv/gamma-gamma.js';
import {
  type AccountClv,
  type ClvResult,
  MIN_REPEAT_BUYERS,
  NotEnoughDataError,
  predictClv,
} from '../insight/clv/predict.js';
import { storeCurrency } from '../kpi/store-facts.js';
import type { Revalidated, WorkspaceRuntime } from './hub.js';

const DAY_MS = 86_400_000;

/** The fields a page can be sorted by; empty (non-finite) values last in both directions, then the id. */
export const SORTS = [
  'clv',
  'p_alive',
  'expected_purchases',
  'expected_spend',
  'frequency',
  'recency',
  'T',
  'account_id',
] as const;
export type SortName = (typeof SORTS)[number];

export type Settings = {
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
export interface Columns {
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

export interface Fitted {
  settings: Settings;
  /** this fit's views by sort and segment, computed once each (they live and die with the fit) */
  views: Map<string, Promise<View>>;
  currency: string | null;
  /** null when the models cannot be fitted (then notEnough says why) */
  accounts: Columns | null;
  model: ClvModel | null;
  notEnough: NotEnoughData | null;
}

export type FittedModel = Fitted & { accounts: Columns; model: ClvModel };

export interface ClvModel {
  bgnbd: { r: number; alpha: number; a: number; b: number; log_likelihood: number; accounts: number };
  gamma_gamma: { p: number; q: number; gamma: number; log_likelihood: number | null; repeat_buyers: number };
}

export interface NotEnoughData {
  code: 'too_few_repeat_buyers';
  message: string;
  repeat_buyers: number;
  minimum: number;
}

export interface View {
  /** indices into the fit's accounts in the page order */
  order: Int32Array;
  summary: {
    accounts: number;
    total_clv: number;
    mean_clv: number | null;
    without_clv: number;
    expected_purchases: number;
    likely_lost: number;
    likely_lost_share: number | null;
  };
  deciles: { decile: number; accounts: number; clv: number; share: number | null }[];
}

/** Views kept per fit (sorts × segments asked); past it they are dropped and recomputed when asked. */
const VIEWS_PER_FIT = 8;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

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
export type Requested = Omit<Settings, 'calibrationEnd'> & { calibrationEnd: Date | null };

/**
 * Keyed by the settings as asked: the default calibration end is one key, so when it moves on (a payment on a
 * new day) the last fit is still answered, stale, while the refit uses the new default.
 */
const fitKey = (s: Requested) =>
  `clv:fit:${JSON.stringify([s.calibrationEnd?.toISOString() ?? 'default', s.horizonMonths, s.discountMonthly, s.unit, s.grossMargin])}`;

export const isFitted = (fit: Fitted): fit is FittedModel => fit.accounts !== null && fit.model !== null;

/**
 * The fit for the settings, stale-while-revalidate: the first request waits for it; after a write the last
 * fit is answered (stale) while one background refit replaces it (a failed refit is logged and the last fit
 * kept). Not being able to fit is an answer too.
 */
export function fitted(
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
export function view(
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

/** Account i of a fit as the API shows it (numbers that are not finite as null). */
export function row(
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
