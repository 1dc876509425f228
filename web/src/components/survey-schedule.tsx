// The schedule and reminders of a survey being written: once or weekly, monthly, quarterly in a time zone, from
// a start day (to an optional end day), and 0–2 reminders days after each wave. Days and times are read in the
// schedule's time zone, as the server computes the waves.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import { FREQUENCIES, type Frequency, type Reminders, type SurveySchedule } from '../api/types';
import { useFormat } from '../format';
import { FieldProblems, problemsAt, weekdayName } from './survey-meta';

export interface ScheduleDraft {
  enabled: boolean;
  frequency: Frequency;
  timeZone: string;
  /** YYYY-MM-DD in timeZone. */
  startDate: string;
  /** HH:MM in timeZone. */
  time: string;
  weekday: number;
  dayOfMonth: number;
  /** YYYY-MM-DD in timeZone, or '' for no end. */
  endDate: string;
}

export interface RemindersDraft {
  count: 0 | 1 | 2;
  afterDays: [string, string];
}

/** The browser's time zone, the default of a new schedule. */
function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every IANA zone this browser knows, with the schedule's and UTC among them. */
function zones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...known])].sort();
}

export function newScheduleDraft(now = new Date()): ScheduleDraft {
  const zone = browserZone();
  const tomorrow = new Date(now.getTime() + 86_400_000);
  const startDate = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(tomorrow);
  return {
    enabled: false,
    frequency: 'once',
    timeZone: zone,
    startDate,
    time: '09:00',
    weekday: new Date(`${startDate}T00:00:00Z`).getUTCDay() || 7,
    dayOfMonth: Number(startDate.slice(8, 10)),
    endDate: '',
  };
}

/** The offset of `zone` from UTC at `instant`, in milliseconds. */
function zoneOffset(instant: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a wall-clock day and time in `zone` (ISO 8601 with Z). */
function zonedInstant(day: string, time: string, zone: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y!, m! - 1, d!, hh!, mm!);
  // Two passes settle the offset on either side of a daylight-saving change.
  let instant = wall - zoneOffset(wall, zone);
  instant = wall - zoneOffset(instant, zone);
  return new Date(instant).toISOString();
}

/** The schedule as the API takes it, or undefined when the survey is sent by hand. */
export function scheduleOf(draft: ScheduleDraft): SurveySchedule | undefined {
  if (!draft.enabled) return undefined;
  const once = draft.frequency === 'once';
  const schedule: SurveySchedule = {
    frequency: draft.frequency,
    time_zone: draft.timeZone,
    time: draft.time,
    // A once schedule sends at starts_at; a recurring one starts that day and sends at `time`.
    starts_at: zonedInstant(draft.startDate, once ? draft.time : '00:00', draft.timeZone),
  };
  if (draft.frequency === 'weekly') schedule.weekday = draft.weekday;
  if (draft.frequency === 'monthly' || draft.frequency === 'quarterly')
    schedule.day_of_month = draft.dayOfMonth;
  if (!once && draft.endDate) schedule.ends_at = zonedInstant(draft.endDate, '23:59', draft.timeZone);
  return schedule;
}

export function remindersOf(draft: RemindersDraft): Reminders {
  return { count: draft.count, after_days: draft.afterDays.slice(0, draft.count).map(Number) };
}

