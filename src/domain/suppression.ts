// Small-group suppression for anonymous employee answers (KPI-SPEC §5), including by difference: complementary
// suppression over a lattice of cells linked by sums (a total is the sum of its teams, a quarter of its months).

/**
 * One sum readers can rely on: `whole` = Σ `parts`. `counts` holds, for each measure the sum holds in (answers,
 * eNPS answers…), the counts of [whole, ...parts]; the first measure orders the complements.
 */
export interface Relation {
  whole: string;
  parts: readonly string[];
  counts: readonly (readonly number[])[];
}

export interface CellFacts {
  /**
   * Readers are shown the cell unless it is suppressed. The others (answers without a team, periods not over)
   * they never see.
   */
  published: boolean;
  /** When the cell's period ends (ms): complements are taken among the cells that end last. */
  end: number;
}

export interface LatticeSuppression {
  /** Published cells that are suppressed. */
  hidden: Set<string>;
  /** Of them, those with 1 to minimum − 1 answers (the others are hidden to protect them). */
  small: Set<string>;
}

/**
 * Suppresses every published cell with 1 to `minimum − 1` answers (in any measure), then hides further cells
 * until nothing hidden can be worked out by subtraction:
 *
 * 1. In every relation whose whole is visible, the unknown parts (hidden, or never published, with answers) are
 *    revealed together: while they hold fewer than `minimum` answers, or are a single suppressed cell, one more
 *    cell is hidden — the part or whole that ends last, parts before the whole, the smallest first. (A cell of
 *    0 answers reveals nothing and is never chosen.) Relations are revisited until none changes.
 * 2. The relations are then solved as linear equations in the unknown cells: while suppressed cells (or small
 *    unpublished ones) are determined, a visible cell of the relations of each is hidden (the one ending last,
 *    the smallest), and step 1 runs again.
 *
 * Preferring the cells that end last keeps earlier decisions when later periods end: a month once shown is not
 * hidden because its quarter ended.
 * @example suppressLattice(cells, [{ whole: 'jan', parts: ['jan/a', 'jan/b'], counts: [[12, 3, 9]] }], 5)
 */
export function suppressLattice(
  cells: ReadonlyMap<string, CellFacts>,
  relations: readonly Relation[],
  minimum: number,
): LatticeSuppression {
  const size = new Map<string, number>();
  const small = new Set<string>();
  for (const relation of relations) {
    const members = [relation.whole, ...relation.parts];
    for (const counts of relation.counts) {
      members.forEach((cell, i) => {
        const n = counts[i] ?? 0;
        size.set(cell, Math.max(size.get(cell) ?? 0, n));
        if (n > 0 && n < minimum) small.add(cell);
      });
    }
  }
  const hidden = new Set([...small].filter((cell) => cells.get(cell)?.published));
  const unknown = (cell: string) =>
    hidden.has(cell) || (!cells.get(cell)?.published && (size.get(cell) ?? 0) > 0);
  const lattice: Lattice = { cells, relations, minimum, size, small, hidden, unknown };

  for (;;) {
    closeRelations(lattice);
    const exposed = [...determinedCells(lattice)].filter(
      (cell) => hidden.has(cell) || (!cells.get(cell)?.published && small.has(cell)),
    );
    if (exposed.length === 0) return { hidden, small: new Set([...small].filter((c) => hidden.has(c))) };
    for (const cell of new Set(exposed.sort().map((c) => complementFor(lattice, c)))) hidden.add(cell);
  }
}

interface Lattice {
  cells: ReadonlyMap<string, CellFacts>;
  relations: readonly Relation[];
  minimum: number;
  size: ReadonlyMap<string, number>;
  /** Cells with 1 to minimum − 1 answers in some measure, shown or not. */
  small: ReadonlySet<string>;
  hidden: Set<string>;
  unknown: (cell: string) => boolean;
}

/** Step 1: hides complements until no relation reveals a single suppressed cell or fewer than `minimum` answers. */
function closeRelations(lattice: Lattice): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const relation of lattice.relations) {
      while (revealsTooMuch(lattice, relation)) {
        const next = complementOf(lattice, relation);
        if (next === undefined) break;
        lattice.hidden.add(next);
        changed = true;
      }
    }
  }
}

function revealsTooMuch(lattice: Lattice, relation: Relation): boolean {
  if (lattice.unknown(relation.whole)) return false;
  return relation.counts.some((counts) => {
    const revealed = relation.parts
      .map((cell, i) => ({ cell, n: counts[i + 1] ?? 0 }))
      .filter((p) => p.n > 0 && lattice.unknown(p.cell));
    if (revealed.length === 0) return false;
    const answers = revealed.reduce((sum, p) => sum + p.n, 0);
    return answers < lattice.minimum || (revealed.length === 1 && lattice.hidden.has(revealed[0]!.cell));
  });
}

