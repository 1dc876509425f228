// Which of the four languages a comment is in: the answer's locale when it names one, else a stopword vote.
import { fold, STOPWORDS, THEME_LANGUAGES, type ThemeLanguage, words } from './text.js';

export type LanguageSource = 'locale' | 'detected';

export interface Detection {
  /** null: another language (by its locale), or no evidence for any of the four. */
  language: ThemeLanguage | null;
  source: LanguageSource;
}

/** How many of the four stopword lists hold each folded word (a word in three lists says little). */
const LIST_COUNT = new Map<string, number>();
for (const l of THEME_LANGUAGES)
  for (const w of STOPWORDS[l]) LIST_COUNT.set(w, (LIST_COUNT.get(w) ?? 0) + 1);

/** Letters only one or two of the four languages write. */
const LETTER_HINTS: [RegExp, ThemeLanguage][] = [
  [/[çœêûîëï]/u, 'fr'],
  [/[òìù]/u, 'it'],
];

/**
 * The language of a text by stopwords: each word found in a language's stopword list (stopwords-iso plus ours)
 * gives that language 1/k, where k is the number of the four lists holding it; letters only French (ç, œ, ê…)
 * or only Italian (ò, ì, ù) write add 1. The highest score wins; a tie or no evidence gives null.
 */
export function detectByStopwords(text: string): ThemeLanguage | null {
  const score: Record<ThemeLanguage, number> = { en: 0, it: 0, fr: 0, ms: 0 };
  for (const word of words(text)) {
    const folded = fold(word);
    const k = LIST_COUNT.get(folded);
    if (!k) continue;
    for (const l of THEME_LANGUAGES) if (STOPWORDS[l].has(folded)) score[l] += 1 / k;
  }
  const lower = text.toLowerCase();
  for (const [pattern, l] of LETTER_HINTS) if (pattern.test(lower)) score[l] += 1;
  const ranked = [...THEME_LANGUAGES].sort((a, b) => score[b] - score[a]);
  const [first, second] = ranked as [ThemeLanguage, ThemeLanguage];
  if (score[first] === 0 || score[first] === score[second]) return null;
  return first;
}

/** The language of a comment: its locale's primary subtag when set ("it-IT" → it), else detected. */
export function detectLanguage(text: string, locale: string | null | undefined): Detection {
  const tag = locale?.trim().toLowerCase().split(/[-_]/)[0];
  if (tag) {
    const known = (THEME_LANGUAGES as readonly string[]).includes(tag);
    return { language: known ? (tag as ThemeLanguage) : null, source: 'locale' };
  }
  return { language: detectByStopwords(text), source: 'detected' };
}
