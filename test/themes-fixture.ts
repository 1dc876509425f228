// Hand-made multilingual comments for the theme tests, with what each should be detected as, and a small
// business around them (accounts, MRR changes), as the CSV files of the normal import.
import type { ThemeLanguage } from '../src/insight/themes/text.js';

export interface FixtureComment {
  id: string;
  at: string;
  metric: 'nps' | 'csat' | 'ces' | 'fcr' | 'enps';
  score: number;
  account: string;
  locale: string;
  text: string;
  /** The language the comment should be read as (null: not analysed). */
  language: ThemeLanguage | null;
  /** The seeded themes it should mention. */
  themes: string[];
}

const c = (
  id: string,
  at: string,
  metric: FixtureComment['metric'],
  score: number,
  account: string,
  locale: string,
  text: string,
  language: ThemeLanguage | null,
  themes: string[],
): FixtureComment => ({ id, at, metric, score, account, locale, text, language, themes });

export const COMMENTS: FixtureComment[] = [
  // NPS detractors (score ≤ 6) who talk about price: 6 of 10.
  c('d1', '2025-02-10', 'nps', 3, 'A1', '', 'Too expensive for what we use.', 'en', ['pricing']),
  c('d2', '2025-03-05', 'nps', 3, 'A2', 'it-IT', 'Troppo caro per quello che usiamo.', 'it', ['pricing']),
  c('d3', '2025-03-07', 'nps', 3, 'A3', '', 'Trop cher pour ce que nous utilisons.', 'fr', ['pricing']),
  c('d4', '2025-03-08', 'nps', 3, '', '', 'Terlalu mahal untuk apa yang kami gunakan.', 'ms', ['pricing']),
  c('d5', '2025-03-09', 'nps', 4, '', '', 'The prices went up again and it is hard to justify.', 'en', [
    'pricing',
  ]),
  c('d6', '2025-03-10', 'nps', 5, '', '', "Le prix a encore augmenté, c'est beaucoup trop cher.", 'fr', [
    'pricing',
  ]),
  // …and about slow support: 4 of 10.
  c('d7', '2025-03-11', 'nps', 2, 'A4', '', 'Support takes days to answer, very frustrating.', 'en', [
    'support',
  ]),
  c('d8', '2025-03-12', 'nps', 2, '', '', 'Il supporto risponde dopo giorni, è molto frustrante.', 'it', [
    'support',
  ]),
  c('d9', '2025-03-13', 'nps', 2, '', '', 'Le support met des jours à répondre, très frustrant.', 'fr', [
    'support',
  ]),
  c('d10', '2025-03-14', 'nps', 2, '', '', 'Sokongan mengambil masa berhari-hari untuk menjawab.', 'ms', [
    'support',
  ]),
  // Passives and promoters: 2 of 20 mention price.
  c('o1', '2025-04-01', 'nps', 8, '', '', 'Harganya berpatutan tetapi boleh lebih murah.', 'ms', ['pricing']),
  c('o2', '2025-04-02', 'nps', 7, '', '', 'I prezzi sono giusti per noi.', 'it', ['pricing']),
  c('o3', '2025-04-03', 'nps', 10, '', '', 'Please add a dark mode.', 'en', []),
  c('o4', '2025-04-04', 'nps', 10, '', '', 'A dark mode would help at night.', 'en', []),
  c('o5', '2025-04-05', 'nps', 9, '', '', 'We need dark mode for the night shift.', 'en', []),
  c('o6', '2025-04-06', 'nps', 9, '', '', 'Onboarding was quick and smooth.', 'en', ['onboarding']),
  c('o7', '2025-04-07', 'nps', 10, '', '', "L'onboarding è stato rapidissimo, grazie.", 'it', ['onboarding']),
  c('o8', '2025-04-08', 'nps', 10, '', '', "L'onboarding était très clair, merci à l'équipe.", 'fr', [
    'onboarding',
  ]),
  c('o9', '2025-04-09', 'nps', 10, '', 'ms-MY', 'Proses onboarding sangat lancar.', 'ms', ['onboarding']),
  c('o10', '2025-04-10', 'nps', 9, '', '', 'We are very happy with the service.', 'en', []),
  c('o11', '2025-04-11', 'nps', 9, '', '', 'Siamo molto contenti del servizio.', 'it', []),
  c('o12', '2025-04-12', 'nps', 9, '', '', 'Nous sommes très contents du service.', 'fr', []),
  c('o13', '2025-04-13', 'nps', 9, '', '', 'Kami sangat gembira dengan perkhidmatan ini.', 'ms', []),
  c('o14', '2025-04-14', 'nps', 10, '', '', 'It has changed the way we work with our clients.', 'en', []),
  c(
    'o15',
    '2025-04-15',
    'nps',
    10,
    '',
    '',
    'Ha cambiato il nostro modo di lavorare con i clienti.',
    'it',
    [],
  ),
  c(
    'o16',
    '2025-04-16',
    'nps',
    10,
    '',
    '',
    'Cela a changé notre façon de travailler avec nos clients.',
    'fr',
    [],
  ),
  c('o17', '2025-04-17', 'nps', 8, '', '', 'Ia telah mengubah cara kami bekerja dengan pelanggan.', 'ms', []),
  c('o18', '2025-04-18', 'nps', 8, '', '', 'Nothing to add, keep going.', 'en', []),
  c('o19', '2025-04-19', 'nps', 8, '', 'de-DE', 'Alles gut, weiter so.', null, []),
  c('o20', '2025-04-20', 'nps', 8, '', '', 'Tout va bien pour nous.', 'fr', []),
  // CSAT: low (1–3) and high (4–5).
  c('s1', '2025-04-21', 'csat', 2, 'A3', '', 'Way too pricey.', 'en', ['pricing']),
  c('s2', '2025-04-22', 'csat', 5, '', '', 'Il supporto è stato rapido e gentile.', 'it', ['support']),
  // Employees are anonymous: never analysed, whatever they write.
  c('e1', '2025-04-23', 'enps', 0, '', '', 'Too expensive canteen, support is slow.', null, []),
];

const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;

/** The CSV files of the fixture's business (KPI-SPEC §2). */
export function fixtureCsv(): Record<string, string> {
  const responses = COMMENTS.map((r) =>
    [r.id, r.at, r.metric, r.score, r.account, '', quote(r.text), r.locale].join(','),
  );
  return {
    'accounts.csv': [
      'account_id,created_at,name,segment',
      'A1,2024-12-01,Alpha,smb',
      'A2,2024-11-01,Beta,smb',
      'A3,2024-12-01,Gamma,mid',
      'A4,2024-12-01,Delta,mid',
    ].join('\n'),
    // A1 churns after its comment; A2 churned before its comment and came back; A3 contracts; A4 churns.
    'mrr_changes.csv': [
      'account_id,effective_at,mrr',
      'A1,2025-01-01,100',
      'A1,2025-04-01,0',
      'A2,2024-12-01,200',
      'A2,2025-01-15,0',
      'A2,2025-02-01,200',
      'A3,2025-01-01,100',
      'A3,2025-05-01,50',
      'A4,2025-01-01,300',
      'A4,2025-06-01,0',
    ].join('\n'),
    'responses.csv': [
      'response_id,submitted_at,metric,score,account_id,scale,comment,locale',
      ...responses,
    ].join('\n'),
  };
}
