// Feedback themes on hand-made comments in English, Italian, French and Malay: languages, stems, grouping,
// and the statistics against numbers worked out by hand on a small store built through the normal import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractThemes } from '../src/insight/themes/extract.js';
import { detectByStopwords, detectLanguage } from '../src/insight/themes/language.js';
import { erfc, liftTest } from '../src/insight/themes/stats.js';
import { stem, stemMalay } from '../src/insight/themes/text.js';
import { computeThemes, type ThemesResult } from '../src/insight/themes/themes.js';
import type { Store } from '../src/store/store.js';
import { storeFromCsv } from './support/csv-store.js';
import { COMMENTS, fixtureCsv } from './themes-fixture.js';

const customer = COMMENTS.filter((c) => c.metric !== 'enps');
const extraction = extractThemes(
  customer.map((c) => ({ id: c.id, text: c.text, locale: c.locale === '' ? null : c.locale })),
  { minMentions: 2 },
);
const idsOf = (indices: number[]) => indices.map((i) => customer[i]!.id).sort();
const expectedIds = (theme: string) =>
  customer
    .filter((c) => c.themes.includes(theme))
    .map((c) => c.id)
    .sort();

describe('languages', () => {
  it('reads each comment as the language it is written in (its locale when set, else detected)', () => {
    expect(extraction.languages.map((l) => l.language)).toEqual(customer.map((c) => c.language));
    const sources = extraction.languages.map((l) => l.source);
    expect(sources).toEqual(customer.map((c) => (c.locale === '' ? 'detected' : 'locale')));
  });

  it('detects without a locale the language the comment is in', () => {
    for (const c of customer.filter((x) => x.locale === '')) {
      expect([c.id, detectByStopwords(c.text)]).toEqual([c.id, c.language]);
    }
  });

  it('takes the primary subtag of a locale, and leaves other languages out', () => {
    expect(detectLanguage('whatever the text', 'fr-CA')).toEqual({ language: 'fr', source: 'locale' });
    expect(detectLanguage('Too expensive', 'de')).toEqual({ language: null, source: 'locale' });
    expect(detectLanguage('12345 !!!', null)).toEqual({ language: null, source: 'detected' });
  });
});

describe('stems', () => {
  it('brings inflections to one stem in each language', () => {
    expect(stem('prices', 'en')).toBe(stem('price', 'en'));
    expect(stem('prezzi', 'it')).toBe(stem('prezzo', 'it'));
    expect(stem('chère', 'fr')).toBe(stem('cher', 'fr'));
    expect(stem('harganya', 'ms')).toBe(stem('harga', 'ms'));
    expect(stemMalay('sokongan')).toBe('sokong');
    expect(stemMalay('menyokong')).toBe('sokong');
    expect(stemMalay('berhari')).toBe('hari');
  });

  it('does not translate: the same idea in two languages has two stems (the lexicon links them)', () => {
    expect(stem('expensive', 'en')).not.toBe(stem('caro', 'it'));
  });
});

describe('themes', () => {
  const theme = (id: string) => extraction.themes.find((t) => t.id === id);

  it('groups "too expensive", "troppo caro", "trop cher" and "terlalu mahal" into one pricing theme', () => {
    const pricing = theme('pricing')!;
    expect(idsOf(pricing.comments)).toEqual(expectedIds('pricing'));
    expect(pricing.languages).toEqual({ en: 3, it: 2, fr: 2, ms: 2 });
    expect(pricing.terms).toEqual(expect.arrayContaining(['expensive', 'caro', 'cher', 'prices', 'prezzi']));
    // Named by its most mentioned terms, in the form written most often.
    expect(pricing.name.split(' · ')).toEqual(pricing.terms.slice(0, 3));
    expect(pricing.terms).toContain('mahal');
  });

  it('finds slow support and onboarding in every language', () => {
    expect(idsOf(theme('support')!.comments)).toEqual(expectedIds('support'));
    expect(idsOf(theme('onboarding')!.comments)).toEqual(expectedIds('onboarding'));
  });

  it('discovers a theme no seed knows from words that come together ("dark mode")', () => {
    const dark = extraction.themes.find((t) => t.seed === null && t.terms.includes('dark mode'));
    expect(dark).toBeDefined();
    expect(idsOf(dark!.comments)).toEqual(['o3', 'o4', 'o5']);
    expect(dark!.id).toBe('en-dark');
    expect(dark!.name.split(' · ')[0]).toBe('dark mode');
  });

  it('keeps to themes mentioned at least min-mentions times, and gives the same answer every time', () => {
    for (const t of extraction.themes) expect(t.mentions).toBeGreaterThanOrEqual(2);
    const again = extractThemes(
      customer.map((c) => ({ id: c.id, text: c.text, locale: c.locale === '' ? null : c.locale })),
      { minMentions: 2 },
    );
    expect(again).toEqual(extraction);
    const strict = extractThemes(
      customer.map((c) => ({ id: c.id, text: c.text, locale: c.locale === '' ? null : c.locale })),
      { minMentions: 5 },
    );
    expect(strict.themes.map((t) => t.id).sort()).toEqual(['pricing', 'support']);
  });
});

