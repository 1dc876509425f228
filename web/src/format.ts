// Numbers, money, percentages, durations and periods for the chosen language, with Intl; display only
// (nothing else rounds). Periods are UTC calendar periods, as the report computes them.
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { PeriodKind, Unit } from './api/types';

export const NULL_SIGN = '—';

export interface Format {
  locale: string;
  /** A KPI value in its unit; "—" for null. */
  value(value: number | null, unit: Unit, currency?: string | null): string;
  /** A signed difference of two values of the unit (percent: points). */
  delta(value: number, unit: Unit, currency?: string | null): string;
  number(value: number | null, maxDigits?: number): string;
  date(iso: string | null): string;
  dateTime(iso: string | null): string;
  /** The label of the period [start, end) of a kind ("Nov 2026", "Q3 2026", "week of 3 Nov 2026"). */
  period(start: string, kind: PeriodKind): string;
}

const MS_DAY = 86_400_000;

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, options);
  } catch {
    // An unknown currency code: plain numbers.
    const { style: _style, currency: _currency, ...rest } = options;
    return new Intl.NumberFormat(locale, rest);
  }
}

export function makeFormat(locale: string, t: TFunction): Format {
  const cache = new Map<string, Intl.NumberFormat>();
  const nf = (key: string, options: Intl.NumberFormatOptions) => {
    let f = cache.get(key);
    if (!f) {
      f = numberFormat(locale, options);
      cache.set(key, f);
    }
    return f;
  };
  const money = (v: number, currency: string | null | undefined, sign: boolean) => {
    const digits = Math.abs(v) >= 1000 ? 0 : 2;
    const signDisplay = sign ? 'exceptZero' : 'auto';
    if (currency) {
      return nf(`cur:${currency}:${digits}:${sign}`, {
        style: 'currency',
        currency,
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
        signDisplay,
      }).format(v);
    }
    return nf(`money:${digits}:${sign}`, {
      maximumFractionDigits: digits,
      minimumFractionDigits: digits,
      signDisplay,
    }).format(v);
  };
  const plain = (v: number, digits: number, sign: boolean) =>
    nf(`n:${digits}:${sign}`, {
      maximumFractionDigits: digits,
      signDisplay: sign ? 'exceptZero' : 'auto',
    }).format(v);
  const format = (v: number, unit: Unit, currency: string | null | undefined, sign: boolean): string => {
    switch (unit) {
      case 'currency':
        return money(v, currency, sign);
      case 'percent':
        return sign
          ? t('format.points', { value: plain(v, 1, true) })
          : nf('pct', { style: 'percent', maximumFractionDigits: 1 }).format(v / 100);
      case 'count':
        return plain(v, Number.isInteger(v) ? 0 : 1, sign);
      case 'days':
        return nf(`days:${sign}`, {
          style: 'unit',
          unit: 'day',
          unitDisplay: 'long',
          maximumFractionDigits: 1,
          signDisplay: sign ? 'exceptZero' : 'auto',
        }).format(v);
      case 'score':
        return plain(v, 1, sign);
      case 'ratio':
        return `${plain(v, 2, sign)}×`;
    }
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const monthFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', year: 'numeric' });
  return {
    locale,
    value: (v, unit, currency) => (v === null ? NULL_SIGN : format(v, unit, currency, false)),
    delta: (v, unit, currency) => format(v, unit, currency, true),
    number: (v, maxDigits = 2) => (v === null ? NULL_SIGN : plain(v, maxDigits, false)),
    date: (iso) => (iso === null ? NULL_SIGN : dateFormat.format(new Date(iso))),
    dateTime: (iso) => (iso === null ? NULL_SIGN : dateTimeFormat.format(new Date(iso))),
    period: (start, kind) => {
      const d = new Date(start);
      switch (kind) {
        case 'day':
          return dateFormat.format(d);
        case 'week':
          return t('format.weekOf', { date: dateFormat.format(d) });
        case 'month':
          return monthFormat.format(d);
        case 'quarter':
          return t('format.quarter', { q: Math.floor(d.getUTCMonth() / 3) + 1, year: d.getUTCFullYear() });
        case 'year':
          return String(d.getUTCFullYear());
      }
    },
  };
}

/** The formatter of the current language. */
export function useFormat(): Format {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'en';
  return useMemo(() => makeFormat(lang, t), [lang, t]);
}

// ---------------------------------------------------------------------------------------------------------
// Calendar dates (UTC, "YYYY-MM-DD") for the range pickers.

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_DAY));
}

/** The first instant of the period of `kind` that contains `d` (weeks start on Monday). */
export function periodStart(d: Date, kind: PeriodKind): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (kind) {
    case 'day':
      return new Date(Date.UTC(y, m, d.getUTCDate()));
    case 'week': {
      const day = new Date(Date.UTC(y, m, d.getUTCDate()));
      return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * MS_DAY);
    }
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
  }
}

/** `start` moved by n periods of `kind`. */
export function shiftPeriods(start: Date, kind: PeriodKind, n: number): Date {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const day = start.getUTCDate();
  switch (kind) {
    case 'day':
      return new Date(start.getTime() + n * MS_DAY);
    case 'week':
      return new Date(start.getTime() + 7 * n * MS_DAY);
    case 'month':
      return new Date(Date.UTC(y, m + n, day));
    case 'quarter':
      return new Date(Date.UTC(y, m + 3 * n, day));
    case 'year':
      return new Date(Date.UTC(y + n, m, day));
  }
}

/** How many periods of each kind the default range shows. */
export const DEFAULT_PERIODS: Record<PeriodKind, number> = {
  day: 30,
  week: 13,
  month: 12,
  quarter: 8,
  year: 5,
};

/** The default range for a kind: the last DEFAULT_PERIODS periods up to and including the one of `at`. */
export function defaultRange(at: Date, kind: PeriodKind): { from: string; to: string } {
  const end = shiftPeriods(periodStart(at, kind), kind, 1);
  return { from: isoDay(shiftPeriods(end, kind, -DEFAULT_PERIODS[kind])), to: isoDay(end) };
}
