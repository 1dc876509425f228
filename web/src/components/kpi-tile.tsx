// One KPI tile: the value of the shown period, its change against the period before, a sparkline over the
// range, the target, the definition, and a link to the rows behind the number. The tile's data-value is
// the report's unrounded number (empty for null) so that it can be checked against GET /api/v1/report.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiInfo, PeriodKind, ReportRow, Target } from '../api/types';
import { type Format, useFormat } from '../format';
import { ARROWS, changeOf, kpiLabel, meetsTarget, nullReason, opSign } from '../kpi-meta';
import { Link } from '../router';
import { Sparkline } from './sparkline';
import { Tip } from './tip';

interface TileProps {
  kpi: KpiInfo;
  /** The segment's rows, oldest first. */
  rows: readonly ReportRow[];
  /** The index in `rows` of the period the tile shows. */
  index: number;
  asOf: string;
  period: PeriodKind;
  segmentBy: string | null;
  segment: string | null;
  target: Target | undefined;
  currency: string | null;
}

function drillHref(
  kpi: string,
  row: ReportRow,
  period: PeriodKind,
  segmentBy: string | null,
  segment: string | null,
) {
  const params = new URLSearchParams({ from: row.start, to: row.end, period });
  params.set('back', window.location.pathname + window.location.search);
  if (segmentBy && segment !== null) {
    params.set('segment_by', segmentBy);
    params.set('segment', segment);
  }
  return `/kpis/${encodeURIComponent(kpi)}/rows?${params.toString()}`;
}

function ChangeLine({
  kpi,
  current,
  previous,
  format,
  currency,
  previousLabel,
}: {
  kpi: KpiInfo;
  current: number | null;
  previous: number | null;
  format: Format;
  currency: string | null;
  previousLabel: string | null;
}) {
  const { t } = useTranslation();
  const change = changeOf(current, previous, kpi.better);
  if (!change || previousLabel === null) {
    return (
      <p className="change none" data-direction="none">
        {t('tile.noChange')}
      </p>
    );
  }
  const amount = format.delta(change.delta, kpi.unit, currency);
  const spoken = t(`tile.direction.${change.direction}`);
  const verdict = change.tone === 'neutral' ? '' : ` (${t(`tile.tone.${change.tone}`)})`;
  return (
    <p className={`change ${change.tone}`} data-direction={change.direction} data-tone={change.tone}>
      <span aria-hidden="true">{ARROWS[change.direction]} </span>
      <span className="visually-hidden">{spoken} </span>
      {change.direction === 'flat' ? t('tile.unchanged') : amount}
      <span className="muted"> {t('tile.versus', { period: previousLabel })}</span>
      <span className="visually-hidden">{verdict}</span>
    </p>
  );
}

export function KpiTile({ kpi, rows, index, asOf, period, segmentBy, segment, target, currency }: TileProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = useId();
  const row = rows[index];
  const value = row?.kpis[kpi.id] ?? null;
  const previousRow = index > 0 ? rows[index - 1] : undefined;
  const previous = previousRow?.kpis[kpi.id] ?? null;
  const label = kpiLabel(t, kpi);
  const inProgress = row !== undefined && Date.parse(row.end) > Date.parse(asOf);
  const series = rows.slice(0, index + 1).map((r) => r.kpis[kpi.id] ?? null);
  const met = target ? meetsTarget(value, target) : null;
  const firstPresent = series.find((v) => v !== null) ?? null;
  const sparkLabel = t('tile.sparkline', {
    label,
    count: series.length,
    first: format.value(firstPresent, kpi.unit, currency),
    last: format.value(value, kpi.unit, currency),
  });
  return (
    <article
      className="tile"
      aria-labelledby={headingId}
      data-kpi={kpi.id}
      data-value={value === null ? '' : String(value)}
      data-period-start={row?.start ?? ''}
      data-period-end={row?.end ?? ''}
      data-segment={segment ?? ''}
      data-better={kpi.better}
      data-unit={kpi.unit}
    >
      <h3 id={headingId}>{label}</h3>
      <p className="tile-value">
        {value === null ? (
          <Tip tip={nullReason(t, kpi.id, row)} spoken={t('tile.noValue')}>
            —
          </Tip>
        ) : (
          <span title={String(value)}>{format.value(value, kpi.unit, currency)}</span>
        )}
      </p>
      <p className="tile-period">
        {row ? format.period(row.start, period) : t('tile.noPeriod')}
        {inProgress ? ` · ${t('tile.inProgress')}` : ''}
      </p>
      <ChangeLine
        kpi={kpi}
        current={value}
        previous={previous}
        format={format}
        currency={currency}
        previousLabel={previousRow ? format.period(previousRow.start, period) : null}
      />
      <Sparkline values={series} target={target?.value ?? null} label={sparkLabel} />
      {target ? (
        <p
          className="target"
          data-target={target.value}
          data-target-op={target.op}
          data-met={met === null ? '' : String(met)}
        >
          {t('tile.target', { op: opSign(target.op), value: format.value(target.value, kpi.unit, currency) })}{' '}
          {met === null ? (
            <span className="muted">{t('tile.targetUnknown')}</span>
          ) : met ? (
            <span className="met">✓ {t('tile.met')}</span>
          ) : (
            <span className="missed">✗ {t('tile.missed')}</span>
          )}
        </p>
      ) : null}
      <details>
        <summary>{t('tile.definition')}</summary>
        <p lang="en" data-formula="">
          {kpi.formula}
        </p>
      </details>
      {row ? (
        <p className="tile-links">
          <Link to={drillHref(kpi.id, row, period, segmentBy, segment)} data-drill={kpi.id}>
            {t('tile.drill')}
            <span className="visually-hidden"> ({label})</span>
          </Link>
        </p>
      ) : null}
    </article>
  );
}
