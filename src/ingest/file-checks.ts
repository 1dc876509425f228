// Every row-level validation rule of one import file (KPI-SPEC §2), as SQL predicates over its staged rows.
import { CES_SCALES, DEFAULT_CES_SCALE, type FileSpec } from '../domain/import-format.js';
import { type ColumnCheck, cell, columnChecks } from './column-sql.js';

const SCORE_RANGES: Record<string, { min: number; max: number | 'scale'; words: string }> = {
  nps: { min: 0, max: 10, words: 'an integer 0–10' },
  enps: { min: 0, max: 10, words: 'an integer 0–10' },
  csat: { min: 1, max: 5, words: 'an integer 1–5' },
  ces: { min: 1, max: 'scale', words: 'an integer from 1 (very easy) to its scale (5 or 7)' },
  fcr: { min: 0, max: 1, words: '0 (not resolved) or 1 (resolved)' },
};

/** The known account ids are joined as `k`; a check on an account reference tests `k.account_id`. */
export function fileChecks(spec: FileSpec): ColumnCheck[] {
  const checks = spec.columns.flatMap(columnChecks);
  const account = spec.columns.find((c) => c.accountRef);
  if (account) {
    checks.push({
      column: account.name,
      rule: 'known_account',
      message: `${account.name} names no account in accounts.csv or in the store`,
      bad: `${cell(account.name)} IS NOT NULL AND k.account_id IS NULL`,
    });
  }
  if (spec.table === 'responses') checks.push(...scoreChecks());
  return checks;
}

function scoreChecks(): ColumnCheck[] {
  const metric = `lower(${cell('metric')})`;
  const score = cell('score');
  const scale = cell('scale');
  const checks: ColumnCheck[] = [
    {
      column: 'scale',
      rule: 'ces_scale',
      message: `a ces scale must be ${CES_SCALES.join(' or ')} (blank = ${DEFAULT_CES_SCALE})`,
      bad: `${metric} = 'ces' AND ${scale} IS NOT NULL AND ${scale} NOT IN (${CES_SCALES.map((n) => `'${n}'`).join(', ')})`,
    },
  ];
  for (const [name, range] of Object.entries(SCORE_RANGES)) {
    const max =
      range.max === 'scale'
        ? `(CASE WHEN ${scale} IN ('5', '7') THEN CAST(${scale} AS INTEGER) ELSE ${DEFAULT_CES_SCALE} END)`
        : String(range.max);
    checks.push({
      column: 'score',
      rule: `${name}_score`,
      message: `a ${name} score must be ${range.words}`,
      bad: `${metric} = '${name}' AND ${score} IS NOT NULL AND (NOT regexp_full_match(${score}, '-?[0-9]{1,9}')
            OR CAST(${score} AS INTEGER) < ${range.min} OR CAST(${score} AS INTEGER) > ${max})`,
    });
  }
  return checks;
}
