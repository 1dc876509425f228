import { describe, expect, it } from 'vitest';
import { mixSeed, Rng, Weighted } from './random.js';

describe('Rng', () => {
  it('repeats its sequence for the same seed and departs from it for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('stays within its bounds', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = rng.int(2, 6);
      expect(k >= 2 && k <= 6 && Number.isInteger(k)).toBe(true);
    }
  });

  it('draws Poisson counts with the requested mean', () => {
    const rng = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += rng.poisson(0.8);
    expect(sum / 20_000).toBeCloseTo(0.8, 1);
  });
});

describe('mixSeed', () => {
  it('gives neighbouring accounts unrelated seeds', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => mixSeed(1, i)));
    expect(seeds.size).toBe(1000);
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });
});

describe('Weighted', () => {
  it('picks options in proportion to their weights', () => {
    const w = new Weighted([
      ['a', 70],
      ['b', 22],
      ['c', 8],
    ]);
    const rng = new Rng(3);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 50_000; i++) counts[w.draw(rng)]! += 1;
    expect(counts.a! / 50_000).toBeCloseTo(0.7, 1);
    expect(counts.c! / 50_000).toBeCloseTo(0.08, 1);
  });
});
