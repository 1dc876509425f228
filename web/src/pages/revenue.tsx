// The revenue page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function RevenuePage() {
  const { t } = useTranslation();
  return (
    <Page name="revenue" title={t('nav.revenue')}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
