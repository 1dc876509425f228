// Targets: the target of each KPI (for example CRR ≥ 90 %). Admins set them (PUT /api/v1/targets/{kpi}) and
// clear them (DELETE); everyone else sees them read-only, without the controls.
import type { TFunction } from 'i18next';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import { FAMILIES, type KpiInfo, type Target } from '../api/types';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { targetsChanged, useCatalogue, useTargets } from '../data';
import { useFormat } from '../format';
import { kpiLabel, opSign } from '../kpi-meta';
import { isAdmin, useSession } from '../session';

function unitHint(kpi: KpiInfo, t: TFunction): string {
  return t(`targets.units.${kpi.unit}`);
}

function TargetForm({
  kpi,
  target,
  onSaved,
}: {
  kpi: KpiInfo;
  target: Target | undefined;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [op, setOp] = useState<Target['op']>(target?.op ?? (kpi.better === 'lower' ? '<=' : '>='));
  const [value, setValue] = useState(target ? String(target.value) : '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const label = kpiLabel(t, kpi);

  const fail = (error: unknown) => {
    setBusy(false);
    setMessage({
      kind: 'error',
      text:
        error instanceof ApiError && error.status === 403
          ? t('status.forbidden')
          : String((error as Error).message),
    });
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const number = Number(value.replace(',', '.'));
    if (value.trim() === '' || !Number.isFinite(number)) {
      setMessage({ kind: 'error', text: t('targets.invalid') });
      return;
    }
    setBusy(true);
    setMessage(null);
    api(`/api/v1/targets/${encodeURIComponent(kpi.id)}`, { method: 'PUT', body: { op, value: number } }).then(
      () => {
        setBusy(false);
        setMessage({ kind: 'ok', text: t('targets.saved') });
        onSaved();
      },
      fail,
    );
  };

  const clear = () => {
    setBusy(true);
    setMessage(null);
    api(`/api/v1/targets/${encodeURIComponent(kpi.id)}`, { method: 'DELETE' }).then(() => {
      setBusy(false);
      setValue('');
      setMessage({ kind: 'ok', text: t('targets.cleared') });
      onSaved();
    }, fail);
  };

  return (
    <form
      className="target-form"
      onSubmit={save}
      aria-label={t('targets.formLabel', { label })}
      data-target-form={kpi.id}
    >
      <label htmlFor={`${id}-op`} className="visually-hidden">
        {t('targets.op')}
      </label>
      <select
        id={`${id}-op`}
        value={op}
        onChange={(e) => setOp(e.target.value as Target['op'])}
        data-control="op"
      >
        <option value=">=">≥ {t('targets.atLeast')}</option>
        <option value="<=">≤ {t('targets.atMost')}</option>
      </select>
      <label htmlFor={`${id}-value`} className="visually-hidden">
        {t('targets.value')}
      </label>
      <input
        id={`${id}-value`}
        type="text"
        inputMode="decimal"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-describedby={`${id}-unit`}
        data-control="value"
        size={8}
      />
      <span id={`${id}-unit`} className="muted small">
        {unitHint(kpi, t)}
      </span>
      <button type="submit" className="button primary" disabled={busy}>
        {t('targets.save')}
      </button>
      {target ? (
        <button type="button" className="button danger" onClick={clear} disabled={busy}>
          {t('targets.clear')}
        </button>
      ) : null}
      {message ? (
        <span
          role={message.kind === 'error' ? 'alert' : 'status'}
          className={message.kind === 'error' ? 'form-error' : 'muted'}
        >
          {message.text}
        </span>
      ) : null}
    </form>
  );
}

export function TargetsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const admin = isAdmin(session);
  const catalogue = useCatalogue();
  const targets = useTargets();
  const reload = () => {
    targetsChanged();
    targets.retry();
  };

  let body: ReactNode;
  if (catalogue.state.status === 'error')
    body = <ErrorState error={catalogue.state.error} retry={catalogue.retry} />;
  else if (targets.state.status === 'error')
    body = <ErrorState error={targets.state.error} retry={targets.retry} />;
  else if (catalogue.state.status !== 'ok' || targets.state.status !== 'ok') body = <Loading />;
  else if (!targets.state.data.available) body = <p className="notice">{t('targets.unavailable')}</p>;
  else {
    const byKpi = targets.state.data.byKpi;
    const kpis = catalogue.state.data;
    body = FAMILIES.map((family) => (
      <section key={family} className="card" aria-labelledby={`targets-${family}`}>
        <h2 id={`targets-${family}`}>{t(`family.${family}`)}</h2>
        <ul className="target-list">
          {kpis
            .filter((k) => k.family === family)
            .map((k) => {
              const target = byKpi.get(k.id);
              return (
                <li key={k.id} data-kpi={k.id} data-target={target ? `${target.op}${target.value}` : ''}>
                  <div>
                    <strong>{kpiLabel(t, k)}</strong>{' '}
                    <span className="muted small">({t(`targets.better.${k.better}`)})</span>
                    <div className="small">
                      {target
                        ? t('targets.current', {
                            op: opSign(target.op),
                            value: format.value(target.value, k.unit),
                          })
                        : t('targets.none')}
                    </div>
                  </div>
                  {admin ? <TargetForm kpi={k} target={target} onSaved={reload} /> : null}
                </li>
              );
            })}
        </ul>
      </section>
    ));
  }

  return (
    <Page name="targets" title={t('nav.targets')} attributes={{ 'data-admin': String(admin) }}>
      <p className="hint">{admin ? t('targets.adminHint') : t('targets.viewerHint')}</p>
      {body}
    </Page>
  );
}
