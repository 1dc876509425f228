// The satisfaction page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function SatisfactionPage() {
  const { t } = useTranslation();
  return (
    <Page name="satisfaction" title={t('nav.satisfaction')}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
