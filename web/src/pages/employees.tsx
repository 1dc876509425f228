// Employees: eNPS of the company and of each team over time (report segment_by=team). Groups too small to stay
// anonymous are suppressed by the server (KPI-SPEC §5); a suppressed cell says why and shows no count.
import { useTranslation } from 'react-i18next';
import type { ReportRow } from '../api/types';
import { KpiChart } from '../components/kpi-chart';
import { ChartCard, type ReportContext, ReportPage } from '../components/report-page';
import { TableWrap } from '../components/table-wrap';
import { Tip } from '../components/tip';
import { useFormat } from '../format';
import { rowsOf } from '../kpi-meta';

function Cell({ row }: { row: ReportRow | undefined }) {
  const { t } = useTranslation();
  const format = useFormat();
  const value = row?.kpis.enps ?? null;
  if (row?.suppressed.includes('enps')) {
    return (
      <td className="suppressed" data-suppressed="true" data-value="">
        <Tip tip={t('reason.suppressed')}>{t('employees.suppressed')}</Tip>
      </td>
    );
  }
  if (value === null) {
    return (
      <td className="num" data-value="">
        <Tip tip={t('reason.noEnpsAnswers')} spoken={t('tile.noValue')}>
          —
        </Tip>
      </td>
    );
  }
  return (
    <td className="num" data-value={String(value)}>
      {format.value(value, 'score')}
    </td>
  );
}

function Employees({ ctx }: { ctx: ReportContext }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { report } = ctx;
  const total = rowsOf(report.rows, null);
  const teams = ctx.segments;
  const byTeam = new Map(teams.map((team) => [team, rowsOf(report.rows, team)]));
  return (
    <>
      <p className="hint">{t('employees.privacy')}</p>
      <ChartCard title={t('employees.companyTitle')} name="company">
        <KpiChart
          name="enps"
          ids={['enps']}
          rows={total}
          period={report.period}
          catalogue={ctx.catalogue}
          targets={ctx.targets}
        />
      </ChartCard>
      <section className="card" aria-labelledby="teams-title">
        <h2 id="teams-title">{t('employees.teamsTitle')}</h2>
        {teams.length === 0 ? (
          <p className="muted">{t('employees.noTeams')}</p>
        ) : (
          <TableWrap label={t('employees.teamsTitle')}>
            <table data-enps-teams="">
              <caption className="visually-hidden">{t('employees.teamsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('employees.team')}</th>
                  {total.map((r) => (
                    <th key={r.start} scope="col" className="num">
                      {format.period(r.start, report.period)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {teams.map((team) => {
                  const rows = byTeam.get(team) ?? [];
                  return (
                    <tr key={team} data-team={team}>
                      <th scope="row">{team}</th>
                      {total.map((r) => (
                        <Cell key={r.start} row={rows.find((x) => x.start === r.start)} />
                      ))}
                    </tr>
                  );
                })}
                <tr data-team="">
                  <th scope="row">{t('employees.company')}</th>
                  {total.map((r) => (
                    <Cell key={r.start} row={r} />
                  ))}
                </tr>
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </>
  );
}

export function EmployeesPage() {
  const { t } = useTranslation();
  return (
    <ReportPage name="employees" title={t('nav.employees')} segmentBy="team" pickSegment={false}>
      {(ctx) => <Employees ctx={ctx} />}
    </ReportPage>
  );
}