describe('statistics', () => {
  it('erfc and the two-proportion z-test agree with values worked out by hand', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1.959964 / Math.SQRT2)).toBeCloseTo(0.05, 6);
    // 6 of 10 detractors against 2 of 20 others: p1 = 0.6, p2 = 0.1, pooled p = 8/30,
    // z = 0.5 / √(8/30 · 22/30 · (1/10 + 1/20)) = 2.919371, p = erfc(z/√2) = 0.0035074.
    const test = liftTest(6, 10, 2, 20);
    expect(test.lift).toBeCloseTo(6, 10);
    expect(test.z).toBeCloseTo(2.919371, 5);
    expect(test.p_value).toBeCloseTo(0.0035074, 6);
    expect(test.detractor_share).toBeCloseTo(60, 10);
    expect(test.others_share).toBeCloseTo(10, 10);
  });

  it('is null rather than a made-up number where a group is empty', () => {
    expect(liftTest(0, 0, 3, 10)).toEqual({
      detractor_share: null,
      others_share: 30,
      lift: null,
      z: null,
      p_value: null,
    });
    expect(liftTest(2, 10, 0, 10).lift).toBeNull();
  });
});

describe('themes of a store', () => {
  let store: Store;
  let result: ThemesResult;
  beforeAll(async () => {
    store = await storeFromCsv(fixtureCsv());
    result = await computeThemes(store, { minMentions: 2, asOf: new Date('2025-07-01T00:00:00Z') });
  });
  afterAll(() => store.close());
  const theme = (id: string) => result.report.themes.find((t) => t.id === id)!;

  it('reads customer comments only (never employee answers) and counts their languages', () => {
    const report = result.report;
    expect(report.comments).toBe(customer.length);
    expect(report.analysed).toBe(customer.filter((c) => c.language !== null).length);
    for (const l of ['en', 'it', 'fr', 'ms'] as const) {
      expect(report.languages[l]).toBe(customer.filter((c) => c.language === l).length);
    }
    expect(report.languages.other).toBe(1);
    for (const comments of result.comments.values())
      expect(comments.map((c) => c.response_id)).not.toContain('e1');
  });

  it('counts mentions by NPS and CSAT group, and the lift among detractors with its p-value', () => {
    const pricing = theme('pricing');
    expect(result.report.totals).toEqual({
      promoters: 14,
      passives: 5,
      detractors: 10,
      csat_high: 1,
      csat_low: 1,
    });
    expect(pricing.mentions).toBe(9);
    expect(pricing.nps).toEqual({
      promoters: 0,
      passives: 2,
      detractors: 6,
      promoter_share: 0,
      passive_share: 40,
      detractor_share: 60,
    });
    expect(pricing.csat).toEqual({ high: 0, low: 1, high_share: 0, low_share: 100 });
    // Detractors 6/10 against promoters and passives 2/19 (o19, in German, is not analysed):
    // pooled p = 8/29, z = (0.6 − 2/19) / √(8/29 · 21/29 · (1/10 + 1/19)) = 2.833319, p = 0.0046067.
    expect(pricing.detractor_lift.lift).toBeCloseTo(0.6 / (2 / 19), 10);
    expect(pricing.detractor_lift.z).toBeCloseTo(2.833319, 5);
    expect(pricing.detractor_lift.p_value).toBeCloseTo(0.0046067, 6);
  });

  it('gives the MRR now and the churn after their comment of the accounts that mention a theme', () => {
    // A1 (0 now, churned 2025-04-01 after its comment of 2025-02-10), A2 (200; its churn was before its
    // comment), A3 (contracted to 50).
    expect(theme('pricing').accounts).toEqual({ count: 3, mrr: 250, churned: 1, churn_pct: 100 / 3 });
    // A4 (300 until it churned 2025-06-01, after its comment).
    expect(theme('support').accounts).toEqual({ count: 1, mrr: 0, churned: 1, churn_pct: 100 });
    // Before A4's churn, its MRR still counts and no account has churned.
    return computeThemes(store, { minMentions: 2, asOf: new Date('2025-05-15T00:00:00Z') }).then(
      (earlier) => {
        const support = earlier.report.themes.find((t) => t.id === 'support')!;
        expect(support.accounts).toEqual({ count: 1, mrr: 300, churned: 0, churn_pct: 0 });
      },
    );
  });

  it('counts mentions by month, and links each theme to its comments', () => {
    expect(theme('pricing').trend).toEqual([
      { period: '2025-02', mentions: 1, comments: 1, share: 100 },
      { period: '2025-03', mentions: 5, comments: 9, share: (100 * 5) / 9 },
      { period: '2025-04', mentions: 3, comments: 21, share: (100 * 3) / 21 },
    ]);
    const comments = result.comments.get('pricing')!;
    expect(comments.map((c) => c.response_id).sort()).toEqual(expectedIds('pricing'));
    expect(theme('pricing').example_comment_ids).toEqual(['s1', 'o2', 'o1']);
    expect(comments[0]).toMatchObject({
      response_id: 's1',
      metric: 'csat',
      score: 2,
      account_id: 'A3',
      language: 'en',
    });
  });

  it('narrows to a range', async () => {
    const march = await computeThemes(store, {
      minMentions: 2,
      from: new Date('2025-03-01T00:00:00Z'),
      to: new Date('2025-04-01T00:00:00Z'),
    });
    expect(march.report.comments).toBe(9);
    expect(march.report.themes.find((t) => t.id === 'pricing')!.mentions).toBe(5);
  });
});
