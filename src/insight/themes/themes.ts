// Feedback themes of a store: customer comments are read (never employee answers: KPI-SPEC §5), themes are
// extracted in TypeScript, each comment's themes are staged in a temporary table, and SQL counts mentions by
// NPS and CSAT group, the MRR and churn of mentioning accounts, and mentions by month; stats.ts finalises.
import type { Row, Store } from '../../store/store.js';
import { type ExtractedTheme, extractThemes } from './extract.js';
import type { LanguageSource } from './language.js';
import { type LiftTest, liftTest, percent } from './stats.js';
import type { ThemeLanguage } from './text.js';

/** Customer metrics whose comments are analysed; enps (employees, anonymous) never is. */
export const THEME_METRICS = ['nps', 'csat', 'ces', 'fcr'] as const;
export const DEFAULT_MIN_MENTIONS = 5;
const EXAMPLES = 3;

export interface ThemesRequest {
  /** Comments submitted at or after this instant (none: from the first). */
  from?: Date;
  /** …and before this one (none: to the last). */
  to?: Date;
  minMentions?: number;
  /** The instant current MRR and churn are read at (default: now). */
  asOf?: Date;
}

export interface ThemeComment {
  response_id: string;
  submitted_at: string;
  metric: string;
  score: number;
  account_id: string | null;
  comment: string;
  locale: string | null;
  language: ThemeLanguage | null;
  language_source: LanguageSource;
}

export interface ThemeStats {
  id: string;
  name: string;
  seed: string | null;
  terms: string[];
  mentions: number;
  /** Percent of analysed comments that mention it. */
  share: number | null;
  languages: Record<ThemeLanguage, number>;
  nps: {
    promoters: number;
    passives: number;
    detractors: number;
    /** Percent of the group's comments that mention the theme. */
    promoter_share: number | null;
    passive_share: number | null;
    detractor_share: number | null;
  };
  csat: { high: number; low: number; high_share: number | null; low_share: number | null };
  detractor_lift: LiftTest;
  accounts: { count: number; mrr: number; churned: number; churn_pct: number | null };
  trend: { period: string; mentions: number; comments: number; share: number | null }[];
  example_comment_ids: string[];
}

export interface ThemesReport {
  from: string | null;
  to: string | null;
  as_of: string;
  min_mentions: number;
  /** Customer comments in the range. */
  comments: number;
  /** …of which in English, Italian, French or Malay (the ones analysed). */
  analysed: number;
  languages: Record<ThemeLanguage | 'other', number>;
  totals: { promoters: number; passives: number; detractors: number; csat_high: number; csat_low: number };
  themes: ThemeStats[];
}

export interface ThemesResult {
  report: ThemesReport;
  /** Each theme's comments, newest first. */
  comments: Map<string, ThemeComment[]>;
}

const stamp = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

async function loadComments(store: Store, request: ThemesRequest): Promise<Row[]> {
  const params: unknown[] = [];
  const where = [
    `metric IN (${THEME_METRICS.map((m) => `'${m}'`).join(', ')})`,
    'comment IS NOT NULL',
    "trim(comment) <> ''",
  ];
  if (request.from) {
    params.push(stamp(request.from));
    where.push(`submitted_at >= CAST($${params.length} AS TIMESTAMP)`);
  }
  if (request.to) {
    params.push(stamp(request.to));
    where.push(`submitted_at < CAST($${params.length} AS TIMESTAMP)`);
  }
  return store.query(
    `SELECT response_id, submitted_at, metric, score, account_id, comment, locale FROM responses
     WHERE ${where.join(' AND ')} ORDER BY submitted_at, response_id`,
    params,
  );
}

let stageCounter = 0;
/** Rows per INSERT: each one binds two long texts that SQL splits back into rows. */
const STAGE_BATCH = 50_000;
const SEPARATOR = '\u001f';

