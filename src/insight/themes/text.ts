// Text processing for feedback themes: the four languages, tokens, stopwords and stems. Pure and offline:
// the stopword lists (stopwords-iso) and the Snowball stemmers (snowball-stemmers) ship inside npm packages.
import { createRequire } from 'node:module';

export const THEME_LANGUAGES = ['en', 'it', 'fr', 'ms'] as const;
export type ThemeLanguage = (typeof THEME_LANGUAGES)[number];

const require = createRequire(import.meta.url);
const STOPWORDS_ISO = require('stopwords-iso') as Record<string, string[]>;
interface Stemmer {
  stem(word: string): string;
}
const snowball = require('snowball-stemmers') as { newStemmer(name: string): Stemmer };

/** Lower case, accents removed (NFKD without combining marks): the form words are matched in. */
export function fold(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
}

/**
 * Words of a text in order, lower case with their accents (the surface form). Apostrophes split words, so
 * French and Italian elisions (l'onboarding, dell'app) leave the word; digits and one-letter bits are dropped.
 */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !/^\p{N}+$/u.test(w));
}

/**
 * Words that say nothing about a theme in customer feedback, on top of stopwords-iso: sentiment and
 * intensifiers (a theme is what is talked about, not how much it is liked), the product itself, and
 * English contraction fragments.
 */
const DOMAIN_STOPWORDS: Record<ThemeLanguage, string[]> = {
  en: [
    're',
    'll',
    've',
    'don',
    'doesn',
    'isn',
    'didn',
    'won',
    'can',
    'love',
    'like',
    'great',
    'good',
    'bad',
    'nice',
    'product',
    'thanks',
    'thank',
    'really',
    'lot',
    'bit',
    'overall',
    'use',
    'used',
    'using',
    'team',
    'everything',
    'anything',
    'always',
    'never',
    'fine',
    'ok',
    'okay',
    'excellent',
    'awesome',
    'terrible',
    'would',
    'could',
    'still',
    'now',
    'way',
    'much',
  ],
  it: [
    'ottimo',
    'buono',
    'bene',
    'male',
    'prodotto',
    'grazie',
    'molto',
    'troppo',
    'troppi',
    'sempre',
    'mai',
    'tutto',
    'usare',
    'usiamo',
    'team',
    'davvero',
    'po',
    'nel',
    'complesso',
  ],
  fr: [
    'excellent',
    'bon',
    'bien',
    'mal',
    'produit',
    'merci',
    'très',
    'trop',
    'toujours',
    'jamais',
    'tout',
    'toute',
    'utiliser',
    'utilisons',
    'équipe',
    'vraiment',
    'peu',
    'ça',
    'ensemble',
  ],
  ms: [
    'terlalu',
    'sangat',
    'amat',
    'agak',
    'sedikit',
    'produk',
    'terima',
    'kasih',
    'bagus',
    'baik',
    'teruk',
    'sentiasa',
    'selalu',
    'kami',
    'kita',
    'saya',
    'pasukan',
    'guna',
    'menggunakan',
    'digunakan',
    'benar',
    'keseluruhan',
    'lagi',
    'sahaja',
    'juga',
    'tetapi',
    'tapi',
    'masih',
    'dah',
    'sudah',
  ],
};

/** Folded stopwords of each language: stopwords-iso plus the domain list. */
export const STOPWORDS: Record<ThemeLanguage, ReadonlySet<string>> = Object.fromEntries(
  THEME_LANGUAGES.map((l) => [l, new Set([...(STOPWORDS_ISO[l] ?? []), ...DOMAIN_STOPWORDS[l]].map(fold))]),
) as unknown as Record<ThemeLanguage, ReadonlySet<string>>;

const SNOWBALL: Record<Exclude<ThemeLanguage, 'ms'>, Stemmer> = {
  en: snowball.newStemmer('english'),
  it: snowball.newStemmer('italian'),
  fr: snowball.newStemmer('french'),
};

const MALAY_PARTICLES = ['lah', 'kah', 'tah', 'pun'];
const MALAY_POSSESSIVES = ['nya', 'ku', 'mu'];
const MALAY_SUFFIXES = ['kan', 'an', 'i'];
// Longest first; `meny` before a vowel restores the s it replaced (menyokong → sokong).
const MALAY_PREFIXES = [
  'meng',
  'meny',
  'mem',
  'men',
  'me',
  'peng',
  'peny',
  'pem',
  'pen',
  'pe',
  'ber',
  'be',
  'ter',
  'di',
  'ke',
  'se',
];
const MIN_MALAY_STEM = 4;

/**
 * A light Malay stemmer of our own (no npm package has one): strips one particle (-lah, -kah, -tah, -pun),
 * one possessive (-nya, -ku, -mu), then one prefix (meN-, peN-, per-, ber-, ter-, di-, ke-, se-), then one
 * derivational suffix (-kan, -an, -i), each only when at least four letters remain. It restores only the s of meny-/peny-;
 * other nasal assimilations (menulis → tulis) and confixes beyond one prefix are not undone.
 */
export function stemMalay(word: string): string {
  let w = word;
  const strip = (endings: readonly string[]) => {
    for (const e of endings) {
      if (w.endsWith(e) && w.length - e.length >= MIN_MALAY_STEM) {
        w = w.slice(0, -e.length);
        return;
      }
    }
  };
  strip(MALAY_PARTICLES);
  strip(MALAY_POSSESSIVES);
  for (const p of MALAY_PREFIXES) {
    if (!w.startsWith(p) || w.length - p.length < MIN_MALAY_STEM) continue;
    const rest = w.slice(p.length);
    w = (p === 'meny' || p === 'peny') && /^[aeiou]/.test(rest) ? `s${rest}` : rest;
    break;
  }
  strip(MALAY_SUFFIXES);
  return w;
}

/** The stem of a lower-case word, accents folded (Snowball sees the accents, which its French rules need). */
export function stem(word: string, language: ThemeLanguage): string {
  return fold(language === 'ms' ? stemMalay(word) : SNOWBALL[language].stem(word));
}

/** One content word of a comment: its stem (the key terms are counted by) and its surface form. */
export interface Token {
  stem: string;
  surface: string;
}

/** Folded form and stem of each word seen, per language (stemming is most of the time; words repeat). */
const WORD_CACHE: Record<ThemeLanguage, Map<string, { folded: string; stem: string }>> = {
  en: new Map(),
  it: new Map(),
  fr: new Map(),
  ms: new Map(),
};
const MAX_CACHED_WORDS = 200_000;

/**
 * The content words of a text in order: words minus stopwords (`keep` names folded words that stay even
 * when a stopword list has them, such as the lexicon's "cher" or "harga"), stemmed.
 */
export function contentTokens(text: string, language: ThemeLanguage, keep: ReadonlySet<string>): Token[] {
  const stop = STOPWORDS[language];
  const known = WORD_CACHE[language];
  if (known.size > MAX_CACHED_WORDS) known.clear();
  const tokens: Token[] = [];
  for (const surface of words(text)) {
    let word = known.get(surface);
    if (word === undefined) {
      word = { folded: fold(surface), stem: stem(surface, language) };
      known.set(surface, word);
    }
    if (word.folded.length < 3 && !keep.has(word.folded)) continue;
    if (stop.has(word.folded) && !keep.has(word.folded)) continue;
    tokens.push({ stem: word.stem, surface });
  }
  return tokens;
}
