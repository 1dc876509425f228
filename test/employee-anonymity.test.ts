// The differencing attack on employee answers, end to end through the HTTP API: every report (month, quarter,
// year; company or by team) and every survey results view (both anonymous surveys, each period kind, with and
// without teams) is fetched, and an independent oracle — linear algebra over what was shown, not the code under
// test — checks that no withheld number can be computed from the shown ones.
//
// Data (2025, anonymous eNPS surveys "pulse" and "pulse2"; teams a, b, c):
//   pulse  January: a 3 answers (scores 0 0 1, comments "secret-a-0…2"), b 6, c 6; February and March: a, b, c 6 each.
//   pulse2 February: b 3, c 6.
//   pulse  the current month (today's clock): b 6 — not over, so never shown.
// Attacks that would work without complementary suppression: Q1(a) − Feb(a) − Mar(a) = Jan(a);
// Jan − Jan(b) − Jan(c) = Jan(a); report Feb(b) − pulse Feb(b) = pulse2 Feb(b) (3 answers).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { type Store, sqlTimestamp } from '../src/store/store.js';
import type { Survey } from '../src/surveys/survey.js';
import { createSurvey } from '../src/surveys/survey-store.js';

let hub: WorkspaceHub;
let app: FastifyInstance;
let headers: Record<string, string>;

const TEAMS = ['a', 'b', 'c'];
const SURVEYS = ['pulse', 'pulse2'];
const now = new Date();
const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));

function survey(id: string): Survey {
  return {
    survey_id: id,
    public_id: `pub_${id}`,
    name: id,
    template: 'enps',
    audience: 'employees',
    anonymous: true,
    default_locale: 'en',
    questions: [
      { id: 'score', type: 'nps', text: { en: 'Recommend us?' }, required: true, metric: 'enps' },
      { id: 'reason', type: 'text', text: { en: 'Why?' }, required: false, comment_for: 'score' },
    ],
    channels: ['link'],
    audience_filter: {},
    schedule: null,
    reminders: { count: 0, after_days: [] },
    status: 'active',
    created_at: '2025-01-01T00:00:00.000Z',
    created_by: null,
    updated_at: '2025-01-01T00:00:00.000Z',
  };
}

let serial = 0;
/** `scores.length` anonymous answers of `team` on `day`, stored as the recording code stores them. */
async function answers(
  store: Store,
  surveyId: string,
  day: Date,
  team: string,
  scores: number[],
  comment?: string,
) {
  const at = sqlTimestamp(day);
  for (const [i, score] of scores.entries()) {
    serial += 1;
    const id = `ans_${serial}`;
    const reason = comment ? `${comment}-${i}` : `fine-${serial}`;
    await store.run(
      `INSERT INTO survey_answers (answer_id, survey_id, channel, team, locale, started_at, updated_at, completed_at,
         answers) VALUES ($1, $2, 'email', $3, 'en', ${at}, ${at}, ${at}, $4)`,
      [id, surveyId, team, JSON.stringify({ score, reason })],
    );
    await store.run(
      `INSERT INTO responses (response_id, submitted_at, metric, score, comment, locale, team)
       VALUES ($1, ${at}, 'enps', $2, $3, 'en', $4)`,
      [`${id}.score`, score, reason, team],
    );
  }
}

