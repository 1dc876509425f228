import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CalendarKind,
  type EmployeeCount,
  EmployeeDisclosure,
  periodWithheld,
} from './employee-disclosure.js';

const at = (text: string) => new Date(`${text}T00:00:00Z`);
const period = (start: string, end: string) => ({ start: at(start), end: at(end) });

describe('periodWithheld', () => {
  const now = at('2025-05-10');
  it('allows whole UTC months, quarters and years that have ended', () => {
    expect(periodWithheld(period('2025-01-01', '2025-02-01'), 'month', 'UTC', now)).toBeNull();
    expect(periodWithheld(period('2025-01-01', '2025-04-01'), 'quarter', 'UTC', now)).toBeNull();
    expect(periodWithheld(period('2024-01-01', '2025-01-01'), 'year', 'UTC', now)).toBeNull();
    expect(periodWithheld(period('2025-04-01', '2025-05-01'), 'month', 'UTC', at('2025-05-01'))).toBeNull();
  });

  it('refuses weeks, days, clipped periods and other time zones', () => {
    expect(periodWithheld(period('2025-01-06', '2025-01-13'), 'week', 'UTC', now)).toBe(
      'not_calendar_period',
    );
    expect(periodWithheld(period('2025-01-06', '2025-01-07'), 'day', 'UTC', now)).toBe('not_calendar_period');
    expect(periodWithheld(period('2025-01-15', '2025-02-01'), 'month', 'UTC', now)).toBe(
      'not_calendar_period',
    );
    expect(periodWithheld(period('2025-02-01', '2025-05-01'), 'quarter', 'UTC', now)).toBe(
      'not_calendar_period',
    );
    const rome = { start: new Date('2024-12-31T23:00:00Z'), end: new Date('2025-01-31T23:00:00Z') };
    expect(periodWithheld(rome, 'month', 'Europe/Rome', now)).toBe('not_calendar_period');
  });

  it('refuses a period that has not ended', () => {
    expect(periodWithheld(period('2025-05-01', '2025-06-01'), 'month', 'UTC', now)).toBe('period_not_ended');
    expect(periodWithheld(period('2025-04-01', '2025-07-01'), 'quarter', 'UTC', now)).toBe(
      'period_not_ended',
    );
  });
});

/** Counts of one source: [month, team, answers] rows, each answer with an eNPS score. */
function enpsRows(survey: string | null, rows: [number, string | null, number][]): EmployeeCount[] {
  return rows.flatMap(([month, team, n]) =>
    (survey === null ? (['enps'] as const) : (['answers', 'started', 'enps'] as const)).map((measure) => ({
      year: 2025,
      month,
      team,
      survey,
      measure,
      n,
    })),
  );
}

const shown = (
  d: EmployeeDisclosure,
  kind: CalendarKind,
  start: string,
  team: string | null,
  survey: string | null = null,
) => d.decision(kind, at(start), team, survey);

