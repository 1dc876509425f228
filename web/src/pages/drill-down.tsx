// The rows behind one KPI value (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function DrillDownPage({ kpi }: { kpi: string }) {
  const { t } = useTranslation();
  return (
    <Page name="drilldown" title={kpi}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
