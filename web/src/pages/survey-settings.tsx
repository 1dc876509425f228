// Survey settings (admins and owners, the `admin` permission): the fatigue limit of each template, who is
// e-mailed about new follow-ups, and the outgoing webhooks with their deliveries. Everyone else is told the page
// is for admins, and no settings are read for them.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page';
import { FatigueSettingsSection } from '../components/survey-settings-fatigue';
import { RecipientsSection } from '../components/survey-settings-recipients';
import { WebhooksSection } from '../components/survey-settings-webhooks';
import { Link } from '../router';
import { isAdmin, useSession } from '../session';

export function SurveySettingsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const admin = isAdmin(session);
  const id = useId();
  return (
    <Page
      name="survey-settings"
      title={t('surveySettings.title')}
      attributes={{ 'data-admin': String(admin) }}
      actions={
        <Link to="/surveys" className="button subtle">
          {t('surveys.back')}
        </Link>
      }
    >
      {admin ? (
        <>
          <p className="hint">{t('surveySettings.hint')}</p>
          <FatigueSettingsSection headingId={`${id}-fatigue`} />
          <RecipientsSection headingId={`${id}-recipients`} />
          <WebhooksSection headingId={`${id}-webhooks`} />
        </>
      ) : (
        <p className="notice" data-admins-only="">
          {t('surveySettings.adminsOnly')}
        </p>
      )}
    </Page>
  );
}