export function ScheduleFields({
  draft,
  onChange,
  error,
}: {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  error: ApiError | null;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const problems = problemsAt(error, '$.schedule');
  const set = (change: Partial<ScheduleDraft>) => onChange({ ...draft, ...change });
  return (
    <fieldset
      className="card"
      data-schedule=""
      aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
    >
      <legend>{t('surveys.form.schedule')}</legend>
      <label>
        <input
          type="checkbox"
          checked={draft.enabled}
          data-control="scheduled"
          onChange={(e) => set({ enabled: e.target.checked })}
        />{' '}
        {t('surveys.form.scheduled')}
      </label>
      <p className="hint">{draft.enabled ? t('surveys.form.scheduledHint') : t('surveys.form.manualHint')}</p>
      {draft.enabled ? (
        <div className="filters">
          <div>
            <label htmlFor={`${id}-frequency`}>{t('surveys.form.frequency')}</label>
            <select
              id={`${id}-frequency`}
              value={draft.frequency}
              data-control="frequency"
              onChange={(e) => set({ frequency: e.target.value as Frequency })}
            >
              {FREQUENCIES.map((f) => (
                <option key={f} value={f}>
                  {t(`surveys.frequencies.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-zone`}>{t('surveys.form.timeZone')}</label>
            <select
              id={`${id}-zone`}
              value={draft.timeZone}
              data-control="time_zone"
              onChange={(e) => set({ timeZone: e.target.value })}
            >
              {zones(draft.timeZone).map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={`${id}-start`}>
              {draft.frequency === 'once' ? t('surveys.form.sendOn') : t('surveys.form.startsOn')}
            </label>
            <input
              id={`${id}-start`}
              type="date"
              value={draft.startDate}
              required
              data-control="starts_at"
              onChange={(e) => set({ startDate: e.target.value })}
            />
          </div>
          <div>
            <label htmlFor={`${id}-time`}>{t('surveys.form.time')}</label>
            <input
              id={`${id}-time`}
              type="time"
              value={draft.time}
              required
              data-control="time"
              onChange={(e) => set({ time: e.target.value })}
            />
          </div>
          {draft.frequency === 'weekly' ? (
            <div>
              <label htmlFor={`${id}-weekday`}>{t('surveys.form.weekday')}</label>
              <select
                id={`${id}-weekday`}
                value={draft.weekday}
                data-control="weekday"
                onChange={(e) => set({ weekday: Number(e.target.value) })}
              >
                {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                  <option key={d} value={d}>
                    {weekdayName(d, format.locale)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {draft.frequency === 'monthly' || draft.frequency === 'quarterly' ? (
            <div>
              <label htmlFor={`${id}-day`}>{t('surveys.form.dayOfMonth')}</label>
              <input
                id={`${id}-day`}
                type="number"
                min={1}
                max={31}
                step={1}
                value={draft.dayOfMonth}
                aria-describedby={`${id}-day-hint`}
                data-control="day_of_month"
                onChange={(e) => set({ dayOfMonth: Number(e.target.value) })}
              />
              <span id={`${id}-day-hint`} className="hint">
                {t('surveys.form.dayOfMonthHint')}
              </span>
            </div>
          ) : null}
          {draft.frequency !== 'once' ? (
            <div>
              <label htmlFor={`${id}-end`}>{t('surveys.form.endsOn')}</label>
              <input
                id={`${id}-end`}
                type="date"
                value={draft.endDate}
                data-control="ends_at"
                onChange={(e) => set({ endDate: e.target.value })}
              />
            </div>
          ) : null}
        </div>
      ) : null}
      <FieldProblems id={`${id}-problems`} messages={problems} />
    </fieldset>
  );
}

export function ReminderFields({
  draft,
  onChange,
  error,
}: {
  draft: RemindersDraft;
  onChange: (draft: RemindersDraft) => void;
  error: ApiError | null;
}) {
  const { t } = useTranslation();
  const id = useId();
  const problems = problemsAt(error, '$.reminders');
  return (
    <fieldset
      className="card"
      data-reminders=""
      aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
    >
      <legend>{t('surveys.form.reminders')}</legend>
      <p className="hint">{t('surveys.form.remindersHint')}</p>
      <div className="filters">
        <div>
          <label htmlFor={`${id}-count`}>{t('surveys.form.reminderCount')}</label>
          <select
            id={`${id}-count`}
            value={draft.count}
            data-control="reminders"
            onChange={(e) => onChange({ ...draft, count: Number(e.target.value) as RemindersDraft['count'] })}
          >
            {[0, 1, 2].map((n) => (
              <option key={n} value={n}>
                {t('surveys.form.reminderCountValue', { count: n })}
              </option>
            ))}
          </select>
        </div>
        {([0, 1] as const)
          .filter((i) => i < draft.count)
          .map((i) => (
            <div key={i}>
              <label htmlFor={`${id}-after-${i}`}>{t('surveys.form.reminderAfter', { number: i + 1 })}</label>
              <input
                id={`${id}-after-${i}`}
                type="number"
                min={1}
                max={60}
                step={1}
                value={draft.afterDays[i]}
                data-control={`reminder-${i + 1}`}
                onChange={(e) => {
                  const afterDays: RemindersDraft['afterDays'] = [...draft.afterDays];
                  afterDays[i] = e.target.value;
                  onChange({ ...draft, afterDays });
                }}
              />
            </div>
          ))}
      </div>
      <FieldProblems id={`${id}-problems`} messages={problems} />
    </fieldset>
  );
}
