// The retention page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function RetentionPage() {
  const { t } = useTranslation();
  return (
    <Page name="retention" title={t('nav.retention')}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
