// An account's health band and score; accounts without MRR have none, and say why.
import { useTranslation } from 'react-i18next';
import type { HealthBand } from '../api/types';
import { useFormat } from '../format';
import { Tip } from './tip';

export function HealthBadge({ band, score }: { band: HealthBand | null; score: number | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (band === null || score === null) {
    return (
      <Tip tip={t('health.noScore')} spoken={t('tile.noValue')}>
        —
      </Tip>
    );
  }
  return (
    <span className={`band ${band}`} data-band={band} data-score={score}>
      {t(`health.bands.${band}`)} · {format.number(score, 0)}
    </span>
  );
}
