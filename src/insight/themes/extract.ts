// Theme extraction, pure and deterministic: comments in, named themes and which comment mentions which out.
// Steps (docs/themes.md): language → content words (normalised, stopwords out, stemmed) → unigram and bigram
// terms → seeded themes (lexicon stems, across languages) → discovered themes (co-occurring terms, by NPMI).
import { detectLanguage, type LanguageSource } from './language.js';
import { SEEDS, type Seed } from './lexicon.js';
import { contentTokens, fold, THEME_LANGUAGES, type ThemeLanguage, words } from './text.js';

export interface ThemeComment {
  id: string;
  text: string;
  locale: string | null;
}

export interface ExtractOptions {
  /** Themes mentioned by fewer comments are dropped; discovered terms need this many comments too. */
  minMentions: number;
  /** At most this many discovered (unseeded) themes, the most mentioned. */
  maxDiscovered?: number;
  seeds?: readonly Seed[];
}

export interface ExtractedTheme {
  /** The seed's id, or `<language>-<head stem>` for a discovered theme. */
  id: string;
  /** Its top terms in the most frequent surface form of each, joined by " · ". */
  name: string;
  /** The seed's id, or null when discovered from co-occurrence. */
  seed: string | null;
  /** Its terms, most mentioned first (surface forms; bigrams are two words). */
  terms: string[];
  mentions: number;
  /** Mentioning comments per language. */
  languages: Record<ThemeLanguage, number>;
  /** Indices (into the input) of the comments that mention it, ascending. */
  comments: number[];
}

export interface Extraction {
  themes: ExtractedTheme[];
  /** Per input comment: its language (null: not one of the four) and where that came from. */
  languages: { language: ThemeLanguage | null; source: LanguageSource }[];
  /** Comments in one of the four languages (the ones themes are found in). */
  analysed: number;
}

/** How many candidate terms per language enter the co-occurrence step (the most frequent). */
const MAX_CANDIDATES = 300;
/** Normalised PMI from which two terms belong together. */
const MIN_NPMI = 0.35;
const TERMS_SHOWN = 12;
/** A bigram names a theme instead of its word when it holds at least this share of the word's mentions. */
const BIGRAM_SHARE = 0.8;
const TERMS_IN_NAME = 3;

interface SeedIndex {
  /** language → stem → seed positions */
  stems: Record<ThemeLanguage, Map<string, number[]>>;
  /** Folded seed words per language: kept even when a stopword list holds them. */
  keep: Record<ThemeLanguage, Set<string>>;
}

function indexSeeds(seeds: readonly Seed[]): SeedIndex {
  const stems = Object.fromEntries(
    THEME_LANGUAGES.map((l) => [l, new Map<string, number[]>()]),
  ) as SeedIndex['stems'];
  const keep = Object.fromEntries(THEME_LANGUAGES.map((l) => [l, new Set<string>()])) as SeedIndex['keep'];
  for (const seed of seeds) {
    for (const l of THEME_LANGUAGES) {
      for (const word of seed.words[l]) for (const w of words(word)) keep[l].add(fold(w));
    }
  }
  seeds.forEach((seed, s) => {
    for (const l of THEME_LANGUAGES) {
      for (const word of seed.words[l]) {
        for (const token of contentTokens(word, l, keep[l])) {
          const list = stems[l].get(token.stem) ?? [];
          if (!list.includes(s)) list.push(s);
          stems[l].set(token.stem, list);
        }
      }
    }
  });
  return { stems, keep };
}

/** A term: `<language>:<stem>` or `<language>:<stem> <stem>` (two adjacent content words). */
type TermKey = string;

const emptyLanguages = (): Record<ThemeLanguage, number> => ({ en: 0, it: 0, fr: 0, ms: 0 });