/** The next cell to hide in a relation: the one ending last, a part before the whole, then the smallest. */
function complementOf(lattice: Lattice, relation: Relation): string | undefined {
  const first = relation.counts[0] ?? [];
  const candidates = [relation.whole, ...relation.parts]
    .map((cell, i) => ({ cell, whole: i === 0, n: first[i] ?? 0 }))
    .filter((c) => (lattice.size.get(c.cell) ?? 0) > 0 && !lattice.unknown(c.cell));
  return candidates.sort((a, b) => byPreference(lattice, a, b))[0]?.cell;
}

interface Candidate {
  cell: string;
  n: number;
  whole?: boolean;
}

/** Ending last first, then parts before a whole, then the smallest, then by key (so results are stable). */
function byPreference(lattice: Lattice, a: Candidate, b: Candidate): number {
  const end = (cell: string) => lattice.cells.get(cell)?.end ?? 0;
  return (
    end(b.cell) - end(a.cell) ||
    Number(a.whole ?? false) - Number(b.whole ?? false) ||
    a.n - b.n ||
    (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0)
  );
}

/** Step 2: the visible cell to hide for a determined one: in its relations, ending last, the smallest. */
function complementFor(lattice: Lattice, exposed: string): string {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  const consider = (relation: Relation) => {
    [relation.whole, ...relation.parts].forEach((cell, i) => {
      const n = relation.counts[0]?.[i] ?? 0;
      if (seen.has(cell) || n <= 0 || lattice.unknown(cell)) return;
      seen.add(cell);
      candidates.push({ cell, n });
    });
  };
  for (const relation of lattice.relations) {
    if (relation.whole === exposed || relation.parts.includes(exposed)) consider(relation);
  }
  if (candidates.length === 0) lattice.relations.forEach(consider);
  const chosen = candidates.sort((a, b) => byPreference(lattice, a, b))[0];
  if (!chosen) throw new Error(`suppressLattice: nothing left to hide for ${exposed}`);
  return chosen.cell;
}

const EPSILON = 1e-9;

/**
 * Unknown cells whose value the relations fix, given every known one: those whose unit vector lies in the row
 * space of the relations restricted to the unknown cells (in reduced row echelon form, a row with one entry).
 */
function determinedCells(lattice: Lattice): Set<string> {
  const equations = lattice.relations
    .map((relation) =>
      [relation.whole, ...relation.parts]
        .map((cell, i) => ({ cell, sign: i === 0 ? 1 : -1 }))
        .filter((term) => lattice.unknown(term.cell)),
    )
    .filter((terms) => terms.length > 0);
  const columns = new Map<string, number>();
  for (const terms of equations)
    for (const { cell } of terms) if (!columns.has(cell)) columns.set(cell, columns.size);
  const width = columns.size;
  const matrix = equations.map((terms) => {
    const row = new Float64Array(width);
    for (const { cell, sign } of terms) row[columns.get(cell)!]! += sign;
    return row;
  });
  // Gauss–Jordan elimination with partial pivoting.
  const pivots: number[] = [];
  for (let col = 0; col < width && pivots.length < matrix.length; col++) {
    const rank = pivots.length;
    let best = rank;
    for (let r = rank + 1; r < matrix.length; r++) {
      if (Math.abs(matrix[r]![col]!) > Math.abs(matrix[best]![col]!)) best = r;
    }
    if (Math.abs(matrix[best]![col]!) < EPSILON) continue;
    [matrix[rank], matrix[best]] = [matrix[best]!, matrix[rank]!];
    const pivot = matrix[rank]!;
    const scale = pivot[col]!;
    for (let c = col; c < width; c++) pivot[c]! /= scale;
    for (let r = 0; r < matrix.length; r++) {
      const row = matrix[r]!;
      const factor = row[col]!;
      if (r === rank || Math.abs(factor) < EPSILON) continue;
      for (let c = col; c < width; c++) row[c]! -= factor * pivot[c]!;
    }
    pivots.push(col);
  }
  const names = [...columns.keys()];
  const determined = new Set<string>();
  pivots.forEach((col, r) => {
    if (matrix[r]!.filter((v) => Math.abs(v) > EPSILON).length === 1) determined.add(names[col]!);
  });
  return determined;
}