/** A temporary table of (response_id, theme): '*' for every analysed comment, then one row per mention. */
async function stage(store: Store, rows: [string, string][]): Promise<string> {
  stageCounter += 1;
  const table = `theme_stage_${process.pid}_${stageCounter}`;
  await store.run(`CREATE TEMP TABLE ${table} (response_id VARCHAR NOT NULL, theme VARCHAR NOT NULL)`);
  // string_to_array and unnest are in both DuckDB and PostgreSQL; two unnests in one select list zip.
  // An id holding the separator (the ASCII unit separator) goes in one row at a time instead.
  const [plain, odd] = [
    rows.filter((r) => !r[0].includes(SEPARATOR)),
    rows.filter((r) => r[0].includes(SEPARATOR)),
  ];
  for (let start = 0; start < plain.length; start += STAGE_BATCH) {
    const batch = plain.slice(start, start + STAGE_BATCH);
    await store.run(
      `INSERT INTO ${table} SELECT unnest(string_to_array($1, chr(31))), unnest(string_to_array($2, chr(31)))`,
      [batch.map((r) => r[0]).join(SEPARATOR), batch.map((r) => r[1]).join(SEPARATOR)],
    );
  }
  for (const row of odd) await store.run(`INSERT INTO ${table} VALUES ($1, $2)`, row);
  return table;
}

function groupCountsSql(table: string): string {
  return `SELECT s.theme,
      count(*) AS mentions,
      count(*) FILTER (WHERE r.metric = 'nps' AND r.score >= 9) AS promoters,
      count(*) FILTER (WHERE r.metric = 'nps' AND r.score BETWEEN 7 AND 8) AS passives,
      count(*) FILTER (WHERE r.metric = 'nps' AND r.score <= 6) AS detractors,
      count(*) FILTER (WHERE r.metric = 'csat' AND r.score >= 4) AS csat_high,
      count(*) FILTER (WHERE r.metric = 'csat' AND r.score <= 3) AS csat_low
    FROM ${table} s JOIN responses r ON r.response_id = s.response_id
    GROUP BY s.theme`;
}

/** Per theme: mentioning accounts, their MRR at as-of, and how many churned after their first mention. */
function accountsSql(table: string): string {
  return `WITH firsts AS (
      SELECT s.theme, r.account_id, min(r.submitted_at) AS first_at
      FROM ${table} s JOIN responses r ON r.response_id = s.response_id
      WHERE r.account_id IS NOT NULL AND s.theme <> '*'
      GROUP BY s.theme, r.account_id),
    latest AS (
      SELECT account_id, new_mrr FROM (
        SELECT account_id, new_mrr,
          row_number() OVER (PARTITION BY account_id ORDER BY effective_at DESC) AS rn
        FROM mrr_movements WHERE effective_at < CAST($1 AS TIMESTAMP)) x
      WHERE rn = 1),
    churned AS (
      SELECT DISTINCT f.theme, f.account_id
      FROM firsts f JOIN mrr_movements m ON m.account_id = f.account_id
      WHERE m.movement = 'churn' AND m.effective_at > f.first_at AND m.effective_at < CAST($1 AS TIMESTAMP))
    SELECT f.theme, count(*) AS accounts, sum(coalesce(l.new_mrr, 0)) AS mrr, count(c.account_id) AS churned
    FROM firsts f
      LEFT JOIN latest l ON l.account_id = f.account_id
      LEFT JOIN churned c ON c.theme = f.theme AND c.account_id = f.account_id
    GROUP BY f.theme`;
}

function trendSql(table: string): string {
  return `SELECT s.theme, date_trunc('month', r.submitted_at) AS month, count(*) AS mentions
    FROM ${table} s JOIN responses r ON r.response_id = s.response_id
    GROUP BY s.theme, date_trunc('month', r.submitted_at)
    ORDER BY month`;
}

const monthOf = (value: unknown) => (value as Date).toISOString().slice(0, 7);

