// The targets page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function TargetsPage() {
  const { t } = useTranslation();
  return (
    <Page name="targets" title={t('nav.targets')}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
