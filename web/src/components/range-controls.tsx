// The report window of a page, kept in the address (?period=&from=&to=&segment=) so a view can be shared and
// reloaded, and its pickers: period granularity, a date range (the "to" date shown inclusive), a segment.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PERIOD_KINDS, type PeriodKind, type Report } from '../api/types';
import { addDays, DEFAULT_PERIODS, defaultRange } from '../format';
import { navigate, useLocation, withParams } from '../router';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface Range {
  period: PeriodKind;
  /** First day of the range (UTC). */
  from: string;
  /** The day after the last one: the report's exclusive `to`. */
  to: string;
  /** The chosen segment value, or null for all. */
  segment: string | null;
  /** Whether from/to come from the address (else the default window of the current date). */
  explicit: boolean;
}

function isPeriod(value: string | null): value is PeriodKind {
  return value !== null && (PERIOD_KINDS as readonly string[]).includes(value);
}

/** The page's window from the address, with the default for whatever is missing. */
export function useRange(defaultPeriod: PeriodKind = 'month'): Range {
  const { params } = useLocation();
  const raw = params.get('period');
  const period = isPeriod(raw) ? raw : defaultPeriod;
  const from = params.get('from');
  const to = params.get('to');
  const segment = params.get('segment');
  if (from && to && DAY.test(from) && DAY.test(to) && from < to) {
    return { period, from, to, segment, explicit: true };
  }
  return { period, ...defaultRange(new Date(), period), segment, explicit: false };
}

/**
 * When the window was not chosen and the data ends before it or after it (an old import, a demo store dated
 * ahead), move the window to the latest data once.
 */
export function useFollowData(range: Range, report: Report | null): void {
  useEffect(() => {
    if (range.explicit || !report) return;
    const asOf = report.as_of.slice(0, 10);
    if (asOf < range.from || asOf > range.to) {
      const next = defaultRange(new Date(report.as_of), range.period);
      navigate(withParams({ from: next.from, to: next.to }), true);
    }
  }, [range, report]);
}

/** The distinct segment values of a report made with segment_by, in order. */
export function segmentsOf(report: Report | null): string[] {
  if (!report) return [];
  return [...new Set(report.rows.map((r) => r.segment).filter((s): s is string => s !== null))].sort();
}

interface ControlsProps {
  range: Range;
  /** The data's as_of: a new granularity's window ends at it when the current window ends later. */
  asOf?: string | null;
  /** Segment values to pick from; omit to hide the segment picker. */
  segments?: string[];
  segmentLabel?: string;
}

export function RangeControls({ range, asOf, segments, segmentLabel }: ControlsProps) {
  const { t } = useTranslation();
  const id = useId();
  const [fromText, setFromText] = useState(range.from);
  const [toText, setToText] = useState(addDays(range.to, -1));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setFromText(range.from);
    setToText(addDays(range.to, -1));
    setError(null);
  }, [range.from, range.to]);

  const setPeriod = (period: PeriodKind) => {
    // A new granularity gets its usual number of periods, ending where the current window ends (or at the
    // data's end, when the window reaches past it).
    const lastDay = addDays(range.to, -1);
    const anchor = asOf && asOf.slice(0, 10) < lastDay ? asOf.slice(0, 10) : lastDay;
    const next = defaultRange(new Date(`${anchor}T00:00:00Z`), period);
    navigate(withParams({ period, from: next.from, to: next.to }), true);
  };

  const applyDates = (fromDay: string, lastDay: string) => {
    if (!DAY.test(fromDay) || !DAY.test(lastDay)) return;
    if (fromDay > lastDay) {
      setError(t('range.order'));
      return;
    }
    setError(null);
    navigate(withParams({ from: fromDay, to: addDays(lastDay, 1) }), true);
  };

  return (
    <fieldset className="filters range-controls" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="visually-hidden">{t('range.legend')}</legend>
      <div>
        <label htmlFor={`${id}-period`}>{t('range.period')}</label>
        <select
          id={`${id}-period`}
          data-control="period"
          value={range.period}
          onChange={(e) => setPeriod(e.target.value as PeriodKind)}
        >
          {PERIOD_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`range.kinds.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-from`}>{t('range.from')}</label>
        <input
          id={`${id}-from`}
          data-control="from"
          type="date"
          value={fromText}
          onChange={(e) => {
            setFromText(e.target.value);
            applyDates(e.target.value, toText);
          }}
        />
      </div>
      <div>
        <label htmlFor={`${id}-to`}>{t('range.to')}</label>
        <input
          id={`${id}-to`}
          data-control="to"
          type="date"
          value={toText}
          onChange={(e) => {
            setToText(e.target.value);
            applyDates(fromText, e.target.value);
          }}
        />
      </div>
      {segments ? (
        <div>
          <label htmlFor={`${id}-segment`}>{segmentLabel ?? t('range.segment')}</label>
          <select
            id={`${id}-segment`}
            data-control="segment"
            value={range.segment ?? ''}
            onChange={(e) => navigate(withParams({ segment: e.target.value || null }), true)}
          >
            <option value="">{t('range.allSegments')}</option>
            {segments.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {range.explicit ? (
        <div>
          <button
            type="button"
            className="button subtle"
            onClick={() => navigate(withParams({ from: null, to: null }), true)}
          >
            {t('range.latest', { count: DEFAULT_PERIODS[range.period] })}
          </button>
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
