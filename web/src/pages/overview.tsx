// The overview: every KPI as a tile, grouped by family, for a period granularity, a date range and a segment
// (one report with segment_by=segment answers all segments at once).
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FAMILIES, type KpiInfo, type Report } from '../api/types';
import { useApi, useLatest } from '../api/use-api';
import { KpiTile } from '../components/kpi-tile';
import { Page } from '../components/page';
import { RangeControls, segmentsOf, useFollowData, useRange } from '../components/range-controls';
import { EmptyStore, ErrorState, Loading } from '../components/status';
import { storeIsEmpty, type Targets, useCatalogue, useReport, useTargets } from '../data';
import { useFormat } from '../format';
import { latestCompleteIndex, rowsOf } from '../kpi-meta';
import { useSession } from '../session';

const SEGMENT_BY = 'segment';

/** Whether a report's total rows show any activity at all (else the store may be empty). */
function hasActivity(report: Report): boolean {
  return report.rows.some(
    (r) =>
      r.segment === null &&
      Object.entries(r.kpis).some(([id, v]) => v !== null && v !== 0 && id !== 'clv_historical'),
  );
}

function Tiles({ report, catalogue, targets }: { report: Report; catalogue: KpiInfo[]; targets: Targets }) {
  const { t } = useTranslation();
  const format = useFormat();
  const range = useRange();
  const segments = segmentsOf(report);
  const segment = range.segment !== null && segments.includes(range.segment) ? range.segment : null;
  const rows = useMemo(() => rowsOf(report.rows, segment), [report, segment]);
  const index = latestCompleteIndex(rows, report.as_of);
  const currency = report.currency ?? null;
  const shown = rows[index];
  return (
    <>
      <p className="as-of" data-as-of={report.as_of}>
        {t('overview.asOf', { date: format.dateTime(report.as_of) })}
        {shown ? ` · ${t('overview.showing', { period: format.period(shown.start, report.period) })}` : ''}
        {segment !== null ? ` · ${t('overview.segment', { segment })}` : ''}
      </p>
      {range.segment !== null && segment === null ? (
        <p className="notice" role="status">
          {t('overview.unknownSegment', { segment: range.segment })}
        </p>
      ) : null}
      {rows.length === 0 ? <p className="notice">{t('overview.noPeriods')}</p> : null}
      {FAMILIES.map((family) => {
        const kpis = catalogue.filter((k) => k.family === family);
        if (kpis.length === 0) return null;
        return (
          <section key={family} className="family" aria-labelledby={`family-${family}`} data-family={family}>
            <h2 id={`family-${family}`}>{t(`family.${family}`)}</h2>
            <div className="tiles">
              {kpis.map((kpi) => (
                <KpiTile
                  key={kpi.id}
                  kpi={kpi}
                  rows={rows}
                  index={index}
                  asOf={report.as_of}
                  period={report.period}
                  segmentBy={SEGMENT_BY}
                  segment={segment}
                  target={targets.byKpi.get(kpi.id)}
                  currency={currency}
                />
              ))}
            </div>
          </section>
        );
      })}
    </>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const session = useSession();
  const range = useRange();
  const catalogue = useCatalogue();
  const targets = useTargets();
  const report = useReport({ from: range.from, to: range.to, period: range.period, segmentBy: SEGMENT_BY });
  const reportData = report.state.status === 'ok' ? report.state.data : null;
  // The segment picker keeps its options while another range loads (it stays mounted, and so keeps focus).
  const latest = useLatest(report.state);
  const segments = useMemo(() => segmentsOf(latest), [latest]);
  useFollowData(range, reportData);
  const quiet = reportData !== null && !hasActivity(reportData);
  const empty = useApi(quiet ? 'empty-check' : null, storeIsEmpty);

  const attributes = {
    'data-period': range.period,
    'data-from': range.from,
    'data-to': range.to,
    'data-segment-by': SEGMENT_BY,
    'data-segment': range.segment ?? '',
    'data-ready': String(
      reportData !== null && catalogue.state.status === 'ok' && targets.state.status === 'ok',
    ),
  };

  let body: ReactNode;
  const failed = [catalogue, report, targets].find((s) => s.state.status === 'error');
  if (failed && failed.state.status === 'error') {
    body = <ErrorState error={failed.state.error} retry={failed.retry} />;
  } else if (
    catalogue.state.status !== 'ok' ||
    report.state.status !== 'ok' ||
    targets.state.status !== 'ok' ||
    (quiet && empty.state.status === 'loading')
  ) {
    body = <Loading />;
  } else if (quiet && empty.state.status === 'ok' && empty.state.data) {
    body = <EmptyStore workspace={session.workspace} />;
  } else {
    body = <Tiles report={report.state.data} catalogue={catalogue.state.data} targets={targets.state.data} />;
  }
  return (
    <Page name="overview" title={t('nav.overview')} attributes={attributes}>
      <RangeControls range={range} asOf={latest?.as_of ?? null} segments={segments} />
      {body}
    </Page>
  );
}
