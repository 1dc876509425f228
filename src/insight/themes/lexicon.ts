// The seeded themes: what customers of a software product commonly talk about, with words for each in the
// four languages. A comment word matches a seed through its stem, so inflections match too (prices, prezzi,
// chère, harganya); the lexicon is what links the languages: there is no translation beyond it.
import type { ThemeLanguage } from './text.js';

export interface Seed {
  /** The theme's id. */
  id: string;
  words: Record<ThemeLanguage, string[]>;
}

export const SEEDS: readonly Seed[] = [
  {
    id: 'pricing',
    words: {
      en: ['price', 'pricing', 'expensive', 'pricey', 'cost', 'costly', 'cheap', 'invoice', 'billing', 'fee'],
      it: ['prezzo', 'prezzi', 'caro', 'costoso', 'costo', 'economico', 'fattura', 'tariffa'],
      fr: ['prix', 'cher', 'chère', 'coûteux', 'coût', 'tarif', 'facture', 'facturation'],
      ms: ['harga', 'mahal', 'kos', 'murah', 'bayaran', 'invois', 'caj'],
    },
  },
  {
    id: 'support',
    words: {
      en: ['support', 'answer', 'reply', 'respond', 'response', 'ticket', 'agent', 'helpdesk'],
      it: ['supporto', 'assistenza', 'risposta', 'risponde', 'rispondere', 'ticket'],
      fr: ['support', 'assistance', 'réponse', 'répondre', 'réactif', 'ticket'],
      ms: ['sokongan', 'bantuan', 'jawapan', 'menjawab', 'membalas', 'tiket', 'khidmat'],
    },
  },
  {
    id: 'onboarding',
    words: {
      en: ['onboarding', 'setup', 'configuration', 'configure', 'training', 'implementation'],
      it: ['onboarding', 'configurazione', 'configurarlo', 'configurare', 'formazione', 'avviamento'],
      fr: ['onboarding', 'configuration', 'configurer', 'formation', 'installation'],
      ms: ['onboarding', 'persediaan', 'konfigurasi', 'latihan', 'pemasangan', 'tetapan'],
    },
  },
  {
    id: 'performance',
    words: {
      en: ['slow', 'slowness', 'timeout', 'lag', 'loading', 'speed', 'fast'],
      it: ['lento', 'lenta', 'lentezza', 'caricamento', 'veloce', 'velocità'],
      fr: ['lent', 'lente', 'lenteur', 'chargement', 'rapide', 'vitesse'],
      ms: ['lambat', 'perlahan', 'pantas', 'kelajuan', 'memuatkan'],
    },
  },
  {
    id: 'reliability',
    words: {
      en: ['bug', 'bugs', 'crash', 'error', 'broken', 'fail', 'fails', 'outage'],
      it: ['bug', 'errore', 'errori', 'crash', 'blocca', 'guasto'],
      fr: ['bug', 'bugs', 'erreur', 'plantage', 'plante', 'panne'],
      ms: ['pepijat', 'ralat', 'rosak', 'gagal', 'bug'],
    },
  },
  {
    id: 'reporting',
    words: {
      en: ['report', 'reports', 'dashboard', 'dashboards', 'export', 'exports', 'excel'],
      it: ['report', 'dashboard', 'export', 'esportazione', 'cruscotto'],
      fr: ['rapport', 'rapports', 'export', 'tableaux', 'tableau'],
      ms: ['laporan', 'eksport', 'pemuka', 'dashboard'],
    },
  },
  {
    id: 'integrations',
    words: {
      en: ['integration', 'integrations', 'api', 'connector', 'sync'],
      it: ['integrazione', 'integrazioni', 'api', 'connettore'],
      fr: ['intégration', 'intégrations', 'api', 'connecteur'],
      ms: ['integrasi', 'api', 'penyambung'],
    },
  },
  {
    id: 'mobile',
    words: {
      en: ['mobile', 'phone', 'ios', 'android'],
      it: ['mobile', 'telefono', 'ios', 'android'],
      fr: ['mobile', 'téléphone', 'ios', 'android'],
      ms: ['alih', 'telefon', 'ios', 'android'],
    },
  },
  {
    id: 'usability',
    words: {
      en: ['easy', 'intuitive', 'simple', 'confusing', 'complicated', 'usability'],
      it: ['facile', 'intuitivo', 'semplice', 'confuso', 'complicato'],
      fr: ['facile', 'intuitif', 'simple', 'confus', 'compliqué'],
      ms: ['mudah', 'senang', 'rumit', 'mengelirukan', 'keliru'],
    },
  },
];
