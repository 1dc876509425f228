// The overview page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function OverviewPage() {
  const { t } = useTranslation();
  return (
    <Page name="overview" title={t('nav.overview')}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
