// The invitation and reminder e-mails, in the contact's language (en, it, fr, ms): a greeting, the first question
// with its scale as links (the page opens with that answer chosen and one click confirms: a GET never records),
// a plain link, and a way to unsubscribe.
import type { MailMessage } from './mailer.js';
import { type Question, type SurveyLocale, scoreRange, surveyLocaleOf, textIn } from './questions.js';
import { escapeHtml } from './respondent/html.js';
import { RESPONDENT_STRINGS } from './respondent/strings.js';
import type { Survey } from './survey.js';

interface MailStrings {
  subject: string;
  reminderSubject: string;
  greeting: (name: string | null) => string;
  intro: string;
  reminderIntro: string;
  anonymousReminder: string;
  anonymous: string;
  start: string;
  plainLink: string;
  unsubscribe: string;
  anonymousUnsubscribe: string;
}

const MAIL_STRINGS: Record<SurveyLocale, MailStrings> = {
  en: {
    subject: 'A quick question for you',
    reminderSubject: 'Reminder: a quick question for you',
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    intro: 'Click your answer below; one more click on the page confirms it.',
    reminderIntro: 'We have not received your answer yet. It takes a minute: click your answer below.',
    anonymousReminder: 'If you have already answered, thank you: please ignore this reminder.',
    anonymous: 'Your answers are anonymous: they are stored without your name or e-mail address.',
    start: 'Start the survey',
    plainLink: 'Or open the survey:',
    unsubscribe: 'Don’t want these e-mails? Unsubscribe:',
    anonymousUnsubscribe: 'To stop receiving these surveys, reply to this e-mail.',
  },
  it: {
    subject: 'Una domanda veloce per te',
    reminderSubject: 'Promemoria: una domanda veloce per te',
    greeting: (name) => (name ? `Ciao ${name},` : 'Ciao,'),
    intro: 'Fai clic sulla tua risposta qui sotto; un altro clic sulla pagina la conferma.',
    reminderIntro:
      'Non abbiamo ancora ricevuto la tua risposta. Basta un minuto: fai clic sulla tua risposta qui sotto.',
    anonymousReminder: 'Se hai già risposto, grazie: ignora questo promemoria.',
    anonymous:
      'Le tue risposte sono anonime: vengono registrate senza il tuo nome né il tuo indirizzo e-mail.',
    start: 'Inizia il sondaggio',
    plainLink: 'Oppure apri il sondaggio:',
    unsubscribe: 'Non vuoi ricevere queste e-mail? Annulla l’iscrizione:',
    anonymousUnsubscribe: 'Per non ricevere più questi sondaggi, rispondi a questa e-mail.',
  },
  fr: {
    subject: 'Une petite question pour vous',
    reminderSubject: 'Rappel : une petite question pour vous',
    greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    intro: 'Cliquez sur votre réponse ci-dessous ; un clic de plus sur la page la confirme.',
    reminderIntro:
      'Nous n’avons pas encore reçu votre réponse. Cela prend une minute : cliquez sur votre réponse ci-dessous.',
    anonymousReminder: 'Si vous avez déjà répondu, merci : ignorez ce rappel.',
    anonymous: 'Vos réponses sont anonymes : elles sont enregistrées sans votre nom ni votre adresse e-mail.',
    start: 'Commencer le sondage',
    plainLink: 'Ou ouvrez le sondage :',
    unsubscribe: 'Vous ne souhaitez plus recevoir ces e-mails ? Se désinscrire :',
    anonymousUnsubscribe: 'Pour ne plus recevoir ces sondages, répondez à cet e-mail.',
  },
  ms: {
    subject: 'Satu soalan ringkas untuk anda',
    reminderSubject: 'Peringatan: satu soalan ringkas untuk anda',
    greeting: (name) => (name ? `Hai ${name},` : 'Hai,'),
    intro: 'Klik jawapan anda di bawah; satu klik lagi pada halaman itu mengesahkannya.',
    reminderIntro:
      'Kami belum menerima jawapan anda. Ia hanya mengambil masa seminit: klik jawapan anda di bawah.',
    anonymousReminder: 'Jika anda sudah menjawab, terima kasih: abaikan peringatan ini.',
    anonymous: 'Jawapan anda adalah tanpa nama: ia disimpan tanpa nama atau alamat e-mel anda.',
    start: 'Mulakan tinjauan',
    plainLink: 'Atau buka tinjauan:',
    unsubscribe: 'Tidak mahu menerima e-mel ini? Berhenti melanggan:',
    anonymousUnsubscribe: 'Untuk berhenti menerima tinjauan ini, balas e-mel ini.',
  },
};

export interface MailRecipient {
  email: string;
  name: string | null;
  /** The contact's locale; the survey's default when Fidelio does not speak it. */
  locale: string | null;
  token: string;
}

export interface InvitationMailInput {
  survey: Survey;
  recipient: MailRecipient;
  /** Where the workspace's respondent pages live: `https://host/s/<workspace>`. */
  baseUrl: string;
  reminder: boolean;
}

