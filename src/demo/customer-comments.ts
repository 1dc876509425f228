// Comment texts customers leave with survey answers, per language and sentiment (already CSV-quoted).
import type { Locale } from './account-profile.js';
import { csvText } from './csv-text.js';
import type { Rng } from './random.js';

export type Sentiment = 'positive' | 'neutral' | 'negative';
export type CommentBook = Record<Locale, Record<Sentiment, string[]>>;

const TEXTS: CommentBook = {
  en: {
    positive: [
      'Love how quickly we can build reports now.',
      'Great product, and the support team is always quick to help.',
      'The dashboards save our team hours every week.',
      'Easy to use: the whole team adopted it in a few days.',
      'Exports to Excel work perfectly, thanks!',
    ],
    neutral: [
      'Does the job, but the mobile view needs work.',
      "Good overall; we'd like more integrations.",
      'Fine for now, though extra seats are a bit pricey.',
    ],
    negative: [
      "Too expensive for what we use, we're looking at alternatives.",
      'The price went up again and it is hard to justify to finance.',
      'Since the last update the "Share" button does nothing.',
      'Reports keep timing out and exports fail half the time.',
      'Support takes days to answer, very frustrating.',
      'Onboarding was confusing, we never got the setup right.',
    ],
  },
  it: {
    positive: [
      'Ottimo prodotto, i report ci fanno risparmiare ore ogni settimana.',
      'Il supporto è sempre rapido e gentile.',
      "Facile da usare, tutto il team l'ha adottato subito.",
      'Dashboard chiare: finalmente numeri affidabili.',
    ],
    neutral: [
      'Funziona bene, ma mancano alcune integrazioni.',
      "Buono nel complesso, l'app mobile è migliorabile.",
      "Va bene, anche se il prezzo per utente è un po' alto.",
    ],
    negative: [
      'Troppo caro per quello che usiamo, stiamo valutando alternative.',
      'Il prezzo è aumentato di nuovo, difficile giustificarlo.',
      "Troppi bug dopo l'ultimo aggiornamento, l'export non funziona.",
      'Il supporto risponde dopo giorni, molto frustrante.',
      "L'onboarding è stato confuso, non siamo mai riusciti a configurarlo.",
    ],
  },
  fr: {
    positive: [
      'Excellent produit, les rapports nous font gagner des heures chaque semaine.',
      'Le support est toujours réactif et aimable.',
      "Très simple à prendre en main, toute l'équipe l'a adopté.",
      'Des tableaux de bord clairs, enfin des chiffres fiables.',
    ],
    neutral: [
      'Ça fonctionne, mais il manque quelques intégrations.',
      "Bien dans l'ensemble, la version mobile pourrait être meilleure.",
      'Correct, même si le prix par utilisateur est un peu élevé.',
    ],
    negative: [
      "Trop cher pour ce que nous utilisons, nous regardons d'autres solutions.",
      'Le prix a encore augmenté, difficile à justifier.',
      "Trop de bugs depuis la dernière mise à jour, l'export ne marche pas.",
      'Le support met des jours à répondre, très frustrant.',
      "L'onboarding était confus, nous n'avons jamais réussi la configuration.",
    ],
  },
  ms: {
    positive: [
      'Produk yang sangat baik, laporan menjimatkan masa kami setiap minggu.',
      'Pasukan sokongan sentiasa cepat membantu.',
      'Mudah digunakan, seluruh pasukan kami terus menggunakannya.',
      'Papan pemuka yang jelas, akhirnya data yang boleh dipercayai.',
    ],
    neutral: [
      'Berfungsi dengan baik, tetapi kurang beberapa integrasi.',
      'Secara keseluruhan bagus, aplikasi mudah alih boleh diperbaiki.',
      'Okey, walaupun harga setiap pengguna agak tinggi.',
    ],
    negative: [
      'Terlalu mahal untuk apa yang kami guna, kami sedang mencari alternatif.',
      'Harga naik lagi, sukar untuk dijustifikasikan.',
      'Terlalu banyak pepijat selepas kemas kini terakhir, eksport tidak berfungsi.',
      'Sokongan mengambil masa berhari-hari untuk membalas, sangat mengecewakan.',
      'Proses permulaan mengelirukan, kami tidak pernah berjaya menyediakannya.',
    ],
  },
};

/** The book with every text quoted once for CSV, so rows do not re-check each comment. */
export function quoteBook(book: CommentBook): CommentBook {
  const quote = (texts: Record<Sentiment, string[]>) => ({
    positive: texts.positive.map(csvText),
    neutral: texts.neutral.map(csvText),
    negative: texts.negative.map(csvText),
  });
  return { en: quote(book.en), it: quote(book.it), fr: quote(book.fr), ms: quote(book.ms) };
}

const QUOTED = quoteBook(TEXTS);

/** A comment in the customer's language, as a ready CSV field. */
export function customerComment(rng: Rng, locale: Locale, sentiment: Sentiment): string {
  return rng.pick(QUOTED[locale][sentiment]);
}
