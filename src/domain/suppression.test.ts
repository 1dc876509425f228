import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CellFacts, type Relation, suppressLattice } from './suppression.js';

/** One period: a total over segments and the answers without a segment (never shown alone, key '~'). */
function groups(total: number, segments: Record<string, number>, minimum = 5) {
  const remainder = total - Object.values(segments).reduce((s, n) => s + n, 0);
  const cells = new Map<string, CellFacts>([
    ['total', { published: true, end: 0 }],
    ['~', { published: false, end: 0 }],
    ...Object.keys(segments).map((k): [string, CellFacts] => [k, { published: true, end: 0 }]),
  ]);
  const relation = {
    whole: 'total',
    parts: [...Object.keys(segments), '~'],
    counts: [[total, ...Object.values(segments), remainder]],
  };
  return suppressLattice(cells, [relation], minimum);
}
const hidden = (r: ReturnType<typeof suppressLattice>) => [...r.hidden].sort();

/**
 * Test oracle, independent of the code under test: the cells a reader can work out, by Gaussian elimination over
 * the integers modulo a prime. A cell is determined when adding its unknown to the equations leaves the rank of
 * the others unchanged, i.e. its unit vector lies in their row space.
 */
function determined(relations: readonly Relation[], unknown: ReadonlySet<string>): Set<string> {
  const P = 2_147_483_647n;
  const names = [...unknown];
  const rows = relations.map((r) =>
    names.map((name) => BigInt((r.whole === name ? 1 : 0) - r.parts.filter((p) => p === name).length)),
  );
  const rank = (matrix: bigint[][]) => {
    const m = matrix.map((row) => row.map((v) => ((v % P) + P) % P));
    let r = 0;
    for (let c = 0; c < (m[0]?.length ?? 0) && r < m.length; c++) {
      const pivot = m.findIndex((row, i) => i >= r && row[c] !== 0n);
      if (pivot < 0) continue;
      [m[r], m[pivot]] = [m[pivot]!, m[r]!];
      const inverse = power(m[r]![c]!, P - 2n, P);
      m[r] = m[r]!.map((v) => (v * inverse) % P);
      for (let i = 0; i < m.length; i++) {
        if (i === r || m[i]![c] === 0n) continue;
        const f = m[i]![c]!;
        m[i] = m[i]!.map((v, j) => (((v - f * m[r]![j]!) % P) + P) % P);
      }
      r++;
    }
    return r;
  };
  const base = rank(rows);
  return new Set(names.filter((_, i) => rank([...rows, names.map((__, j) => (i === j ? 1n : 0n))]) === base));
}

function power(b: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  let x = b % m;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) result = (result * x) % m;
    x = (x * x) % m;
  }
  return result;
}

describe('suppressLattice on one period (a total and its segments)', () => {
  it('leaves groups of at least 5 answers visible', () => {
    expect(hidden(groups(15, { a: 5, b: 10 }))).toEqual([]);
  });

  it('hides a group under 5 and the smallest other one, so the total cannot reveal it', () => {
    const r = groups(26, { a: 3, b: 8, c: 15 });
    expect(hidden(r)).toEqual(['a', 'b']);
    expect([...r.small]).toEqual(['a']);
  });

  it('needs no second group when answers without a segment already mask the hidden one', () => {
    // total 30 = a 3 + b 20 + 7 answers without a team: subtraction gives a + those 7 together (10 answers).
    expect(hidden(groups(30, { a: 3, b: 20 }))).toEqual(['a']);
  });

  it('hides a second group when the answers without a segment are themselves too few', () => {
    // total 25 = b 20 + c 3 + 2 without a team: subtraction gives c and those 2 together, 5 answers: enough.
    // With only 1 answer without a team, 3 + 1 < 5: b is hidden too.
    expect(hidden(groups(25, { b: 20, c: 3 }))).toEqual(['c']);
    expect(hidden(groups(24, { b: 20, c: 3 }))).toEqual(['b', 'c']);
  });

  it('hides the total when it is under 5, and when nothing else can mask a lone small group', () => {
    expect(hidden(groups(4, {}))).toEqual(['total']);
    expect(hidden(groups(3, { a: 3 }))).toEqual(['a', 'total']);
    // 10 = a 3 + 7 without a team: those 7 mask a. 8 = a 3 + b 5: b is hidden with a.
    expect(hidden(groups(10, { a: 3 }))).toEqual(['a']);
    expect(hidden(groups(8, { a: 3, b: 5 }))).toEqual(['a', 'b']);
  });

  it('treats an empty group as revealing nothing', () => {
    expect(hidden(groups(10, { a: 0, b: 10 }))).toEqual([]);
    expect(hidden(groups(0, {}))).toEqual([]);
  });
});