/** One answer of the first question as a link: its value in the URL and its label. */
interface ScoreLink {
  value: string;
  label: string;
  url: string;
}

/** The page of a token, with `lang` (anonymous tokens: the page cannot look the person up) and a score. */
function pageUrl(baseUrl: string, token: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `${baseUrl}/${token}${query ? `?${query}` : ''}`;
}

/** The answers of the first question that fit in a link: a scale's numbers, or yes and no. */
function scoreLinks(q: Question, locale: SurveyLocale, url: (value: string) => string): ScoreLink[] {
  const range = scoreRange(q);
  if (range) {
    return Array.from({ length: range[1] - range[0] + 1 }, (_, i) => String(range[0] + i)).map((value) => ({
      value,
      label: value,
      url: url(value),
    }));
  }
  if (q.type === 'yes_no') {
    const words = RESPONDENT_STRINGS[locale];
    return [
      { value: 'yes', label: words.yes, url: url('yes') },
      { value: 'no', label: words.no, url: url('no') },
    ];
  }
  return [];
}

/**
 * The invitation (or reminder) e-mail of one recipient.
 * @example invitationMail({ survey, recipient: { email, name: 'Ana', locale: 'it', token }, baseUrl, reminder: false })
 */
export function invitationMail(input: InvitationMailInput): MailMessage {
  const { survey, recipient, baseUrl, reminder } = input;
  const locale = surveyLocaleOf(recipient.locale, survey.default_locale);
  const words = MAIL_STRINGS[locale];
  const base = survey.anonymous ? { lang: locale } : {};
  const surveyUrl = pageUrl(baseUrl, recipient.token, base);
  const first = survey.questions[0]!;
  const links = scoreLinks(first, locale, (value) =>
    pageUrl(baseUrl, recipient.token, { ...base, score: value }),
  );
  const unsubscribeUrl = survey.anonymous ? null : `${baseUrl}/${recipient.token}/unsubscribe`;
  const intro = [reminder ? words.reminderIntro : words.intro];
  if (reminder && survey.anonymous) intro.push(words.anonymousReminder);
  if (survey.anonymous) intro.push(words.anonymous);
  const low = first.low_label ? textIn(first.low_label, locale) : null;
  const high = first.high_label ? textIn(first.high_label, locale) : null;
  const question = textIn(first.text, locale);
  const unsubscribeLine = unsubscribeUrl
    ? `${words.unsubscribe} ${unsubscribeUrl}`
    : words.anonymousUnsubscribe;

  const text = [
    words.greeting(recipient.name),
    '',
    ...intro,
    '',
    question,
    ...links.map((l, i) => {
      const end = i === 0 ? low : i === links.length - 1 ? high : null;
      return `${l.label}${end && links.length > 2 ? ` (${end})` : ''}: ${l.url}`;
    }),
    '',
    links.length > 0 ? `${words.plainLink} ${surveyUrl}` : `${words.start}: ${surveyUrl}`,
    '',
    unsubscribeLine,
  ].join('\n');

  const e = escapeHtml;
  const button = (l: ScoreLink) =>
    `<td style="padding:2px"><a href="${e(l.url)}" style="display:inline-block;min-width:32px;padding:10px 6px;` +
    'border:1px solid #4b5563;border-radius:6px;color:#111827;text-align:center;text-decoration:none;' +
    `font:600 16px sans-serif">${e(l.label)}</a></td>`;
  const ends =
    low && high && links.length > 2
      ? `<p style="font:13px sans-serif;color:#4b5563;margin:4px 0 0">` +
        `${e(links[0]!.label)} = ${e(low)} · ${e(links[links.length - 1]!.label)} = ${e(high)}</p>`
      : '';
  const answers =
    links.length > 0
      ? `<table role="presentation" style="border-collapse:collapse"><tr>${links.map(button).join('')}</tr></table>${ends}`
      : `<p><a href="${e(surveyUrl)}" style="font:600 16px sans-serif;color:#1d4ed8">${e(words.start)}</a></p>`;
  const unsubscribeHtml = unsubscribeUrl
    ? `${e(words.unsubscribe)} <a href="${e(unsubscribeUrl)}" style="color:#4b5563">${e(unsubscribeUrl)}</a>`
    : e(words.anonymousUnsubscribe);
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${e(reminder ? words.reminderSubject : words.subject)}</title></head>
<body style="margin:0;padding:16px;font:16px/1.5 sans-serif;color:#111827;background:#ffffff">
<p>${e(words.greeting(recipient.name))}</p>
${intro.map((line) => `<p>${e(line)}</p>`).join('\n')}
<p style="font-weight:600">${e(question)}</p>
${answers}
<p>${e(words.plainLink)} <a href="${e(surveyUrl)}" style="color:#1d4ed8">${e(surveyUrl)}</a></p>
<p style="font-size:13px;color:#4b5563">${unsubscribeHtml}</p>
</body></html>`;

  return {
    to: recipient.email,
    subject: reminder ? words.reminderSubject : words.subject,
    text,
    html,
    headers: unsubscribeUrl
      ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      : {},
  };
}
