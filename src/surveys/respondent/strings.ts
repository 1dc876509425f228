// The respondent pages' words in English, Italian, French and Malay, and which language a respondent sees.
import { SURVEY_LOCALES, type SurveyLocale } from '../questions.js';

export interface RespondentStrings {
  survey: string;
  questionOf: (n: number, total: number) => string;
  optional: string;
  next: string;
  send: string;
  confirm: string;
  yes: string;
  no: string;
  problem: string;
  required: string;
  invalidScale: (low: number, high: number) => string;
  invalidChoice: string;
  tooLong: (max: number) => string;
  thanksTitle: string;
  thanksBody: string;
  alreadyTitle: string;
  alreadyBody: string;
  badLinkTitle: string;
  badLinkBody: string;
  closedTitle: string;
  closedBody: string;
  pausedTitle: string;
  pausedBody: string;
  unsubscribeTitle: string;
  unsubscribeBody: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  unsubscribedBody: string;
  tooManyTitle: string;
  tooManyBody: string;
  badRequestBody: string;
  errorTitle: string;
  errorBody: string;
}

export const RESPONDENT_STRINGS: Record<SurveyLocale, RespondentStrings> = {
  en: {
    survey: 'Survey',
    questionOf: (n, total) => `Question ${n} of ${total}`,
    optional: '(optional)',
    next: 'Next',
    send: 'Send',
    confirm: 'Confirm',
    yes: 'Yes',
    no: 'No',
    problem: 'There is a problem',
    required: 'Please answer this question.',
    invalidScale: (low, high) => `Choose a number from ${low} to ${high}.`,
    invalidChoice: 'Choose one of the answers shown.',
    tooLong: (max) => `Write at most ${max} characters.`,
    thanksTitle: 'Thank you!',
    thanksBody: 'Your answer has been recorded.',
    alreadyTitle: 'You have already answered',
    alreadyBody: 'Your answer was kept; answering again changes nothing.',
    badLinkTitle: 'This survey link is not valid',
    badLinkBody: 'Check that you opened the whole link from your e-mail.',
    closedTitle: 'This survey has closed',
    closedBody: 'It no longer takes answers. Thank you for your interest.',
    pausedTitle: 'This survey is not taking answers right now',
    pausedBody: 'Please try again later.',
    unsubscribeTitle: 'Stop receiving surveys',
    unsubscribeBody: 'We will not send you surveys by e-mail any more.',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'You are unsubscribed',
    unsubscribedBody: 'You will not receive more surveys from us by e-mail.',
    tooManyTitle: 'Too many requests',
    tooManyBody: 'Please wait a minute and try again.',
    badRequestBody: 'The page could not read what was sent. Go back and try again.',
    errorTitle: 'Something went wrong',
    errorBody: 'The problem is on our side. Your earlier answers are kept; please try again later.',
  },
  it: {
    survey: 'Sondaggio',
    questionOf: (n, total) => `Domanda ${n} di ${total}`,
    optional: '(facoltativa)',
    next: 'Avanti',
    send: 'Invia',
    confirm: 'Conferma',
    yes: 'Sì',
    no: 'No',
    problem: 'C’è un problema',
    required: 'Rispondi a questa domanda.',
    invalidScale: (low, high) => `Scegli un numero da ${low} a ${high}.`,
    invalidChoice: 'Scegli una delle risposte proposte.',
    tooLong: (max) => `Scrivi al massimo ${max} caratteri.`,
    thanksTitle: 'Grazie!',
    thanksBody: 'La tua risposta è stata registrata.',
    alreadyTitle: 'Hai già risposto',
    alreadyBody: 'La tua risposta è stata conservata; rispondere di nuovo non cambia nulla.',
    badLinkTitle: 'Questo link al sondaggio non è valido',
    badLinkBody: 'Controlla di aver aperto il link completo della tua e-mail.',
    closedTitle: 'Questo sondaggio è chiuso',
    closedBody: 'Non accetta più risposte. Grazie per l’interesse.',
    pausedTitle: 'Questo sondaggio al momento non accetta risposte',
    pausedBody: 'Riprova più tardi.',
    unsubscribeTitle: 'Non ricevere più sondaggi',
    unsubscribeBody: 'Non ti invieremo più sondaggi via e-mail.',
    unsubscribeButton: 'Annulla l’iscrizione',
    unsubscribedTitle: 'Iscrizione annullata',
    unsubscribedBody: 'Non riceverai più nostri sondaggi via e-mail.',
    tooManyTitle: 'Troppe richieste',
    tooManyBody: 'Attendi un minuto e riprova.',
    badRequestBody: 'La pagina non è riuscita a leggere i dati inviati. Torna indietro e riprova.',
    errorTitle: 'Qualcosa è andato storto',
    errorBody: 'Il problema è nostro. Le risposte già date sono conservate; riprova più tardi.',
  },
  fr: {
    survey: 'Sondage',
    questionOf: (n, total) => `Question ${n} sur ${total}`,
    optional: '(facultatif)',
    next: 'Suivant',
    send: 'Envoyer',
    confirm: 'Confirmer',
    yes: 'Oui',
    no: 'Non',
    problem: 'Il y a un problème',
    required: 'Veuillez répondre à cette question.',
    invalidScale: (low, high) => `Choisissez un nombre de ${low} à ${high}.`,
    invalidChoice: 'Choisissez l’une des réponses proposées.',
    tooLong: (max) => `Écrivez au plus ${max} caractères.`,
    thanksTitle: 'Merci !',
    thanksBody: 'Votre réponse a été enregistrée.',
    alreadyTitle: 'Vous avez déjà répondu',
    alreadyBody: 'Votre réponse a été conservée ; répondre à nouveau ne change rien.',
    badLinkTitle: 'Ce lien de sondage n’est pas valide',
    badLinkBody: 'Vérifiez que vous avez ouvert le lien complet de votre e-mail.',
    closedTitle: 'Ce sondage est clos',
    closedBody: 'Il n’accepte plus de réponses. Merci de votre intérêt.',
    pausedTitle: 'Ce sondage n’accepte pas de réponses pour le moment',
    pausedBody: 'Veuillez réessayer plus tard.',
    unsubscribeTitle: 'Ne plus recevoir de sondages',
    unsubscribeBody: 'Nous ne vous enverrons plus de sondages par e-mail.',
    unsubscribeButton: 'Se désinscrire',
    unsubscribedTitle: 'Vous êtes désinscrit',
    unsubscribedBody: 'Vous ne recevrez plus nos sondages par e-mail.',
    tooManyTitle: 'Trop de requêtes',
    tooManyBody: 'Veuillez patienter une minute puis réessayer.',
    badRequestBody: 'La page n’a pas pu lire ce qui a été envoyé. Revenez en arrière et réessayez.',
    errorTitle: 'Une erreur est survenue',
    errorBody:
      'Le problème vient de chez nous. Vos réponses précédentes sont conservées ; réessayez plus tard.',
  },
  ms: {
    survey: 'Tinjauan',
    questionOf: (n, total) => `Soalan ${n} daripada ${total}`,
    optional: '(pilihan)',
    next: 'Seterusnya',
    send: 'Hantar',
    confirm: 'Sahkan',
    yes: 'Ya',
    no: 'Tidak',
    problem: 'Terdapat masalah',
    required: 'Sila jawab soalan ini.',
    invalidScale: (low, high) => `Pilih nombor dari ${low} hingga ${high}.`,
    invalidChoice: 'Pilih salah satu jawapan yang ditunjukkan.',
    tooLong: (max) => `Tulis tidak lebih daripada ${max} aksara.`,
    thanksTitle: 'Terima kasih!',
    thanksBody: 'Jawapan anda telah direkodkan.',
    alreadyTitle: 'Anda telah pun menjawab',
    alreadyBody: 'Jawapan anda telah disimpan; menjawab sekali lagi tidak mengubah apa-apa.',
    badLinkTitle: 'Pautan tinjauan ini tidak sah',
    badLinkBody: 'Pastikan anda membuka pautan penuh daripada e-mel anda.',
    closedTitle: 'Tinjauan ini telah ditutup',
    closedBody: 'Ia tidak lagi menerima jawapan. Terima kasih atas minat anda.',
    pausedTitle: 'Tinjauan ini tidak menerima jawapan buat masa ini',
    pausedBody: 'Sila cuba lagi kemudian.',
    unsubscribeTitle: 'Berhenti menerima tinjauan',
    unsubscribeBody: 'Kami tidak akan menghantar tinjauan kepada anda melalui e-mel lagi.',
    unsubscribeButton: 'Berhenti melanggan',
    unsubscribedTitle: 'Anda telah berhenti melanggan',
    unsubscribedBody: 'Anda tidak akan menerima tinjauan lagi daripada kami melalui e-mel.',
    tooManyTitle: 'Terlalu banyak permintaan',
    tooManyBody: 'Sila tunggu seminit dan cuba lagi.',
    badRequestBody: 'Halaman tidak dapat membaca apa yang dihantar. Kembali dan cuba lagi.',
    errorTitle: 'Sesuatu telah berlaku',
    errorBody: 'Masalah ini di pihak kami. Jawapan anda sebelum ini disimpan; sila cuba lagi kemudian.',
  },
};

/** The survey locale a language tag names ("fr-CA" → fr), or null when Fidelio does not speak it. */
function spoken(tag: string | null | undefined): SurveyLocale | null {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (SURVEY_LOCALES as readonly string[]).includes(primary) ? (primary as SurveyLocale) : null;
}

/** The first language of an Accept-Language header that Fidelio speaks, by preference (q) then order. */
function acceptedLocale(header: string | undefined): SurveyLocale | null {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { locale: spoken(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((p) => p.locale !== null && p.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.locale ?? null;
}

/**
 * The respondent's language: `?lang=` when Fidelio speaks it, else the contact's locale, else (for pages without
 * a known person) the browser's Accept-Language, else the survey's default.
 */
export function respondentLocale(options: {
  lang: string | undefined;
  contactLocale: string | null;
  acceptLanguage: string | undefined;
  fallback: SurveyLocale;
}): SurveyLocale {
  return (
    spoken(options.lang) ??
    spoken(options.contactLocale) ??
    acceptedLocale(options.acceptLanguage) ??
    options.fallback
  );
}