export function extractThemes(input: readonly ThemeComment[], options: ExtractOptions): Extraction {
  const seeds = options.seeds ?? SEEDS;
  const index = indexSeeds(seeds);
  const minMentions = Math.max(1, options.minMentions);
  const languages = input.map((c) => detectLanguage(c.text, c.locale));

  // Terms of each comment, document frequencies, and the surface forms seen for each term.
  const termsOf: (TermKey[] | null)[] = [];
  const df = new Map<TermKey, number>();
  /** Surface forms of each word (unigram term) and how many comments wrote each. */
  const surfaces = new Map<TermKey, Map<string, number>>();
  const seedsOf: number[][] = [];
  const perLanguage = emptyLanguages();
  input.forEach((comment, i) => {
    const language = languages[i]!.language;
    if (language === null) {
      termsOf.push(null);
      seedsOf.push([]);
      return;
    }
    perLanguage[language] += 1;
    const tokens = contentTokens(comment.text, language, index.keep[language]);
    const terms = new Set<TermKey>();
    const matched = new Set<number>();
    tokens.forEach((token, t) => {
      for (const s of index.stems[language].get(token.stem) ?? []) matched.add(s);
      const key = `${language}:${token.stem}`;
      if (!terms.has(key)) {
        terms.add(key);
        const forms = surfaces.get(key);
        if (forms === undefined) surfaces.set(key, new Map([[token.surface, 1]]));
        else forms.set(token.surface, (forms.get(token.surface) ?? 0) + 1);
      }
      const next = tokens[t + 1];
      if (next) terms.add(`${key} ${next.stem}`);
    });
    for (const key of terms) df.set(key, (df.get(key) ?? 0) + 1);
    termsOf.push([...terms]);
    seedsOf.push([...matched].sort((a, b) => a - b));
  });

  // A word's surface form: the one written most often (ties: the first in code point order); a bigram's is
  // that of its two words.
  const wordSurface = new Map<TermKey, string>();
  const surfaceOf = (key: TermKey): string => {
    const language = key.slice(0, 3);
    const stems = key.slice(3).split(' ');
    return stems
      .map((s) => {
        const word = `${language}${s}`;
        let surface = wordSurface.get(word);
        if (surface === undefined) {
          const forms = [...(surfaces.get(word) ?? new Map<string, number>())];
          forms.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          surface = forms[0]?.[0] ?? s;
          wordSurface.set(word, surface);
        }
        return surface;
      })
      .join(' ');
  };
  const isSeedTerm = (key: TermKey): boolean => {
    const language = key.slice(0, 2) as ThemeLanguage;
    return key
      .slice(3)
      .split(' ')
      .some((s) => index.stems[language].has(s));
  };

  const themes: ExtractedTheme[] = [];
  const build = (id: string, seed: string | null, comments: number[], terms: TermKey[]) => {
    // Terms ranked by how many of the theme's comments hold them.
    const inTheme = new Map<TermKey, number>();
    const wanted = new Set(terms);
    const langs = emptyLanguages();
    for (const c of comments) {
      langs[languages[c]!.language!] += 1;
      for (const key of termsOf[c] ?? []) if (wanted.has(key)) inTheme.set(key, (inTheme.get(key) ?? 0) + 1);
    }
    const ranked = [...inTheme].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const shown = [...new Set(ranked.map(([k]) => surfaceOf(k)))];
    const nameTerms: string[] = [];
    for (const [key, count] of ranked) {
      if (nameTerms.length === TERMS_IN_NAME) break;
      let chosen = key;
      if (!key.includes(' ')) {
        const word = key.slice(3);
        const bigram = ranked.find(
          ([k, n]) => k.includes(' ') && k.slice(3).split(' ').includes(word) && n >= BIGRAM_SHARE * count,
        );
        if (bigram) chosen = bigram[0];
      }
      const term = surfaceOf(chosen);
      const parts = term.split(' ');
      if (!nameTerms.some((n) => n.split(' ').some((w) => parts.includes(w)))) nameTerms.push(term);
    }
    themes.push({
      id,
      name: nameTerms.join(' · '),
      seed,
      terms: shown.slice(0, TERMS_SHOWN),
      mentions: comments.length,
      languages: langs,
      comments,
    });
  };

  // Seeded themes: the comments holding a stem of the seed; its terms are the unigrams that matched.
  seeds.forEach((seed, s) => {
    const comments: number[] = [];
    seedsOf.forEach((list, c) => {
      if (list.includes(s)) comments.push(c);
    });
    const terms = new Set<TermKey>();
    for (const c of comments) {
      const language = languages[c]!.language!;
      for (const key of termsOf[c] ?? []) {
        const stemPart = key.slice(3);
        if (!stemPart.includes(' ') && index.stems[language].get(stemPart)?.includes(s)) terms.add(key);
      }
    }
    if (comments.length >= minMentions) build(seed.id, seed.id, comments, [...terms]);
  });

  // Discovered themes, per language: frequent terms no seed covers, grouped around the most frequent one by
  // normalised PMI of their co-occurrence in comments.
  const discovered: ExtractedTheme[] = [];
  const seededCount = themes.length;
  for (const language of THEME_LANGUAGES) {
    const total = perLanguage[language];
    if (total === 0) continue;
    const candidates = [...df]
      .filter(([key, n]) => key.startsWith(`${language}:`) && n >= minMentions && !isSeedTerm(key))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_CANDIDATES)
      .map(([key]) => key);
    const position = new Map(candidates.map((k, i) => [k, i]));
    const n = candidates.length;
    const co = new Map<number, number>();
    const holders: number[][] = candidates.map(() => []);
    termsOf.forEach((terms, c) => {
      if (!terms || languages[c]!.language !== language) return;
      const present = terms
        .map((k) => position.get(k))
        .filter((p): p is number => p !== undefined)
        .sort((a, b) => a - b);
      for (let x = 0; x < present.length; x++) {
        holders[present[x]!]!.push(c);
        for (let y = x + 1; y < present.length; y++) {
          const pair = present[x]! * n + present[y]!;
          co.set(pair, (co.get(pair) ?? 0) + 1);
        }
      }
    });
    const minCo = Math.max(2, Math.ceil(minMentions / 2));
    const npmi = (a: number, b: number): number => {
      const both = co.get(Math.min(a, b) * n + Math.max(a, b)) ?? 0;
      if (both < minCo) return -1;
      if (both === total) return 1;
      const dfa = df.get(candidates[a]!)!;
      const dfb = df.get(candidates[b]!)!;
      return Math.log((both * total) / (dfa * dfb)) / -Math.log(both / total);
    };
    const taken = new Set<number>();
    for (let head = 0; head < n; head++) {
      if (taken.has(head)) continue;
      const members = [head];
      for (let other = head + 1; other < n; other++) {
        if (!taken.has(other) && npmi(head, other) >= MIN_NPMI) members.push(other);
      }
      if (members.length < 2) continue;
      for (const m of members) taken.add(m);
      const comments = [...new Set(members.flatMap((m) => holders[m]!))].sort((a, b) => a - b);
      const headKey = candidates[head]!;
      const id = `${language}-${headKey.slice(3).replace(/[^a-z0-9]+/g, '-')}`;
      build(
        id,
        null,
        comments,
        members.map((m) => candidates[m]!),
      );
      discovered.push(themes.pop()!);
    }
  }
  discovered.sort((a, b) => b.mentions - a.mentions || (a.id < b.id ? -1 : 1));
  themes.push(...discovered.slice(0, options.maxDiscovered ?? 20));
  const ordered = [...themes.slice(0, seededCount), ...themes.slice(seededCount)].sort(
    (a, b) => b.mentions - a.mentions || (a.id < b.id ? -1 : 1),
  );
  return {
    themes: ordered,
    languages,
    analysed: THEME_LANGUAGES.reduce((sum, l) => sum + perLanguage[l], 0),
  };
}
