// What the survey pages say about a survey: who may change surveys, its status badge, a schedule in words, the
// text of a question in a language, the KPI it feeds and the page that shows that KPI, and the field problems
// of a rejected request shown beside the fields they name.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import type { LocalisedText, Metric, Session, Survey, SurveyLocale, SurveySchedule } from '../api/types';
import type { Format } from '../format';

/** Analysts, admins and owners change surveys and follow-ups (the `ingest` permission); viewers read them. */
export function canManageSurveys(session: Session): boolean {
  return session.scopes.includes('ingest');
}

export function StatusBadge({ status }: { status: Survey['status'] }) {
  const { t } = useTranslation();
  return (
    <span className="badge" data-status={status}>
      {t(`surveys.status.${status}`)}
    </span>
  );
}

/** The text in `locale`, falling back to English as the respondent page does. */
export function textIn(text: LocalisedText | undefined, locale: SurveyLocale): string {
  if (!text) return '';
  return text[locale] ?? text.en;
}

/** The KPI a survey's answers feed (its first question with a metric), if any. */
export function surveyMetric(survey: Pick<Survey, 'questions'>): Metric | null {
  return survey.questions.find((q) => q.metric !== undefined)?.metric ?? null;
}

/** The dashboard page that charts a KPI over time. */
export function kpiPage(metric: Metric): string {
  return metric === 'enps' ? '/employees' : '/satisfaction';
}

/** A survey language's name in the reader's language ("francese" for fr in Italian). */
export function languageName(code: SurveyLocale, locale: string): string {
  try {
    return new Intl.DisplayNames(locale, { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A weekday 1 (Monday) … 7 (Sunday) in the reader's language. */
export function weekdayName(weekday: number, locale: string): string {
  // 1 January 2024 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, weekday)),
  );
}

/** "Monthly on day 15 at 09:00 (Europe/Rome), from 1 Mar 2026" and the like; "Not scheduled" for null. */
export function scheduleText(t: TFunction, format: Format, schedule: SurveySchedule | null): string {
  if (!schedule) return t('surveys.schedule.none');
  const zone = schedule.time_zone;
  if (schedule.frequency === 'once') {
    return t('surveys.schedule.once', { date: zonedDateTime(schedule.starts_at, zone, format.locale), zone });
  }
  // Without a weekday or day of the month, the server takes starts_at's, in the schedule's zone.
  const when =
    schedule.frequency === 'weekly'
      ? t('surveys.schedule.weekly', {
          day:
            schedule.weekday === undefined
              ? safeFormat(schedule.starts_at, format.locale, { weekday: 'long', timeZone: zone })
              : weekdayName(schedule.weekday, format.locale),
          time: schedule.time,
          zone,
        })
      : t(`surveys.schedule.${schedule.frequency}`, {
          day:
            schedule.day_of_month ?? safeFormat(schedule.starts_at, 'en', { day: 'numeric', timeZone: zone }),
          time: schedule.time,
          zone,
        });
  const from = t('surveys.schedule.from', { date: zonedDate(schedule.starts_at, zone, format.locale) });
  const until = schedule.ends_at
    ? ` ${t('surveys.schedule.until', { date: zonedDate(schedule.ends_at, zone, format.locale) })}`
    : '';
  return `${when}, ${from}${until}`;
}

function zonedDate(iso: string, zone: string, locale: string): string {
  return safeFormat(iso, locale, { dateStyle: 'medium', timeZone: zone });
}

function zonedDateTime(iso: string, zone: string, locale: string): string {
  return safeFormat(iso, locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
}

function safeFormat(iso: string, locale: string, options: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat(locale, options).format(new Date(iso));
  } catch {
    // A zone this browser does not know: UTC, which the text names anyway.
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(new Date(iso));
  }
}

/** The problems of a rejected request that concern `path` (`$.name`) or a field inside it (`$.schedule.time`). */
export function problemsAt(error: ApiError | null, path: string): string[] {
  if (!error) return [];
  return error.errors
    .filter((e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`))
    .map((e) =>
      e.path === path ? e.message : `${e.path.slice(path.length).replace(/^\./, '')}: ${e.message}`,
    );
}

/** The problems shown beside a field, announced when they appear; `id` is the field's aria-describedby. */
export function FieldProblems({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul id={id} className="form-error field-problems" data-field-error="">
      {messages.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}
