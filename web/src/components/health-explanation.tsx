// "Why this health score": each feature's contribution to an account's score as the model that produced it
// sees it (GET /api/v1/accounts/{id}/health-explanation, docs/health-lab.md), largest risk first, as a table
// whose rows carry a bar: to the right raises the churn risk, to the left protects.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { HealthExplanation as Explanation, HealthContribution, HealthModels } from '../api/types';
import { useApi } from '../api/use-api';
import { useFormat } from '../format';
import { HealthBadge } from './health-badge';
import { ErrorState, Loading } from './status';
import { TableWrap } from './table-wrap';

const RISK = '#b42318';
const PROTECTIVE = '#1a7336';

/** How much a row raises the risk: a learned model's logit contribution; the default model's points lost. */
function risk(kind: Explanation['kind'], c: HealthContribution): number {
  return kind === 'logistic' ? c.contribution : -c.contribution;
}

function Bar({ value, largest }: { value: number; largest: number }) {
  const share = largest > 0 ? Math.min(1, Math.abs(value) / largest) : 0;
  const width = `${(share * 50).toFixed(2)}%`;
  return (
    <div
      aria-hidden="true"
      style={{ position: 'relative', height: 14, minWidth: 120, background: '#f2f4f7' }}
    >
      <div
        style={{ position: 'absolute', left: '50%', top: 0, bottom: 0, width: 1, background: '#4f5663' }}
      />
      <div
        style={{
          position: 'absolute',
          top: 2,
          bottom: 2,
          width,
          background: value > 0 ? RISK : PROTECTIVE,
          ...(value > 0 ? { left: '50%' } : { right: '50%' }),
        }}
      />
    </div>
  );
}

/** What the list of models says about the one that explained the score: version, fit date, test AUC, activation. */
function ModelFacts({ modelId }: { modelId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const url = '/api/v1/health-models';
  const models = useApi(url, (signal) => api<HealthModels>(url, { signal }));
  if (models.state.status !== 'ok') return null;
  const { models: list, activations } = models.state.data;
  const model = list.find((m) => m.model_id === modelId);
  const activated = [...activations].reverse().find((a) => a.model_id === modelId);
  const facts: string[] = [];
  if (model) {
    facts.push(t('explanation.version', { version: model.version, date: format.date(model.created_at) }));
    const auc = model.metrics.test?.auc ?? model.metrics.train.auc;
    if (auc !== null && auc !== undefined)
      facts.push(
        t(model.metrics.test ? 'explanation.aucTest' : 'explanation.aucTrain', {
          value: format.number(auc, 3),
        }),
      );
  }
  if (activated) facts.push(t('explanation.activated', { date: format.date(activated.activated_at) }));
  if (facts.length === 0) return null;
  return (
    <p className="muted" data-model-facts={modelId}>
      {facts.join(' · ')}
    </p>
  );
}

export function HealthExplanationPanel({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const url = `/api/v1/accounts/${encodeURIComponent(id)}/health-explanation`;
  const answer = useApi(url, (signal) => api<Explanation>(url, { signal }));
  let body: ReactNode;
  if (answer.state.status === 'loading') body = <Loading />;
  else if (answer.state.status === 'error') {
    const error = answer.state.error;
    body =
      error instanceof ApiError && (error.status === 404 || error.status === 422) ? (
        <p className="muted" data-empty="">
          {t('explanation.none')}
        </p>
      ) : (
        <ErrorState error={error} retry={answer.retry} />
      );
  } else {
    const e = answer.state.data;
    const largest = Math.max(0, ...e.contributions.map((c) => Math.abs(risk(e.kind, c))));
    const unit = e.kind === 'logistic' ? t('explanation.logit') : t('explanation.points');
    body = (
      <>
        <p data-model-id={e.model_id} data-kind={e.kind}>
          {t('explanation.model', {
            model: e.kind === 'default' ? t('explanation.defaultModel') : e.model_id,
            date: format.date(e.at),
          })}{' '}
          <HealthBadge band={e.band} score={e.score} />
          {e.probability === null
            ? null
            : ` ${t('explanation.probability', { value: format.value(e.probability * 100, 'percent') })}`}
        </p>
        <ModelFacts modelId={e.model_id} />
        <p className="hint">
          {e.kind === 'logistic' ? t('explanation.hintLogistic') : t('explanation.hintDefault')}
        </p>
        <TableWrap label={t('explanation.title')}>
          <table data-explanation-table="">
            <caption className="visually-hidden">{t('explanation.caption', { unit })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('explanation.feature')}</th>
                <th scope="col" className="num">
                  {t('explanation.value')}
                </th>
                <th scope="col" className="num">
                  {t('explanation.contribution', { unit })}
                </th>
                <th scope="col">{t('explanation.effect')}</th>
              </tr>
            </thead>
            <tbody>
              {e.contributions.map((c) => {
                const r = risk(e.kind, c);
                return (
                  <tr
                    key={c.feature}
                    data-feature={c.feature}
                    data-contribution={String(c.contribution)}
                    data-effect={r > 0 ? 'risk' : r < 0 ? 'protective' : 'none'}
                  >
                    <th scope="row">
                      {e.kind === 'logistic'
                        ? t(`explanation.features.${c.feature}`, { defaultValue: c.feature })
                        : t(`health.components.${c.feature}`, { defaultValue: c.feature })}
                    </th>
                    <td className="num">{format.number(c.value, 3)}</td>
                    <td className="num">{format.number(c.contribution, 3)}</td>
                    <td>
                      <Bar value={r} largest={largest} />
                      <span className="visually-hidden">
                        {r > 0
                          ? t('explanation.raises')
                          : r < 0
                            ? t('explanation.lowers')
                            : t('explanation.neutral')}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      </>
    );
  }
  return (
    <section aria-labelledby="explanation-title" className="card" data-health-explanation={id}>
      <h2 id="explanation-title">{t('explanation.title')}</h2>
      {body}
    </section>
  );
}
