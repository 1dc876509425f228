// Comment texts employees leave with eNPS answers, per language and sentiment (already CSV-quoted).
import type { Locale } from './account-profile.js';
import { type CommentBook, quoteBook, type Sentiment } from './customer-comments.js';
import type { Rng } from './random.js';

const TEXTS: CommentBook = {
  en: {
    positive: [
      'Great team and interesting problems to work on.',
      'I feel trusted and supported by my manager.',
    ],
    neutral: ['Good place to work, but priorities change too often.'],
    negative: [
      'Workload has been too high for months.',
      'Career growth is unclear, and salaries lag the market.',
    ],
  },
  it: {
    positive: ['Ottimo team e problemi interessanti.', 'Mi sento apprezzato dal mio responsabile.'],
    neutral: ['Buon ambiente, ma le priorità cambiano troppo spesso.'],
    negative: [
      'Il carico di lavoro è troppo alto da mesi.',
      'Poche possibilità di crescita, stipendi sotto il mercato.',
    ],
  },
  fr: {
    positive: ['Super équipe et des sujets passionnants.', 'Je me sens soutenu par mon manager.'],
    neutral: ['Bonne ambiance, mais les priorités changent trop souvent.'],
    negative: [
      'La charge de travail est trop élevée depuis des mois.',
      "Peu de perspectives d'évolution, salaires en dessous du marché.",
    ],
  },
  ms: {
    positive: ['Pasukan yang hebat dan kerja yang menarik.', 'Saya rasa dihargai oleh pengurus saya.'],
    neutral: ['Tempat kerja yang baik, tetapi keutamaan kerap berubah.'],
    negative: [
      'Beban kerja terlalu tinggi sejak beberapa bulan.',
      'Peluang kerjaya tidak jelas, gaji di bawah pasaran.',
    ],
  },
};

const QUOTED = quoteBook(TEXTS);

export function employeeComment(rng: Rng, locale: Locale, sentiment: Sentiment): string {
  return rng.pick(QUOTED[locale][sentiment]);
}
