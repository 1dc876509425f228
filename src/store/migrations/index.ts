// The numbered, forward-only migrations, applied in order when a store opens.
import { sql as initial } from './001-initial.js';
import { sql as healthSnapshots } from './002-health-snapshots.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'health snapshots', sql: healthSnapshots },
];
