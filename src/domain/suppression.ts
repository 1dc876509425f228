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
 * until nothing hidden can be worked out by subtraction. Cells are decided in the order their periods end, as if
 * each end were the present: cells that ended earlier keep the decisions they got then, and only the cells that
 * end now may be hidden to protect others. So what is shown at one time stays shown later, and everything shown
 * at any time is safe together. At each end:
 *
 * 1. In every relation whose whole is known, the unknown parts (hidden, or not shown, with answers) are revealed
 *    together: while they hold fewer than `minimum` answers, or are a single suppressed cell, one more cell that
 *    ends now is hidden — a part before the whole, the smallest first. (A cell of 0 answers reveals nothing and
 *    is never chosen.) Relations are revisited until none changes.
 * 2. The relations are then solved as linear equations in the unknown cells: while suppressed cells (or small
 *    cells never shown) are determined, a cell ending now is hidden for each — in its relations if possible, the
 *    smallest — and step 1 runs again.
 *
 * A cell ending now that readers could work out anyway is never hidden: it would protect nothing. Hiding every
 * other cell ending now would give back the previous end's safe state, so there is always one more to hide.
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
  const lattice: Lattice = {
    cells,
    relations: [],
    closing: [],
    minimum,
    size,
    small,
    hidden: new Set(),
    settled: new Set(),
    now: -Infinity,
  };
  const ends = [...new Set([...cells.values()].filter((c) => c.published).map((c) => c.end))].sort(
    (a, b) => a - b,
  );
  for (const end of ends) {
    lattice.now = end;
    // Only sums whose whole has ended: later ones hold data that does not exist yet at this end.
    lattice.relations = relations.filter((r) => (cells.get(r.whole)?.end ?? Infinity) <= end);
    // Sums whose whole ended earlier were settled then, and none of their cells can change now.
    lattice.closing = lattice.relations.filter((r) => cells.get(r.whole)?.end === end);
    lattice.settled = settledCells(lattice);
    for (const cell of small) if (candidate(lattice, cell)) lattice.hidden.add(cell);
    for (;;) {
      closeRelations(lattice);
      const exposed = [...determinedCells(lattice)].filter(
        (cell) => lattice.hidden.has(cell) || (!shown(lattice, cell) && small.has(cell)),
      );
      // None left ending now would mean earlier decisions revealed it already (not seen in the tests).
      const complements = exposed.sort().flatMap((c) => complementFor(lattice, c) ?? []);
      if (complements.length === 0) break;
      for (const cell of complements) lattice.hidden.add(cell);
    }
  }
  const hidden = lattice.hidden;
  return { hidden, small: new Set([...small].filter((c) => hidden.has(c))) };
}

/** Cells ending now that readers work out even if every one of them with answers were hidden. */
function settledCells(lattice: Lattice): Set<string> {
  const fresh = [...lattice.cells.keys()].filter(
    (cell) => isFresh(lattice, cell) && !lattice.hidden.has(cell) && (lattice.size.get(cell) ?? 0) > 0,
  );
  for (const cell of fresh) lattice.hidden.add(cell);
  const determined = determinedCells(lattice);
  for (const cell of fresh) lattice.hidden.delete(cell);
  return new Set(fresh.filter((cell) => determined.has(cell)));
}

interface Lattice {
  cells: ReadonlyMap<string, CellFacts>;
  /** The sums in force at `now`, and those whose whole ends at `now`. */
  relations: readonly Relation[];
  closing: readonly Relation[];
  minimum: number;
  size: ReadonlyMap<string, number>;
  /** Cells with 1 to minimum − 1 answers in some measure, shown or not. */
  small: ReadonlySet<string>;
  hidden: Set<string>;
  /** Cells ending now that readers could work out anyway: never hidden (it would protect nothing). */
  settled: ReadonlySet<string>;
  /** The end being decided: published cells that end later are not shown yet. */
  now: number;
}

/** Published and ended by `now` (hidden or not). */
function shown(lattice: Lattice, cell: string): boolean {
  const facts = lattice.cells.get(cell);
  return (facts?.published ?? false) && facts!.end <= lattice.now;
}

/** A published cell ending at `now`: the only kind that may still be hidden. */
function isFresh(lattice: Lattice, cell: string): boolean {
  return shown(lattice, cell) && lattice.cells.get(cell)!.end === lattice.now;
}

/** Whether readers do not know the cell: hidden, or not shown and not empty (an empty one counts as known 0). */
function unknown(lattice: Lattice, cell: string): boolean {
  return lattice.hidden.has(cell) || (!shown(lattice, cell) && (lattice.size.get(cell) ?? 0) > 0);
}

/** A cell that may be hidden now: ending now, not empty, not hidden yet, not already known. */
function candidate(lattice: Lattice, cell: string): boolean {
  return (
    isFresh(lattice, cell) &&
    !lattice.hidden.has(cell) &&
    !lattice.settled.has(cell) &&
    (lattice.size.get(cell) ?? 0) > 0
  );
}

/** Step 1: hides complements until no relation reveals a single suppressed cell or fewer than `minimum` answers. */
function closeRelations(lattice: Lattice): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const relation of lattice.closing) {
      while (revealsTooMuch(lattice, relation)) {
        // Nothing ending now left to hide: what the sum reveals, earlier decisions revealed already.
        const next = complementOf(lattice, relation);
        if (next === undefined) break;
        lattice.hidden.add(next);
        changed = true;
      }
    }
  }
}

function revealsTooMuch(lattice: Lattice, relation: Relation): boolean {
  if (unknown(lattice, relation.whole)) return false;
  return relation.counts.some((counts) => {
    const revealed = relation.parts
      .map((cell, i) => ({ cell, n: counts[i + 1] ?? 0 }))
      .filter((p) => p.n > 0 && unknown(lattice, p.cell));
    if (revealed.length === 0) return false;
    const answers = revealed.reduce((sum, p) => sum + p.n, 0);
    return answers < lattice.minimum || (revealed.length === 1 && lattice.hidden.has(revealed[0]!.cell));
  });
}

interface Candidate {
  cell: string;
  n: number;
  whole?: boolean;
}

/** Parts before a whole, then the smallest, then by key (so results are stable). */
function byPreference(a: Candidate, b: Candidate): number {
  return (
    Number(a.whole ?? false) - Number(b.whole ?? false) ||
    a.n - b.n ||
    (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0)
  );
}

/** The next cell to hide in a relation. */
function complementOf(lattice: Lattice, relation: Relation): string | undefined {
  const first = relation.counts[0] ?? [];
  return [relation.whole, ...relation.parts]
    .map((cell, i) => ({ cell, whole: i === 0, n: first[i] ?? 0 }))
    .filter((c) => candidate(lattice, c.cell))
    .sort(byPreference)[0]?.cell;
}

/** Step 2: the cell to hide for a determined one: ending now, in its relations if possible, the smallest. */
function complementFor(lattice: Lattice, exposed: string): string | undefined {
  const candidates = (relations: readonly Relation[]) => {
    const found = new Map<string, Candidate>();
    for (const relation of relations) {
      [relation.whole, ...relation.parts].forEach((cell, i) => {
        if (!found.has(cell) && candidate(lattice, cell))
          found.set(cell, { cell, n: relation.counts[0]?.[i] ?? 0 });
      });
    }
    return [...found.values()].sort(byPreference);
  };
  const near = lattice.relations.filter((r) => r.whole === exposed || r.parts.includes(exposed));
  return (candidates(near)[0] ?? candidates(lattice.relations)[0])?.cell;
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
        .filter((term) => unknown(lattice, term.cell)),
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
