// The KPI catalogue: every KPI of KPI-SPEC §4 in report order, and every aggregate source they read.
import { HEALTH_KPIS, healthSource } from './health.js';
import type { Kpi } from './kpi.js';
import { pendingChurnSource, RETENTION_KPIS, renewalsSource } from './retention.js';
import { oneTimeExpansionSource, REVENUE_KPIS } from './revenue.js';
import { responsesSource, SATISFACTION_KPIS } from './satisfaction.js';
import type { Source } from './source.js';
import { subscriptionSource } from './subscription-source.js';
import { SUPPORT_KPIS, ticketsSource } from './support.js';
import { VALUE_KPIS } from './value.js';
import { acquisitionCostSource, historySource, ttfvSource } from './value-sources.js';

export const KPIS: readonly Kpi[] = [
  ...REVENUE_KPIS,
  ...RETENTION_KPIS,
  ...VALUE_KPIS,
  ...SATISFACTION_KPIS,
  ...SUPPORT_KPIS,
  ...HEALTH_KPIS,
];

export const SOURCES: readonly Source[] = [
  subscriptionSource,
  historySource,
  oneTimeExpansionSource,
  acquisitionCostSource,
  ttfvSource,
  renewalsSource,
  pendingChurnSource,
  responsesSource,
  ticketsSource,
  healthSource,
];

/** KPIs computed from anonymous employee answers, suppressed for small groups (KPI-SPEC §5). */
export const EMPLOYEE_KPIS: readonly string[] = ['enps'];
