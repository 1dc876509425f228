import { describe, expect, it } from 'vitest';
import { suppressSmallGroups } from './suppression.js';

const groups = (total: number, segments: Record<string, number>) => ({
  total,
  segments: new Map(Object.entries(segments)),
});
const hidden = (r: ReturnType<typeof suppressSmallGroups>) => [...r.segments].sort();

describe('suppressSmallGroups', () => {
  it('leaves groups of at least 5 answers visible', () => {
    const r = suppressSmallGroups(groups(15, { a: 5, b: 10 }), 5);
    expect(r.total).toBe(false);
    expect(hidden(r)).toEqual([]);
  });

  it('hides a group under 5 and the smallest other one, so the total cannot reveal it', () => {
    const r = suppressSmallGroups(groups(26, { a: 3, b: 8, c: 15 }), 5);
    expect(hidden(r)).toEqual(['a', 'b']);
    expect(r.total).toBe(false);
  });

  it('needs no second group when answers without a segment already mask the hidden one', () => {
    // total 30 = a 3 + b 20 + 7 answers without a team: subtraction gives a + those 7 together (10 answers).
    const r = suppressSmallGroups(groups(30, { a: 3, b: 20 }), 5);
    expect(hidden(r)).toEqual(['a']);
  });

  it('hides a second group when the answers without a segment are themselves too few', () => {
    // total 25 = b 20 + c 3 + 2 without a team: subtraction gives c and those 2 together, 5 answers: enough.
    // With only 1 answer without a team, 3 + 1 < 5: b is hidden too.
    expect(hidden(suppressSmallGroups(groups(25, { b: 20, c: 3 }), 5))).toEqual(['c']);
    expect(hidden(suppressSmallGroups(groups(24, { b: 20, c: 3 }), 5))).toEqual(['b', 'c']);
  });

  it('hides the total when it is under 5, and when nothing else can mask a lone small group', () => {
    expect(suppressSmallGroups(groups(4, {}), 5).total).toBe(true);
    const lone = suppressSmallGroups(groups(3, { a: 3 }), 5);
    expect(lone.total).toBe(true);
  });

  it('treats an empty group as revealing nothing', () => {
    const r = suppressSmallGroups(groups(10, { a: 0, b: 10 }), 5);
    expect(hidden(r)).toEqual([]);
    expect(suppressSmallGroups(groups(0, {}), 5).total).toBe(false);
  });
});
