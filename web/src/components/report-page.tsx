// The frame of a page built on one report: the window pickers, the report (segmented), the catalogue and the
// targets, with loading and error states; the page draws its charts from the rows of the chosen segment.
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiInfo, PeriodKind, Report, ReportRow } from '../api/types';
import { useLatest } from '../api/use-api';
import { type Targets, useCatalogue, useReport, useTargets } from '../data';
import { useFormat } from '../format';
import { rowsOf } from '../kpi-meta';
import { Page } from './page';
import { type Range, RangeControls, segmentsOf, useFollowData, useRange } from './range-controls';
import { ErrorState, Loading } from './status';

/** What every KPI chart of a report page takes from its context. */
export function chartProps(ctx: ReportContext) {
  return {
    rows: ctx.rows,
    period: ctx.report.period,
    catalogue: ctx.catalogue,
    targets: ctx.targets,
    currency: ctx.currency,
  };
}

export interface ReportContext {
  range: Range;
  report: Report;
  /** The rows of the chosen segment (total rows without one), oldest first. */
  rows: ReportRow[];
  segment: string | null;
  segments: string[];
  catalogue: KpiInfo[];
  targets: Targets;
  currency: string | null;
}

interface ReportPageProps {
  name: string;
  title: string;
  segmentBy?: string;
  /** Show the segment picker (default true). */
  pickSegment?: boolean;
  defaultPeriod?: PeriodKind;
  children: (context: ReportContext) => ReactNode;
}

export function ReportPage(props: ReportPageProps) {
  const { name, title, segmentBy = 'segment', pickSegment = true, defaultPeriod = 'month', children } = props;
  const { t } = useTranslation();
  const format = useFormat();
  const range = useRange(defaultPeriod);
  const catalogue = useCatalogue();
  const targets = useTargets();
  const report = useReport({ from: range.from, to: range.to, period: range.period, segmentBy });
  const data = report.state.status === 'ok' ? report.state.data : null;
  useFollowData(range, data);
  const latest = useLatest(report.state);
  const segments = useMemo(() => segmentsOf(latest), [latest]);
  const segment = range.segment !== null && segments.includes(range.segment) ? range.segment : null;
  const rows = useMemo(() => (data ? rowsOf(data.rows, segment) : []), [data, segment]);

  let body: ReactNode;
  const failed = [catalogue, report, targets].find((s) => s.state.status === 'error');
  if (failed && failed.state.status === 'error')
    body = <ErrorState error={failed.state.error} retry={failed.retry} />;
  else if (data === null || catalogue.state.status !== 'ok' || targets.state.status !== 'ok')
    body = <Loading />;
  else {
    body = (
      <>
        <p className="as-of" data-as-of={data.as_of}>
          {t('overview.asOf', { date: format.dateTime(data.as_of) })}
          {segment !== null ? ` · ${t('overview.segment', { segment })}` : ''}
        </p>
        {children({
          range,
          report: data,
          rows,
          segment,
          segments,
          catalogue: catalogue.state.data,
          targets: targets.state.data,
          currency: data.currency ?? null,
        })}
      </>
    );
  }
  return (
    <Page
      name={name}
      title={title}
      attributes={{
        'data-period': range.period,
        'data-from': range.from,
        'data-to': range.to,
        'data-segment-by': segmentBy,
        'data-segment': range.segment ?? '',
      }}
    >
      <RangeControls range={range} asOf={latest?.as_of ?? null} {...(pickSegment ? { segments } : {})} />
      {body}
    </Page>
  );
}

/** A titled card around a chart. */
export function ChartCard({ title, children, name }: { title: string; children: ReactNode; name?: string }) {
  const id = `card-${name ?? title.replace(/\W+/g, '-')}`;
  return (
    <section className="chart-card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
