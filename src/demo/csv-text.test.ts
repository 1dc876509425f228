import { describe, expect, it } from 'vitest';
import { csvText, money } from './csv-text.js';

describe('csvText', () => {
  it('leaves plain text alone and quotes commas, quotes and line breaks', () => {
    expect(csvText('Vitax S.p.A.')).toBe('Vitax S.p.A.');
    expect(csvText('Quonex, Inc.')).toBe('"Quonex, Inc."');
    expect(csvText('the "Share" button')).toBe('"the ""Share"" button"');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
  });
});

describe('money', () => {
  it('writes cents as a decimal with a point and two digits', () => {
    expect(money(14950)).toBe('149.50');
    expect(money(7)).toBe('0.07');
    expect(money(120000)).toBe('1200.00');
  });
});
