// The migrations of the control schema (workspaces, users, keys, sessions), shared by every workspace.
import type { Migration } from '../migrations/index.js';
import { sql as control } from './001-control.js';

export const CONTROL_MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'control', sql: control }];
