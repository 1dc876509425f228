// The answered count and response rate of one survey in the surveys list, read from its results; withheld
// numbers of an anonymous survey say why.
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { isSuppressed, type Survey, type SurveyResults } from '../api/types';
import { useApi } from '../api/use-api';
import { useFormat } from '../format';
import { SuppressedValue } from './survey-results';
import { Tip } from './tip';

/** Two table cells: answered, response rate. */
export function SurveyAnswered({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const format = useFormat();
  const url = `/api/v1/surveys/${encodeURIComponent(survey.survey_id)}/results`;
  const results = useApi(`${url}:${survey.updated_at}`, (signal) => api<SurveyResults>(url, { signal }));
  if (results.state.status !== 'ok') {
    const text = results.state.status === 'loading' ? t('status.loading') : t('surveys.countsFailed');
    return (
      <>
        <td className="num muted">
          {results.state.status === 'loading' ? (
            <span className="visually-hidden">{text}</span>
          ) : (
            <Tip tip={text} spoken={text}>
              —
            </Tip>
          )}
        </td>
        <td className="num muted">—</td>
      </>
    );
  }
  const { answered, response_rate: rate } = results.state.data;
  return (
    <>
      <td className="num" data-survey-result="answered" data-value={isSuppressed(answered) ? '' : answered}>
        {isSuppressed(answered) ? <SuppressedValue cell={answered} /> : format.number(answered, 0)}
      </td>
      <td
        className="num"
        data-survey-result="response_rate"
        data-value={isSuppressed(rate) || rate === null ? '' : rate}
      >
        {isSuppressed(rate) ? <SuppressedValue cell={rate} /> : format.value(rate, 'percent')}
      </td>
    </>
  );
}