const day = (month: number, date = 10) => new Date(Date.UTC(2025, month - 1, date));
const SIX = [10, 9, 9, 8, 7, 6];

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  const workspace = await hub.tenancy.createWorkspace('acme');
  headers = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['read'])).token}` };
  const runtime = await hub.runtime(workspace);
  await runtime.queue.submitJob(async (store) => {
    for (const id of SURVEYS) await createSurvey(store, survey(id));
    await answers(store, 'pulse', day(1), 'a', [0, 0, 1], 'secret-a');
    for (const team of ['b', 'c']) await answers(store, 'pulse', day(1), team, SIX);
    for (const month of [2, 3])
      for (const team of TEAMS) await answers(store, 'pulse', day(month), team, SIX);
    await answers(store, 'pulse2', day(2, 20), 'b', [9, 3, 10]);
    await answers(store, 'pulse2', day(2, 20), 'c', SIX);
    await answers(store, 'pulse', new Date(Math.max(thisMonth.getTime(), now.getTime() - 60_000)), 'b', SIX);
  });
});

afterAll(async () => {
  await app.close();
  await hub.close();
});

async function get<T>(url: string): Promise<T> {
  const response = await app.inject({ method: 'GET', url, headers });
  expect(response.statusCode, response.body).toBe(200);
  return JSON.parse(response.body) as T;
}

interface ReportRow {
  start: string;
  end: string;
  segment: string | null;
  kpis: Record<string, number | null>;
  suppressed: string[];
}
interface ResultsCell {
  start: string;
  end: string;
  team: string | null;
  answered: number | { suppressed: true; code: string };
  comments: { text: string }[] | { suppressed: true };
}

/** A number readers see or do not see, as a sum of base cells (month × team × survey: 12 × 3 × 2). */
interface Fact {
  label: string;
  vector: number[];
  shown: boolean;
}

const BASE = 12 * TEAMS.length * SURVEYS.length;
function vectorOf(start: string, end: string, team: string | null, surveys: readonly string[]): number[] {
  const vector = new Array<number>(BASE).fill(0);
  for (let m = 0; m < 12; m++) {
    const month = Date.UTC(2025, m, 1);
    if (month < Date.parse(start) || month >= Date.parse(end)) continue;
    TEAMS.forEach((t, ti) => {
      if (team !== null && t !== team) return;
      SURVEYS.forEach((s, si) => {
        if (surveys.includes(s)) vector[(m * TEAMS.length + ti) * SURVEYS.length + si] = 1;
      });
    });
  }
  return vector;
}

/**
 * The oracle: vectors in the span of the shown ones are sums a reader can compute (Gaussian elimination over
 * the integers modulo the prime 1 000 003, exact for these 0/1 vectors).
 */
class Span {
  private static readonly P = 1_000_003;
  private readonly rows: { pivot: number; row: number[] }[] = [];

  add(vector: number[]): void {
    const row = this.reduce(vector);
    const pivot = row.findIndex((v) => v !== 0);
    if (pivot < 0) return;
    let inverse = 1;
    for (let e = Span.P - 2, b = row[pivot]!; e > 0; e = Math.floor(e / 2), b = (b * b) % Span.P) {
      if (e % 2 === 1) inverse = (inverse * b) % Span.P;
    }
    this.rows.push({ pivot, row: row.map((v) => (v * inverse) % Span.P) });
  }

  contains(vector: number[]): boolean {
    return this.reduce(vector).every((v) => v === 0);
  }

  private reduce(vector: number[]): number[] {
    const row = vector.map((v) => ((v % Span.P) + Span.P) % Span.P);
    for (const { pivot, row: basis } of this.rows) {
      const f = row[pivot]!;
      if (f !== 0)
        for (let i = 0; i < row.length; i++)
          row[i] = (((row[i]! - f * basis[i]!) % Span.P) + Span.P) % Span.P;
    }
    return row;
  }
}

const YEAR = 'from=2025-01-01&to=2026-01-01';
const AS_OF = 'as_of=2026-01-01T00:00:00Z';
const KINDS = ['month', 'quarter', 'year'] as const;

async function reportFacts(): Promise<Fact[]> {
  const facts: Fact[] = [];
  for (const period of KINDS) {
    for (const segment of ['', '&segment_by=team']) {
      const report = await get<{ rows: ReportRow[] }>(
        `/api/v1/report?${YEAR}&period=${period}${segment}&${AS_OF}`,
      );
      for (const row of report.rows) {
        facts.push({
          label: `report ${period} ${row.start.slice(0, 10)} ${row.segment ?? 'company'}`,
          vector: vectorOf(row.start, row.end, row.segment, SURVEYS),
          shown: !row.suppressed.includes('enps'),
        });
      }
    }
  }
  return facts;
}

async function resultsFacts(): Promise<Fact[]> {
  const facts: Fact[] = [];
  for (const id of SURVEYS) {
    for (const period of KINDS) {
      for (const team of ['false', 'true']) {
        const results = await get<{ periods: ResultsCell[] }>(
          `/api/v1/surveys/${id}/results?${YEAR}&period=${period}&team=${team}`,
        );
        for (const cell of results.periods) {
          facts.push({
            label: `${id} ${period} ${cell.start.slice(0, 10)} ${cell.team ?? 'company'}`,
            vector: vectorOf(cell.start, cell.end, cell.team, [id]),
            shown: typeof cell.answered === 'number',
          });
        }
      }
    }
  }
  return facts;
}

describe('employee answers cannot be worked out by subtraction', () => {
  test('no withheld count of any report or survey view follows from all the shown ones together', async () => {
    const facts = [...(await reportFacts()), ...(await resultsFacts())];
    const span = new Span();
    for (const fact of facts) if (fact.shown) span.add(fact.vector);
    const computable = facts.filter((f) => !f.shown && span.contains(f.vector)).map((f) => f.label);
    expect(computable).toEqual([]);
    // The small groups are withheld wherever they appear…
    const shown = (label: string) => facts.find((f) => f.label === label)?.shown;
    expect(shown('report month 2025-01-01 a')).toBe(false);
    expect(shown('pulse month 2025-01-01 a')).toBe(false);
    expect(shown('pulse2 month 2025-02-01 b')).toBe(false);
    // …and each attack of the header is missing a piece.
    expect(
      ['report quarter 2025-01-01 a', 'report month 2025-02-01 a', 'report month 2025-03-01 a'].every(shown),
    ).toBe(false);
    expect(
      ['report month 2025-01-01 company', 'report month 2025-01-01 b', 'report month 2025-01-01 c'].every(
        shown,
      ),
    ).toBe(false);
    expect(['report month 2025-02-01 b', 'pulse month 2025-02-01 b'].every(shown)).toBe(false);
    // The oracle is not blind: with every cell shown, Jan(a) would follow (Q1(a) − Feb(a) − Mar(a)).
    const everything = new Span();
    for (const fact of facts) everything.add(fact.vector);
    expect(everything.contains(vectorOf('2025-01-01', '2025-02-01', 'a', SURVEYS))).toBe(true);
  });

  test('weeks, days, clipped periods and other time zones show no eNPS', async () => {
    const weeks = await get<{ rows: ReportRow[] }>(
      `/api/v1/report?from=2025-01-06&to=2025-03-03&period=week&segment_by=team&${AS_OF}`,
    );
    expect(weeks.rows.every((r) => r.kpis.enps === null)).toBe(true);
    expect(weeks.rows.filter((r) => r.suppressed.includes('enps')).length).toBeGreaterThan(0);
    const days = await get<{ rows: ReportRow[] }>(
      `/api/v1/report?from=2025-01-10&to=2025-01-11&period=day&${AS_OF}`,
    );
    expect(days.rows[0]).toMatchObject({ kpis: { enps: null }, suppressed: ['enps'] });
    const clipped = await get<{ rows: ReportRow[] }>(`/api/v1/report?from=2025-01-05&to=2025-03-01&${AS_OF}`);
    expect(clipped.rows.map((r) => r.kpis.enps === null)).toEqual([true, false]);
    const rome = await get<{ rows: ReportRow[] }>(`/api/v1/report?${YEAR}&tz=Europe/Rome&${AS_OF}`);
    expect(rome.rows.every((r) => r.kpis.enps === null)).toBe(true);
  });

  test('the current month shows nothing, even with an as_of in the future', async () => {
    const range = `from=${thisMonth.toISOString().slice(0, 10)}&to=${nextMonth.toISOString().slice(0, 10)}`;
    for (const asOf of ['', '&as_of=2099-01-01']) {
      const report = await get<{ rows: ReportRow[] }>(`/api/v1/report?${range}&segment_by=team${asOf}`);
      expect(report.rows.find((r) => r.segment === null)).toMatchObject({
        kpis: { enps: null },
        suppressed: ['enps'],
      });
    }
    const results = await get<{ periods: ResultsCell[] }>(`/api/v1/surveys/pulse/results?${range}`);
    expect(results.periods[0]!.answered).toMatchObject({ suppressed: true, code: 'period_not_ended' });
  });

  test('comments of withheld cells are listed nowhere but among a shown group of at least 5', async () => {
    const results = await get<{ periods: ResultsCell[] }>(`/api/v1/surveys/pulse/results?${YEAR}&team=true`);
    const listed = (cell: ResultsCell) =>
      Array.isArray(cell.comments) ? cell.comments.map((c) => c.text) : null;
    for (const cell of results.periods) {
      const texts = listed(cell);
      if (texts === null || texts.length === 0) continue;
      expect(typeof cell.answered === 'number' && cell.answered >= 5).toBe(true);
      // A team's list never holds a's January comments (its own cell is withheld).
      if (cell.team !== null) expect(texts.filter((t) => t.startsWith('secret-a'))).toEqual([]);
    }
    const aJanuary = results.periods.find((p) => p.team === 'a' && p.start.startsWith('2025-01'))!;
    expect(aJanuary.comments).toMatchObject({ suppressed: true, code: 'small_group' });
    // GET /api/v1/responses never lists employee answers, whatever the filter or format.
    for (const query of ['', '?q=secret', '?locale=en&limit=500', '?format=csv']) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/responses${query}`, headers });
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain('secret-a');
    }
    const refused = await app.inject({ method: 'GET', url: '/api/v1/responses?metric=enps', headers });
    expect(refused.statusCode).toBe(400);
  });
});
