// Identical customers contribute identical likelihood terms: the fits evaluate each distinct row once,
// weighted by how many customers share it. With purchases placed on whole days, a million accounts
// of subscription billing have about 77,000 distinct (x, t_x, T) rows (docs/clv.md).

export interface DistinctRows {
  /** one column per input column, one entry per distinct row, in order of first appearance */
  columns: Float64Array[];
  /** the summed weight (or count) of each distinct row */
  counts: Float64Array;
  /** for every input row, the index of its distinct row */
  groupOf: Int32Array;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/**
 * Groups the rows of equal-length columns by exact value (NaN equals NaN).
 * @example distinctRows([Float64Array.of(0, 2, 0)]) // columns [[0, 2]], counts [2, 1], groupOf [0, 1, 0]
 */
export function distinctRows(columns: readonly Float64Array[], weights?: Float64Array): DistinctRows {
  const n = columns[0]?.length ?? 0;
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  // Open addressing: each slot holds the first input row of a distinct row, or −1.
  const slots = new Int32Array(size).fill(-1);
  const slotGroup = new Int32Array(size);
  const groupOf = new Int32Array(n);
  const firstRows: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    let slot = hashRow(columns, i) & mask;
    while (slots[slot] !== -1 && !sameRow(columns, slots[slot]!, i)) slot = (slot + 1) & mask;
    if (slots[slot] === -1) {
      slots[slot] = i;
      slotGroup[slot] = firstRows.length;
      firstRows.push(i);
      counts.push(0);
    }
    const group = slotGroup[slot]!;
    groupOf[i] = group;
    counts[group]! += weights ? weights[i]! : 1;
  }
  return {
    columns: columns.map((column) => Float64Array.from(firstRows, (i) => column[i]!)),
    counts: Float64Array.from(counts),
    groupOf,
  };
}

/** FNV-1a over the 64 bits of each value. */
function hashRow(columns: readonly Float64Array[], i: number): number {
  let h = 0x811c9dc5;
  for (const column of columns) {
    const v = column[i]!;
    bits[0] = v === 0 ? 0 : Number.isNaN(v) ? Number.NaN : v; // one hash for 0 and −0, and for every NaN
    h = Math.imul(h ^ words[0]!, 0x01000193);
    h = Math.imul(h ^ words[1]!, 0x01000193);
  }
  return h ^ (h >>> 16);
}

function sameRow(columns: readonly Float64Array[], i: number, j: number): boolean {
  for (const column of columns) {
    const u = column[i]!;
    const v = column[j]!;
    if (u !== v && !(Number.isNaN(u) && Number.isNaN(v))) return false;
  }
  return true;
}
