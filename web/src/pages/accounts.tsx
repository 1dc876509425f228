// The accounts page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function AccountsPage() {
  const { t } = useTranslation();
  return (
    <Page name="accounts" title={t('nav.accounts')}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