describe('suppressLattice across periods', () => {
  // A quarter of three months, one team "a" beside the others: month cells m1..m3, quarter q.
  const quarter = (m: [number, number, number], options: { qEnded?: boolean } = {}) => {
    const cells = new Map<string, CellFacts>([
      ['m1', { published: true, end: 1 }],
      ['m2', { published: true, end: 2 }],
      ['m3', { published: true, end: 3 }],
      ['q', { published: options.qEnded ?? true, end: 3 }],
    ]);
    const relation = { whole: 'q', parts: ['m1', 'm2', 'm3'], counts: [[m[0] + m[1] + m[2], ...m]] };
    return suppressLattice(cells, [relation], 5);
  };

  it('hides a complement among the cells that end last, so months once shown stay shown', () => {
    // m1 = 3 is hidden. Before the quarter ends nothing more is needed; once it ends, m3 (ending with it) is
    // hidden rather than m2, which readers saw a month earlier, even though m2 is smaller.
    expect(hidden(quarter([3, 6, 9], { qEnded: false }))).toEqual(['m1']);
    expect(hidden(quarter([3, 6, 9]))).toEqual(['m1', 'm3']);
  });

  it('hides the quarter itself when the last month has no answers', () => {
    expect(hidden(quarter([3, 6, 0]))).toEqual(['m1', 'q']);
  });

  it('checks every measure a sum holds in: eNPS answers can be fewer than answers', () => {
    // Answers 6 + 6 = 12 (fine), but the eNPS question was answered by 2 of the first month's 6: hidden (its
    // eNPS answers are a group of 2), and then the second month too, or the quarter would give it back.
    const cells = new Map<string, CellFacts>([
      ['m1', { published: true, end: 1 }],
      ['m2', { published: true, end: 2 }],
      ['q', { published: true, end: 2 }],
    ]);
    const r = suppressLattice(
      cells,
      [
        {
          whole: 'q',
          parts: ['m1', 'm2'],
          counts: [
            [12, 6, 6],
            [8, 2, 6],
          ],
        },
      ],
      5,
    );
    expect(hidden(r)).toEqual(['m1', 'm2']);
  });

  it('solves the sums together: a cell that no single sum reveals is still protected', () => {
    // Months × teams A–D of one quarter (q = the quarter, t = all teams). Every sum has two or more hidden
    // cells, yet rows Feb and columns A, B give jan/a + jan/b, and row Jan then gives jan/c = 1 exactly.
    // jan: a 2, b 2, c 1, d 20 | feb: a 3, b 3, d 20 | mar: a 20, b 20, c 3, d 2 | q: c 4 (all < 5 hidden),
    // and d's quarter hidden with mar/d (it ends with it). Step 2 must hide more.
    const data: Record<string, Record<string, number>> = {
      jan: { a: 2, b: 2, c: 1, d: 20 },
      feb: { a: 3, b: 3, c: 0, d: 20 },
      mar: { a: 20, b: 20, c: 3, d: 2 },
    };
    const months = Object.keys(data);
    const teams = ['a', 'b', 'c', 'd'];
    const end = { jan: 1, feb: 2, mar: 3, q: 3 } as Record<string, number>;
    const value = (time: string, team: string): number =>
      time === 'q'
        ? months.reduce((s, m) => s + value(m, team), 0)
        : team === 't'
          ? teams.reduce((s, x) => s + value(time, x), 0)
          : data[time]![team]!;
    const cells = new Map<string, CellFacts>();
    for (const time of [...months, 'q']) {
      for (const team of [...teams, 't']) cells.set(`${time}/${team}`, { published: true, end: end[time]! });
    }
    const relations: Relation[] = [
      ...[...months, 'q'].map((time) => ({
        whole: `${time}/t`,
        parts: teams.map((x) => `${time}/${x}`),
        counts: [[value(time, 't'), ...teams.map((x) => value(time, x))]],
      })),
      ...[...teams, 't'].map((team) => ({
        whole: `q/${team}`,
        parts: months.map((m) => `${m}/${team}`),
        counts: [[value('q', team), ...months.map((m) => value(m, team))]],
      })),
    ];
    const r = suppressLattice(cells, relations, 5);
    expect(r.hidden.has('jan/c')).toBe(true);
    const all = [...r.hidden];
    expect(all.filter((c) => determined(relations, r.hidden).has(c))).toEqual([]);
    // Without step 2, the first pass leaves jan/c determined (the reason the step exists).
    const firstPass = new Set(['jan/a', 'jan/b', 'jan/c', 'feb/a', 'feb/b', 'mar/c', 'mar/d', 'q/c', 'q/d']);
    expect(determined(relations, firstPass).has('jan/c')).toBe(true);
  });
});