/** The themes of the store's customer comments in the range, with their statistics and their comments. */
export async function computeThemes(store: Store, request: ThemesRequest = {}): Promise<ThemesResult> {
  const minMentions = request.minMentions ?? DEFAULT_MIN_MENTIONS;
  const asOf = request.asOf ?? new Date();
  const rows = await loadComments(store, request);
  const extraction = extractThemes(
    rows.map((r) => ({
      id: String(r.response_id),
      text: String(r.comment),
      locale: r.locale === null || r.locale === undefined ? null : String(r.locale),
    })),
    { minMentions },
  );
  const comments: ThemeComment[] = rows.map((r, i) => ({
    response_id: String(r.response_id),
    submitted_at: (r.submitted_at as Date).toISOString(),
    metric: String(r.metric),
    score: Number(r.score),
    account_id: r.account_id === null || r.account_id === undefined ? null : String(r.account_id),
    comment: String(r.comment),
    locale: r.locale === null || r.locale === undefined ? null : String(r.locale),
    language: extraction.languages[i]!.language,
    language_source: extraction.languages[i]!.source,
  }));
  const staged: [string, string][] = [];
  comments.forEach((c) => {
    if (c.language !== null) staged.push([c.response_id, '*']);
  });
  for (const theme of extraction.themes) {
    for (const i of theme.comments) staged.push([comments[i]!.response_id, theme.id]);
  }
  const table = await stage(store, staged);
  let groups: Row[];
  let accounts: Row[];
  let trend: Row[];
  try {
    groups = await store.query(groupCountsSql(table));
    accounts = await store.query(accountsSql(table), [stamp(asOf)]);
    trend = await store.query(trendSql(table));
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${table}`);
  }
  const byTheme = new Map(groups.map((g) => [String(g.theme), g]));
  const accountsOf = new Map(accounts.map((a) => [String(a.theme), a]));
  const all = byTheme.get('*');
  const totals = {
    promoters: num(all?.promoters),
    passives: num(all?.passives),
    detractors: num(all?.detractors),
    csat_high: num(all?.csat_high),
    csat_low: num(all?.csat_low),
  };
  const monthTotals = new Map<string, number>();
  const monthsOf = new Map<string, Map<string, number>>();
  for (const t of trend) {
    const month = monthOf(t.month);
    const theme = String(t.theme);
    if (theme === '*') monthTotals.set(month, num(t.mentions));
    else {
      const months = monthsOf.get(theme) ?? new Map<string, number>();
      months.set(month, num(t.mentions));
      monthsOf.set(theme, months);
    }
  }
  const months = [...monthTotals.keys()].sort();
  const themeComments = new Map<string, ThemeComment[]>();
  const themes = extraction.themes.map((theme: ExtractedTheme): ThemeStats => {
    const g = byTheme.get(theme.id);
    const a = accountsOf.get(theme.id);
    const counts = {
      promoters: num(g?.promoters),
      passives: num(g?.passives),
      detractors: num(g?.detractors),
      high: num(g?.csat_high),
      low: num(g?.csat_low),
    };
    const mine = theme.comments
      .map((i) => comments[i]!)
      .sort((x, y) =>
        x.submitted_at !== y.submitted_at
          ? x.submitted_at < y.submitted_at
            ? 1
            : -1
          : x.response_id < y.response_id
            ? -1
            : 1,
      );
    themeComments.set(theme.id, mine);
    const accountCount = num(a?.accounts);
    const churned = num(a?.churned);
    const perMonth = monthsOf.get(theme.id) ?? new Map<string, number>();
    return {
      id: theme.id,
      name: theme.name,
      seed: theme.seed,
      terms: theme.terms,
      mentions: theme.mentions,
      share: percent(theme.mentions, extraction.analysed),
      languages: theme.languages,
      nps: {
        promoters: counts.promoters,
        passives: counts.passives,
        detractors: counts.detractors,
        promoter_share: percent(counts.promoters, totals.promoters),
        passive_share: percent(counts.passives, totals.passives),
        detractor_share: percent(counts.detractors, totals.detractors),
      },
      csat: {
        high: counts.high,
        low: counts.low,
        high_share: percent(counts.high, totals.csat_high),
        low_share: percent(counts.low, totals.csat_low),
      },
      detractor_lift: liftTest(
        counts.detractors,
        totals.detractors,
        counts.promoters + counts.passives,
        totals.promoters + totals.passives,
      ),
      accounts: {
        count: accountCount,
        mrr: num(a?.mrr),
        churned,
        churn_pct: percent(churned, accountCount),
      },
      trend: months.map((period) => {
        const mentions = perMonth.get(period) ?? 0;
        const total = monthTotals.get(period) ?? 0;
        return { period, mentions, comments: total, share: percent(mentions, total) };
      }),
      example_comment_ids: mine.slice(0, EXAMPLES).map((c) => c.response_id),
    };
  });
  const languages: Record<ThemeLanguage | 'other', number> = { en: 0, it: 0, fr: 0, ms: 0, other: 0 };
  for (const c of comments) languages[c.language ?? 'other'] += 1;
  return {
    report: {
      from: request.from?.toISOString() ?? null,
      to: request.to?.toISOString() ?? null,
      as_of: asOf.toISOString(),
      min_mentions: minMentions,
      comments: comments.length,
      analysed: extraction.analysed,
      languages,
      totals,
      themes,
    },
    comments: themeComments,
  };
}
