// Test helper: a digest of every stored row of a served store, to show that a refused request wrote nothing.
import { IMPORT_FILES } from '../../src/domain/import-format.js';
import type { WorkspaceHub } from '../../src/server/hub.js';
import { CONTROL_SCHEMA } from '../../src/store/duckdb-store.js';
import { type Store, sqlIdentifier, sqlString } from '../../src/store/store.js';
import type { Workspace } from '../../src/tenancy/tenancy.js';

/** The tables requests write: the facts of every import file, account attributes, KPI targets, the surveys and
 * their follow-ups and webhooks, and the control tables. */
const DATA_TABLES = new Set([
  ...IMPORT_FILES.map((f) => f.table),
  'account_attributes',
  'kpi_targets',
  'surveys',
  'survey_waves',
  'survey_invitations',
  'survey_answers',
  'survey_fatigue_audit',
  'survey_settings',
  'followups',
  'webhooks',
  'webhook_deliveries',
  'alert_emails',
]);
const CONTROL_TABLES = new Set(['workspaces', 'users', 'memberships', 'api_keys', 'sessions']);
/** Control tables that say which workspace a row belongs to, and the column that says it. */
const OWNER_COLUMN: Record<string, string> = {
  workspaces: 'id',
  memberships: 'workspace_id',
  api_keys: 'workspace_id',
  sessions: 'workspace_id',
};

/** `schema.table` → "count:md5 of the sorted rows". Derived rollups and snapshots are left out on purpose:
 * the server rebuilds them by itself a few seconds after a write, which is not a request writing. */
export type Fingerprint = Record<string, string>;

export class StoreProbe {
  private constructor(private readonly store: Store) {}

  /** A connection of its own on the hub's database (it sees every committed write). */
  static async open(hub: WorkspaceHub): Promise<StoreProbe> {
    return new StoreProbe(await hub.database.controlStore());
  }

  /** Every table of every workspace plus the control tables; or only what belongs to `workspace`. */
  async fingerprint(workspace?: Workspace): Promise<Fingerprint> {
    const tables = await this.store.query<{ schema_name: string; table_name: string }>(
      'SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1, 2',
    );
    const parts = tables.flatMap(({ schema_name: schema, table_name: table }) => {
      const name = `${schema}.${table}`;
      const from = `${sqlIdentifier(schema)}.${sqlIdentifier(table)} r`;
      if (schema === CONTROL_SCHEMA) {
        if (!CONTROL_TABLES.has(table)) return [];
        const owner = OWNER_COLUMN[table];
        if (workspace && !owner) return [];
        const where = workspace ? ` WHERE r.${sqlIdentifier(owner!)} = ${sqlString(workspace.id)}` : '';
        return [digestOf(name, `${from}${where}`)];
      }
      if (!DATA_TABLES.has(table) || (workspace && schema !== workspace.schema)) return [];
      return [digestOf(name, from)];
    });
    const rows = await this.store.query<{ name: string; n: number; digest: string }>(
      parts.join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.name, `${Number(r.n)}:${r.digest}`]));
  }

  /** Rows of one table of a workspace. */
  async count(workspace: Workspace, table: string): Promise<number> {
    const rows = await this.store.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${sqlIdentifier(workspace.schema)}.${sqlIdentifier(table)}`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

function digestOf(name: string, from: string): string {
  const text = 'CAST(r AS VARCHAR)';
  return `SELECT ${sqlString(name)} AS name, count(*) AS n,
    md5(coalesce(string_agg(${text}, '|' ORDER BY ${text}), '')) AS digest FROM ${from}`;
}
