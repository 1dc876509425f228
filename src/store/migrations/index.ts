// The numbered, forward-only migrations of a workspace's data, applied in order when its schema opens.
import { sql as initial } from './001-initial.js';
import { sql as healthSnapshots } from './002-health-snapshots.js';
import { sql as usageEventIds } from './003-usage-event-ids.js';
import { sql as stripe } from './004-stripe.js';
import { sql as kpiTargets } from './005-kpi-targets.js';
import { sql as surveys } from './006-surveys.js';
import { sql as alerts } from './007-alerts.js';
import { sql as healthModels } from './008-health-models.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'health snapshots', sql: healthSnapshots },
  { version: 3, name: 'usage event ids', sql: usageEventIds },
  { version: 4, name: 'stripe', sql: stripe },
  { version: 5, name: 'kpi targets', sql: kpiTargets },
  { version: 6, name: 'surveys', sql: surveys },
  { version: 7, name: 'alerts', sql: alerts },
  { version: 8, name: 'health models', sql: healthModels },
];
