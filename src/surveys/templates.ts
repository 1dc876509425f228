// The survey templates (NPS, CSAT, CES, FCR, eNPS, pulse) with their questions in English, Italian, French
// and Malay. CES is worded so that 1 = very easy, as KPI-SPEC stores it.
import type { Question } from './questions.js';
import type { Audience, Template } from './survey.js';

interface TemplateSpec {
  audience: Audience;
  anonymous: boolean;
  /** The template's questions; undefined when the user writes them (custom, pulse). */
  questions?: (cesScale: 5 | 7) => Question[];
}

const reason = (about: string): Question => ({
  id: 'reason',
  type: 'text',
  required: false,
  comment_for: about,
  text: {
    en: 'What is the main reason for your score?',
    it: 'Qual è il motivo principale del tuo punteggio?',
    fr: 'Quelle est la principale raison de votre note ?',
    ms: 'Apakah sebab utama markah anda?',
  },
});

const likelihoodEnds = {
  low_label: {
    en: 'Not at all likely',
    it: 'Per niente probabile',
    fr: 'Pas du tout probable',
    ms: 'Sama sekali tidak mungkin',
  },
  high_label: {
    en: 'Extremely likely',
    it: 'Estremamente probabile',
    fr: 'Très probable',
    ms: 'Sangat mungkin',
  },
};

const npsQuestion: Question = {
  id: 'score',
  type: 'nps',
  metric: 'nps',
  required: true,
  text: {
    en: 'How likely is it that you would recommend us to a friend or colleague?',
    it: 'Quanto è probabile che ci consiglieresti a un amico o a un collega?',
    fr: 'Quelle est la probabilité que vous nous recommandiez à un ami ou à un collègue ?',
    ms: 'Sejauh manakah kemungkinan anda mengesyorkan kami kepada rakan atau rakan sekerja?',
  },
  ...likelihoodEnds,
};

const enpsQuestion: Question = {
  id: 'score',
  type: 'nps',
  metric: 'enps',
  required: true,
  text: {
    en: 'How likely is it that you would recommend working here to a friend?',
    it: 'Quanto è probabile che consiglieresti a un amico di lavorare qui?',
    fr: 'Quelle est la probabilité que vous recommandiez à un ami de travailler ici ?',
    ms: 'Sejauh manakah kemungkinan anda mengesyorkan tempat kerja ini kepada rakan?',
  },
  ...likelihoodEnds,
};

const csatQuestion: Question = {
  id: 'score',
  type: 'csat',
  metric: 'csat',
  required: true,
  text: {
    en: 'How satisfied are you with our service?',
    it: 'Quanto sei soddisfatto del nostro servizio?',
    fr: 'Dans quelle mesure êtes-vous satisfait de notre service ?',
    ms: 'Sejauh manakah anda berpuas hati dengan perkhidmatan kami?',
  },
  low_label: {
    en: 'Very unsatisfied',
    it: 'Molto insoddisfatto',
    fr: 'Très insatisfait',
    ms: 'Sangat tidak berpuas hati',
  },
  high_label: {
    en: 'Very satisfied',
    it: 'Molto soddisfatto',
    fr: 'Très satisfait',
    ms: 'Sangat berpuas hati',
  },
};

const cesQuestion = (scale: 5 | 7): Question => ({
  id: 'score',
  type: 'ces',
  metric: 'ces',
  scale,
  required: true,
  text: {
    en: 'How easy was it to get what you needed from us?',
    it: 'Quanto è stato facile ottenere da noi ciò di cui avevi bisogno?',
    fr: 'Dans quelle mesure a-t-il été facile d’obtenir de nous ce dont vous aviez besoin ?',
    ms: 'Sejauh manakah mudahnya mendapatkan apa yang anda perlukan daripada kami?',
  },
  low_label: { en: 'Very easy', it: 'Molto facile', fr: 'Très facile', ms: 'Sangat mudah' },
  high_label: { en: 'Very difficult', it: 'Molto difficile', fr: 'Très difficile', ms: 'Sangat sukar' },
});

const fcrQuestions: Question[] = [
  {
    id: 'resolved',
    type: 'yes_no',
    metric: 'fcr',
    required: true,
    text: {
      en: 'Did we resolve your problem?',
      it: 'Abbiamo risolto il tuo problema?',
      fr: 'Avons-nous résolu votre problème ?',
      ms: 'Adakah kami telah menyelesaikan masalah anda?',
    },
  },
  {
    id: 'anything_else',
    type: 'text',
    required: false,
    comment_for: 'resolved',
    text: {
      en: 'Is there anything else we can help you with?',
      it: "C'è qualcos'altro in cui possiamo aiutarti?",
      fr: 'Pouvons-nous vous aider pour autre chose ?',
      ms: 'Adakah apa-apa lagi yang boleh kami bantu?',
    },
  },
  {
    id: 'contacted_before',
    type: 'yes_no',
    required: false,
    text: {
      en: 'Had you already contacted us about this?',
      it: 'Ci avevi già contattato per questo?',
      fr: 'Nous aviez-vous déjà contactés à ce sujet ?',
      ms: 'Adakah anda pernah menghubungi kami tentang perkara ini sebelum ini?',
    },
  },
];

export const TEMPLATE_SPECS: Record<Template, TemplateSpec> = {
  nps: { audience: 'customers', anonymous: false, questions: () => [npsQuestion, reason('score')] },
  csat: { audience: 'customers', anonymous: false, questions: () => [csatQuestion, reason('score')] },
  ces: {
    audience: 'customers',
    anonymous: false,
    questions: (scale) => [cesQuestion(scale), reason('score')],
  },
  fcr: { audience: 'customers', anonymous: false, questions: () => fcrQuestions },
  enps: { audience: 'employees', anonymous: true, questions: () => [enpsQuestion, reason('score')] },
  pulse: { audience: 'employees', anonymous: true },
  custom: { audience: 'customers', anonymous: false },
};

/** The questions a template starts with (empty for pulse and custom, whose questions the user writes). */
export function templateQuestions(template: Template, cesScale: 5 | 7 = 7): Question[] {
  return TEMPLATE_SPECS[template].questions?.(cesScale) ?? [];
}