describe('suppressLattice, properties', () => {
  // Random months × teams tables of a quarter with month, quarter and company sums: nothing suppressed can be
  // worked out (oracle above), and no sum with a visible whole leaves hidden parts of 1–4 answers together.
  const table = fc.array(fc.array(fc.nat({ max: 9 }), { minLength: 3, maxLength: 3 }), {
    minLength: 1,
    maxLength: 4,
  });
  it('leaves no suppressed cell determined and no small hidden group exposed', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 0, max: 3 }), (teams, ended) => {
        const months = ['m1', 'm2', 'm3'];
        const value = (time: string, team: number | 't'): number => {
          if (time === 'q') return months.reduce((s, m) => s + value(m, team), 0);
          const i = months.indexOf(time);
          return team === 't' ? teams.reduce((s, row) => s + row[i]!, 0) : teams[team]![i]!;
        };
        const columns: (number | 't')[] = [...teams.keys(), 't'];
        const end = (time: string) => (time === 'q' ? 3 : months.indexOf(time) + 1);
        const cells = new Map<string, CellFacts>();
        for (const time of [...months, 'q']) {
          for (const c of columns)
            cells.set(`${time}/${c}`, { published: end(time) <= ended, end: end(time) });
        }
        const relations: Relation[] = [
          ...[...months, 'q'].map((time) => ({
            whole: `${time}/t`,
            parts: [...teams.keys()].map((c) => `${time}/${c}`),
            counts: [[value(time, 't'), ...[...teams.keys()].map((c) => value(time, c))]],
          })),
          ...columns.map((c) => ({
            whole: `q/${c}`,
            parts: months.map((m) => `${m}/${c}`),
            counts: [[value('q', c), ...months.map((m) => value(m, c))]],
          })),
        ];
        const r = suppressLattice(cells, relations, 5);
        const size = (cell: string) => {
          const [time, c] = cell.split('/') as [string, string];
          return value(time, c === 't' ? 't' : Number(c));
        };
        const unknown = new Set(
          [...cells]
            .filter(([cell, f]) => r.hidden.has(cell) || (!f.published && size(cell) > 0))
            .map(([c]) => c),
        );
        const seen = determined(relations, unknown);
        expect([...r.hidden].filter((c) => seen.has(c))).toEqual([]);
        for (const relation of relations) {
          if (unknown.has(relation.whole)) continue;
          const sum = relation.parts.filter((p) => unknown.has(p)).reduce((s, p) => s + size(p), 0);
          expect(sum === 0 || sum >= 5).toBe(true);
        }
        for (const [cell, f] of cells) {
          if (f.published && size(cell) > 0 && size(cell) < 5) expect(r.hidden.has(cell)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
