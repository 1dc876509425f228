// The employees page (being built).
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';

export function EmployeesPage() {
  const { t } = useTranslation();
  return (
    <Page name="employees" title={t('nav.employees')}>
      <p>{t('shell.comingSoon')}</p>
    </Page>
  );
}
