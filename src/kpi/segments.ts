// Resolves --segment-by to a column, an account attribute or the team of employee answers (KPI-SPEC §5).
import { FidelioError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { QueryContext, SegmentBy } from './query-context.js';
import { segmentsCte } from './query-context.js';

const ACCOUNT_COLUMNS = ['segment', 'country', 'name'];

export async function resolveSegmentBy(store: Store, field: string | undefined): Promise<SegmentBy> {
  if (field === undefined) return null;
  if (field === 'team') return { kind: 'team' };
  if (ACCOUNT_COLUMNS.includes(field)) return { kind: 'account', field, column: true };
  const attributes = await store.query<{ name: string }>(
    'SELECT DISTINCT name FROM account_attributes ORDER BY name',
  );
  const names = attributes.map((a) => a.name);
  if (names.includes(field)) return { kind: 'account', field, column: false };
  throw new FidelioError(
    'usage',
    'unknown_segment_field',
    `--segment-by ${field} is not an account field; choose one of ${[...ACCOUNT_COLUMNS, ...names, 'team'].join(', ')}`,
  );
}

/** The segment values that get a row in every period, sorted. */
export async function segmentValues(store: Store, ctx: QueryContext): Promise<string[]> {
  if (ctx.segmentBy === null) return [];
  const sql =
    ctx.segmentBy.kind === 'team'
      ? 'SELECT DISTINCT team AS seg FROM responses WHERE team IS NOT NULL ORDER BY seg'
      : `WITH ${segmentsCte(ctx)} SELECT DISTINCT seg FROM segments ORDER BY seg`;
  return (await store.query<{ seg: string }>(sql)).map((r) => String(r.seg));
}