describe('EmployeeDisclosure', () => {
  // Q1 2025: team a gives 3 answers in January, b and c 6 each month.
  const q1 = enpsRows(null, [
    [1, 'a', 3],
    [1, 'b', 6],
    [1, 'c', 6],
    [2, 'b', 6],
    [2, 'c', 6],
    [3, 'b', 6],
    [3, 'c', 6],
  ]);

  it('hides a small team, a complement in its month, and what its quarter and year would give back', () => {
    const d = new EmployeeDisclosure(q1, { years: [2025], now: at('2026-01-01'), minimum: 5 });
    expect(shown(d, 'month', '2025-01-01', 'a')).toEqual({ shown: false, code: 'small_group' });
    // January: 15 = a 3 + b 6 + c 6 → b (smallest, then by name) hidden with a; the company stays (15).
    expect(shown(d, 'month', '2025-01-01', 'b')).toEqual({ shown: false, code: 'complementary' });
    expect(shown(d, 'month', '2025-01-01', 'c')).toEqual({ shown: true, answers: 6 });
    expect(shown(d, 'month', '2025-01-01', null)).toEqual({ shown: true, answers: 15 });
    // Team a's quarter and year equal its January: hidden. Team b's quarter would give b's January back: the
    // cell ending last (March) is hidden, and then c's March too, or March's company total gives it back.
    expect(shown(d, 'quarter', '2025-01-01', 'a').shown).toBe(false);
    expect(shown(d, 'year', '2025-01-01', 'a').shown).toBe(false);
    expect(shown(d, 'month', '2025-02-01', 'b')).toEqual({ shown: true, answers: 6 });
    expect(shown(d, 'quarter', '2025-01-01', null)).toEqual({ shown: true, answers: 39 });
  });

  it('decides a month the same way before and after its quarter ends', () => {
    const early = new EmployeeDisclosure(q1, { years: [2025], now: at('2025-02-01'), minimum: 5 });
    const late = new EmployeeDisclosure(q1, { years: [2025], now: at('2026-01-01'), minimum: 5 });
    for (const team of [null, 'a', 'b', 'c']) {
      expect(shown(early, 'month', '2025-01-01', team)).toEqual(shown(late, 'month', '2025-01-01', team));
    }
    expect(shown(early, 'quarter', '2025-01-01', null)).toEqual({ shown: false, code: 'period_not_ended' });
  });

  it('treats each anonymous survey as a part of the report: total − survey A must not give survey B', () => {
    // January: survey s1 has 6 eNPS answers, s2 3; the report's company eNPS has those 9.
    const counts = [
      ...enpsRows(null, [[1, null, 9]]),
      ...enpsRows('s1', [[1, null, 6]]),
      ...enpsRows('s2', [[1, null, 3]]),
    ];
    const d = new EmployeeDisclosure(counts, { years: [2025], now: at('2026-01-01'), minimum: 5 });
    expect(shown(d, 'month', '2025-01-01', null, 's2')).toEqual({ shown: false, code: 'small_group' });
    expect(shown(d, 'month', '2025-01-01', null, 's1')).toEqual({ shown: false, code: 'complementary' });
    expect(shown(d, 'month', '2025-01-01', null)).toEqual({ shown: true, answers: 9 });
  });

  it('shows empty cells as 0 answers', () => {
    const d = new EmployeeDisclosure([], { years: [2025], now: at('2026-01-01'), minimum: 5 });
    expect(shown(d, 'year', '2025-01-01', 'nobody', 'no-survey')).toEqual({ shown: true, answers: 0 });
  });
});

// Property: random answers of three teams (and some without a team) to two anonymous surveys and imported eNPS
// answers, over a year, at a random "now". Whatever is shown, no hidden cell can be worked out from it.
const TEAMS = ['a', 'b', 'c', null] as const;
const SOURCES = ['s1', 's2', null] as const; // null: eNPS answers of no survey (imports)
const KINDS: [CalendarKind, number][] = [
  ['year', 12],
  ['quarter', 3],
  ['month', 1],
];

/** Base cells a reader cannot split further: (month, team or none, source). */
const baseIndex = (month: number, team: number, source: number) =>
  (month * TEAMS.length + team) * SOURCES.length + source;
const BASE = 12 * TEAMS.length * SOURCES.length;

/**
 * Test oracle: which vectors over base cells lie in the span of the shown ones (Gaussian elimination modulo the
 * prime 1 000 003, exact for these 0/1 rows), i.e. which sums a reader can compute from what is shown.
 */
class Span {
  private static readonly P = 1_000_003;
  private readonly rows: { pivot: number; row: number[] }[] = [];

  add(vector: number[]): void {
    const row = this.reduce(vector);
    const pivot = row.findIndex((v) => v !== 0);
    if (pivot < 0) return;
    const inverse = modPower(row[pivot]!, Span.P - 2, Span.P);
    this.rows.push({ pivot, row: row.map((v) => (v * inverse) % Span.P) });
  }

  contains(vector: number[]): boolean {
    return this.reduce(vector).every((v) => v === 0);
  }

  private reduce(vector: number[]): number[] {
    const row = vector.map((v) => ((v % Span.P) + Span.P) % Span.P);
    for (const { pivot, row: basis } of this.rows) {
      const f = row[pivot]!;
      if (f === 0) continue;
      for (let i = 0; i < row.length; i++) row[i] = (((row[i]! - f * basis[i]!) % Span.P) + Span.P) % Span.P;
    }
    return row;
  }
}

function modPower(base: number, exponent: number, m: number): number {
  let result = 1;
  let b = base % m;
  for (let e = exponent; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = Number((BigInt(result) * BigInt(b)) % BigInt(m));
    b = Number((BigInt(b) * BigInt(b)) % BigInt(m));
  }
  return result;
}

