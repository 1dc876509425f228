// Grouping rows by exact value: what the weighted likelihoods rely on.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../demo/random.js';
import { distinctRows } from './distinct-rows.js';

describe('distinctRows', () => {
  it('groups equal rows in order of first appearance, counting or summing weights', () => {
    const x = Float64Array.of(2, 0, 2, 2, 0);
    const t = Float64Array.of(1.5, 3, 1.5, 2.5, 3);
    const rows = distinctRows([x, t]);
    // by hand: (2, 1.5) rows 0 and 2; (0, 3) rows 1 and 4; (2, 2.5) row 3
    expect([...rows.columns[0]!]).toEqual([2, 0, 2]);
    expect([...rows.columns[1]!]).toEqual([1.5, 3, 2.5]);
    expect([...rows.counts]).toEqual([2, 2, 1]);
    expect([...rows.groupOf]).toEqual([0, 1, 0, 2, 1]);
    expect([...distinctRows([x], Float64Array.of(1, 10, 100, 1000, 10000)).counts]).toEqual([1101, 10010]);
  });

  it('takes NaN as equal to NaN and −0 as equal to 0', () => {
    const rows = distinctRows([Float64Array.of(Number.NaN, 0, Number.NaN, -0)]);
    expect([...rows.counts]).toEqual([2, 2]);
  });

  it('agrees with a string-keyed grouping on many colliding rows', () => {
    const rng = new Rng(7);
    const n = 50_000;
    const a = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 20));
    const b = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 50) / 7);
    const rows = distinctRows([a, b]);
    const reference = new Map<string, number>();
    for (let i = 0; i < n; i++) reference.set(`${a[i]}|${b[i]}`, (reference.get(`${a[i]}|${b[i]}`) ?? 0) + 1);
    expect(rows.counts.length).toBe(reference.size);
    rows.counts.forEach((count, g) => {
      expect(count).toBe(reference.get(`${rows.columns[0]![g]}|${rows.columns[1]![g]}`));
    });
    for (let i = 0; i < n; i += 997) {
      expect([rows.columns[0]![rows.groupOf[i]!], rows.columns[1]![rows.groupOf[i]!]]).toEqual([a[i], b[i]]);
    }
  });
});
