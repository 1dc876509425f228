// One account's page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function AccountPage({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <Page name="account" title={id}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