/** Counts of the base cells, in the order of `baseIndex`. */
function countsOf(base: readonly number[]): EmployeeCount[] {
  const counts: EmployeeCount[] = [];
  base.forEach((n, i) => {
    if (n === 0) return;
    const source = SOURCES[i % SOURCES.length]!;
    const team = TEAMS[Math.floor(i / SOURCES.length) % TEAMS.length]!;
    const month = Math.floor(i / SOURCES.length / TEAMS.length) + 1;
    counts.push({ year: 2025, month, team, survey: null, measure: 'enps', n });
    if (source === null) return;
    for (const measure of ['answers', 'started', 'enps'] as const) {
      counts.push({ year: 2025, month, team, survey: source, measure, n });
    }
  });
  return counts;
}

/** Every published cell of 2025: its kind, first month (0–11), team, survey, and base cells as a 0/1 vector. */
const PUBLISHED = KINDS.flatMap(([kind, length]) =>
  Array.from({ length: 12 / length }, (_, k) => k * length).flatMap((first) =>
    [null, 'a', 'b', 'c'].flatMap((team) =>
      [null, 's1', 's2'].map((survey) => {
        const vector = new Array<number>(BASE).fill(0);
        for (let m = first; m < first + length; m++) {
          TEAMS.forEach((t, ti) => {
            if (team !== null && t !== team) return;
            SOURCES.forEach((s, si) => {
              if (survey === null || s === survey) vector[baseIndex(m, ti, si)] = 1;
            });
          });
        }
        return { kind, start: new Date(Date.UTC(2025, first, 1)), end: first + length, team, survey, vector };
      }),
    ),
  ),
);

describe('EmployeeDisclosure, properties', () => {
  // Mostly empty or safe cells, so that few are hidden and subtraction has much to work with.
  const count = fc.oneof(
    { arbitrary: fc.constant(0), weight: 4 },
    { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 },
    { arbitrary: fc.integer({ min: 5, max: 9 }), weight: 4 },
  );
  const year = fc.array(count, { minLength: BASE, maxLength: BASE });
  const disclose = (base: readonly number[], months: number) =>
    new EmployeeDisclosure(countsOf(base), {
      years: [2025],
      now: new Date(Date.UTC(2025, months, 1)),
      minimum: 5,
    });

  it('shows nothing from which a hidden cell can be worked out, and no group of 1–4 answers', () => {
    fc.assert(
      fc.property(year, fc.integer({ min: 0, max: 12 }), (base, ended) => {
        const d = disclose(base, ended);
        const span = new Span();
        // Readers are taken to know which groups never shown on their own are empty (answers without a team,
        // eNPS answers of no survey), and which months have not ended.
        base.forEach((n, i) => {
          const unshown =
            i % SOURCES.length === SOURCES.length - 1 ||
            Math.floor(i / SOURCES.length) % TEAMS.length === TEAMS.length - 1 ||
            Math.floor(i / SOURCES.length / TEAMS.length) >= ended;
          if (n === 0 && unshown) span.add(base.map((_, j) => (j === i ? 1 : 0)));
        });
        const hidden: number[][] = [];
        for (const cell of PUBLISHED) {
          const answers = cell.vector.reduce((sum, v, i) => sum + v * base[i]!, 0);
          const decision = d.decision(cell.kind, cell.start, cell.team, cell.survey);
          if (decision.shown) {
            expect(decision.answers).toBe(answers);
            span.add(cell.vector);
          } else if (decision.code !== 'period_not_ended') {
            hidden.push(cell.vector);
          }
          if (answers > 0 && answers < 5) expect(decision.shown).toBe(false);
        }
        for (const vector of hidden) expect(span.contains(vector)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('never changes a decision once its period has ended, so what was shown stays shown', () => {
    fc.assert(
      fc.property(
        year,
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 12 }),
        (base, early, later) => {
          const before = disclose(base, early);
          const after = disclose(base, early + (later % (13 - early)));
          for (const cell of PUBLISHED.filter((c) => c.end <= early)) {
            const decide = (d: EmployeeDisclosure) =>
              d.decision(cell.kind, cell.start, cell.team, cell.survey);
            expect(decide(after)).toEqual(decide(before));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
